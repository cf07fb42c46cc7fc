"""Phase models: loading, lookup, labels, equivalences and citations with correct offsets."""

from __future__ import annotations

import pytest

from assistant.guidance.phases import (
    GROUPS,
    UnknownPhaseError,
    all_phase_ids,
    equivalent_phases,
    get_model,
    get_phase,
    load_phase_models,
    phase_citations,
    phase_label,
    phase_passages,
)
from assistant.guidance.sources import CitationNumbering, cleaned_text, doc_title


def test_all_four_models_with_expected_phases() -> None:
    catalog = load_phase_models()
    assert [m.id for m in catalog.models] == ["omk", "rivm", "rivmt", "jvei"]
    assert all_phase_ids() == [
        "omk-1",
        "omk-2",
        "omk-3",
        "omk-4",
        "rivm-1",
        "rivm-2",
        "rivm-3",
        "rivmt-1",
        "rivmt-2",
        "rivmt-3",
        "rivmt-4",
        "jvei-1",
        "jvei-2",
        "jvei-3",
        "jvei-4",
    ]


@pytest.mark.parametrize(
    "phase_id",
    ["omk-1", "omk-2", "omk-3", "omk-4", "rivm-1", "rivm-2", "rivm-3", "jvei-1", "jvei-2", "jvei-3", "jvei-4"],
)
def test_main_phases_are_thorough(phase_id: str) -> None:
    phase = get_phase(phase_id)
    assert len(phase.characteristics) >= 2
    for group in GROUPS:
        assert len(phase.group(group)) <= 6, f"{phase_id}.{group} has too many items"
    assert len(phase.now) >= 3
    assert len(phase.watch) >= 2
    assert phase.tools, f"{phase_id} names no tools"
    assert phase.next or phase_id.endswith("-4")


def test_every_item_has_english_text_and_section() -> None:
    for phase_id in all_phase_ids():
        for item in get_phase(phase_id).all_items():
            assert item.en, f"{phase_id}: {item.text}"
            assert item.section, f"{phase_id}: {item.text}"


def test_unknown_phase_raises_dutch_value_error() -> None:
    with pytest.raises(ValueError, match="Onbekende fase 'omk-9'") as info:
        get_phase("omk-9")
    assert isinstance(info.value, UnknownPhaseError)
    assert "omk-1" in str(info.value)


def test_lookup_is_case_insensitive_and_trims() -> None:
    assert get_phase(" OMK-2 ").id == "omk-2"


def test_labels() -> None:
    assert phase_label("omk-2") == "OMK fase 2 – Experiment- en uitvoeringsfase"
    assert phase_label("rivm-3").startswith("RIVM Fase 3-4")
    assert phase_label("jvei-1", "en") == "JVEI phase 1 – Segregation"
    assert get_model("rivmt-2").source == "rivm-samenwerkingsverbanden"


def test_equivalences_are_symmetric_and_cover_omk_rivm() -> None:
    for phase_id in all_phase_ids():
        for other in equivalent_phases(phase_id):
            assert phase_id in equivalent_phases(other)
    assert "rivm-2" in equivalent_phases("omk-2")
    assert "rivm-3" in equivalent_phases("omk-3")
    assert "rivm-3" in equivalent_phases("omk-4")
    assert all(equivalent_phases(p) for p in all_phase_ids())


def test_phase_citations_point_into_the_cleaned_text() -> None:
    numbering = CitationNumbering()
    citations = phase_citations("rivm-1", numbering=numbering)
    assert [c.n for c in citations] == list(range(1, len(citations) + 1))
    for c in citations:
        assert cleaned_text(c.doc_id)[c.start : c.end] == c.quote
        assert c.title == doc_title(c.doc_id) != c.doc_id
        assert c.chunk_id == ""
    again = phase_citations("omk-1", numbering=numbering)
    shared = {c.quote for c in citations} & {c.quote for c in again}
    assert all(c.n <= len(citations) for c in again if c.quote in shared)


def test_phase_passages_include_equivalents() -> None:
    own = phase_passages("omk-2", include_equivalents=False)
    more = phase_passages("omk-2")
    assert set(own) < set(more)
    assert {doc for doc, _, _ in more} >= {"vilans-integrale-zorg", "rivm-samenwerkingsverbanden"}
    for doc, start, end in more:
        assert 0 <= start < end <= len(cleaned_text(doc))
