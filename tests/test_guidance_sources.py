"""Corpus access for curated guidance: citations, numbering, drift detection, corpus version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.guidance.sources import (
    CitationNumbering,
    QuoteNotFoundError,
    SourcedItem,
    cleaned_text,
    corpus_version,
    doc_title,
    make_citation,
    unverified,
)
from assistant.settings import get_settings

ITEM = SourcedItem(
    text="Samenwerking is niet vrijblijvend.",
    quote="Samenwerking is niet vrijblijvend.",
    doc="vilans-integrale-zorg",
    section="Integrale zorg ontwikkeling in fases",
)


def test_citation_offsets_and_catalog_title() -> None:
    citation = make_citation(ITEM, 3)
    assert citation.n == 3
    assert cleaned_text(ITEM.doc)[citation.start : citation.end] == ITEM.quote
    assert citation.title == doc_title(ITEM.doc)
    assert citation.title.startswith("Integrale zorg in Nederland")
    assert citation.section == ITEM.section and citation.page is None


def test_numbering_reuses_numbers_for_repeated_quotes() -> None:
    numbering = CitationNumbering()
    other = SourcedItem(
        text="x" * 12, quote="Interprofessionele samenwerking is mensenwerk.", doc="vilans-integrale-zorg"
    )
    first = numbering.cite(ITEM)
    assert numbering.cite(other).n == 2
    assert numbering.cite(ITEM) is first
    assert len(numbering.citations) == 2


def test_drifted_quote_is_reported() -> None:
    bad = ITEM.model_copy(update={"quote": "Samenwerking is volkomen vrijblijvend."})
    with pytest.raises(QuoteNotFoundError, match="niet letterlijk gevonden"):
        make_citation(bad, 1)
    assert unverified([ITEM, bad]) and len(unverified([ITEM, bad])) == 1
    with pytest.raises(QuoteNotFoundError, match="Onbekend document"):
        cleaned_text("bestaat-niet")


def test_english_text_falls_back_to_dutch() -> None:
    assert ITEM.text_for("en") == ITEM.text
    assert ITEM.model_copy(update={"en": "Not optional."}).text_for("en") == "Not optional."


def test_corpus_version_is_short_stable_and_changes_with_content(tmp_path: Path) -> None:
    source = Path(get_settings().corpus_dir)
    for name in ("catalog.yaml", "jzojp-oplegger.txt"):
        shutil.copy(source / name, tmp_path / name)
    before = corpus_version(tmp_path)
    assert len(before) == 12 and before == corpus_version(tmp_path)
    with (tmp_path / "jzojp-oplegger.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nextra regel\n")
    assert corpus_version(tmp_path) != before


def test_an_item_cites_a_claim_by_id_and_takes_its_quote() -> None:
    from assistant.knowledge.model import claims_by_id

    claim = claims_by_id()["nivel-020"]
    item = SourcedItem(claim="nivel-020", text="Een kassier verrekent de inzet.")
    assert (item.doc, item.quote, item.text) == (claim.doc, claim.quote, "Een kassier verrekent de inzet.")
    bare = SourcedItem(claim="nivel-020")
    assert (bare.text, bare.en) == (claim.nl, claim.en)
    citation = make_citation(item, 1)
    assert cleaned_text(item.doc)[citation.start : citation.end] == claim.quote


def test_an_unknown_claim_or_a_second_quote_is_refused() -> None:
    with pytest.raises(ValueError, match="Onbekende claim 'nivel-999'"):
        SourcedItem(claim="nivel-999", text="Iets.")
    with pytest.raises(ValueError, match="kies één van beide"):
        SourcedItem(claim="nivel-020", text="Iets.", quote="Eigen citaat", doc="nivel-bekostiging")
    with pytest.raises(ValueError, match="een tekst en een claim"):
        SourcedItem(text="Zonder bron.")
