"""Phase-structured answers: question recognition, phase detection and cited sections."""

from __future__ import annotations

import time

import pytest

from assistant.guidance.answer import (
    SECTION_TITLES,
    detect_phase_in_text,
    is_phase_question,
    phase_answer,
    phase_sections,
)
from assistant.guidance.phases import GROUPS, all_phase_ids
from assistant.guidance.sources import cleaned_text


@pytest.mark.parametrize(
    "question",
    [
        "In welke fase zitten wij?",
        "Wat moeten we nu doen?",
        "Wat is de volgende stap voor ons netwerk?",
        "Waar staan we als samenwerkingsverband?",
        "We zitten in de experimentfase, waar moeten we op letten?",
        "What should we do now?",
        "Which phase are we in?",
        "What are the next steps for our network?",
        "We are at an early stage of collaboration",
        "We zijn net gestart met een netwerk ouderenzorg",
    ],
)
def test_phase_questions_are_recognised(question: str) -> None:
    assert is_phase_question(question)


@pytest.mark.parametrize(
    "question",
    [
        "Hoe werkt bundelbekostiging?",
        "Wat is de rol van de NZa bij regionale samenwerking?",
        "What is a kassier construction?",
        "Welke doelgroepen kiezen DSV's het vaakst?",
    ],
)
def test_other_questions_are_not_phase_questions(question: str) -> None:
    assert not is_phase_question(question)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("We zitten in de experimentfase", "omk-2"),
        ("Onze pilotfase loopt af", "omk-2"),
        ("we zijn net gestart", "omk-1"),
        ("We zijn pas begonnen met samenwerken", "omk-1"),
        ("Wij zitten in de initiatief- en ontwerpfase", "omk-1"),
        ("Hoe gaan we om met de uitbouwfase?", "omk-3"),
        ("We willen opschalen", "omk-3"),
        ("Wij zijn in de verduurzamingsfase", "omk-4"),
        ("transformatiefase: wat nu?", "omk-4"),
        ("We zitten in fase 2", "omk-2"),
        ("Wat raadt het RIVM aan in fase 2?", "rivm-2"),
        ("RIVM fase 4", "rivm-3"),
        ("We zitten in fase 3-4", "rivm-3"),
        ("verbreden van de samenwerking", "rivm-3"),
        ("JVEI fase 3", "jvei-3"),
        ("Er is sprake van segregatie", "jvei-1"),
        ("Wij streven naar volledige integratie", "jvei-4"),
        ("We have just started", "omk-1"),
        ("We are running a pilot", "omk-2"),
        ("How do we scale up?", "omk-3"),
        ("We are in the sustainability phase", "omk-4"),
        ("Phase 2 of the DMIC", "omk-2"),
    ],
)
def test_detect_phase_in_text(question: str, expected: str) -> None:
    assert detect_phase_in_text(question) == expected


@pytest.mark.parametrize("question", ["Hoe werkt capitation?", "", "Wat kost een HOED?"])
def test_detect_phase_returns_none_without_phase(question: str) -> None:
    assert detect_phase_in_text(question) is None


@pytest.mark.parametrize("phase_id", all_phase_ids())
def test_phase_sections_have_cited_items(phase_id: str) -> None:
    sections = phase_sections(phase_id, "nl")
    assert list(sections) == list(GROUPS)
    assert sections["now"] and sections["watch"]
    for items in sections.values():
        for item in items:
            c = item.citation
            assert cleaned_text(c.doc_id)[c.start : c.end] == c.quote
            assert item.text


def test_empty_groups_are_filled_from_equivalent_phases() -> None:
    sections = phase_sections("rivmt-2")
    assert sections["tools"], "rivmt-2 has no own tools; an equivalent phase should supply them"
    assert all(item.phase_id == "rivm-2" for item in sections["tools"])
    own_only = phase_sections("rivmt-2", fill_from_equivalents=False)
    assert own_only["tools"] == []


def test_english_sections_use_english_texts() -> None:
    nl = phase_sections("omk-2", "nl")
    en = phase_sections("omk-2", "en")
    assert nl["now"][0].text != en["now"][0].text
    assert en["now"][0].citation.quote == nl["now"][0].citation.quote


def test_phase_answer_numbers_from_offset_and_renders_markdown() -> None:
    block = phase_answer("omk-1", "nl", first_n=5)
    assert [c.n for c in block.citations] == list(range(5, 5 + len(block.citations)))
    assert SECTION_TITLES["nl"]["now"] in block.markdown
    assert "[5]" in block.markdown
    assert set(block.sections) <= set(GROUPS)
    english = phase_answer("omk-1", "en")
    assert SECTION_TITLES["en"]["watch"] in english.markdown


def test_helpers_are_fast() -> None:
    phase_sections("omk-3")  # warm caches
    start = time.perf_counter()
    for _ in range(20):
        is_phase_question("Wat moeten we nu doen in de experimentfase?")
        detect_phase_in_text("We zitten in de experimentfase")
        phase_sections("omk-3")
    assert (time.perf_counter() - start) / 20 < 0.05
