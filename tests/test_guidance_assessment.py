"""'Waar staan we?': deterministic mapping from answer patterns to OMK (and RIVM) phases."""

from __future__ import annotations

import itertools

import pytest

from assistant.guidance.assessment import (
    AssessmentInputError,
    assess,
    best_phase,
    load_assessment,
    score,
)
from assistant.guidance.phases import get_phase
from assistant.guidance.sources import cleaned_text

ASSESSMENT = load_assessment()
QUESTIONS = ASSESSMENT.questions


def _pattern(choice_index: list[int]) -> dict[str, str]:
    return {q.id: q.options[i].id for q, i in zip(QUESTIONS, choice_index, strict=True)}


def test_four_to_six_multiple_choice_questions() -> None:
    assert 4 <= len(QUESTIONS) <= 6
    for question in QUESTIONS:
        assert [o.phase for o in question.options] == ["omk-1", "omk-2", "omk-3", "omk-4"]


@pytest.mark.parametrize(
    ("index", "phase", "rivm"),
    [
        (0, "omk-1", "rivm-1"),
        (1, "omk-2", "rivm-2"),
        (2, "omk-3", "rivm-3"),
        (3, "omk-4", "rivm-3"),
    ],
)
def test_consistent_answers_give_that_phase(index: int, phase: str, rivm: str) -> None:
    result = assess(_pattern([index] * len(QUESTIONS)))
    assert result.phase_id == phase
    assert result.rivm_phase_id == rivm
    assert len(result.reasons) == len(QUESTIONS)
    assert result.phase_label.startswith("OMK fase")


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        ([1, 1, 1, 0, 0, 0], "omk-2"),  # pilot, agreements, coordinator outweigh early funding
        ([2, 2, 1, 2, 2, 3], "omk-3"),
        ([3, 3, 3, 2, 2, 2], "omk-4"),
        ([2, 1, 2, 2, 1, 2], "omk-3"),  # 3+2+2+1 = 8 vs 2+2 = 4
        ([1, 2, 2, 3, 3, 1], "omk-2"),  # three-way tie 4-4-4: the earliest phase wins
    ],
)
def test_mixed_patterns(choices: list[int], expected: str) -> None:
    assert assess(_pattern(choices)).phase_id == expected


def test_tie_goes_to_the_earlier_phase() -> None:
    totals = score(_pattern([0, 0, 1, 1, 1, 0]))  # omk-1: 3+2+1 = 6, omk-2: 2+2+2 = 6
    assert totals["omk-1"] == totals["omk-2"] == 6
    assert best_phase(totals) == "omk-1"
    assert best_phase({"omk-3": 5, "omk-2": 5, "omk-1": 1}) == "omk-2"


def test_every_answer_pattern_is_deterministic_and_maximal() -> None:
    """All 4^6 patterns: the winner has the top score; ties resolve to the lowest number."""
    seen = set()
    for combo in itertools.product(range(4), repeat=len(QUESTIONS)):
        totals = score(_pattern(list(combo)))
        winner = best_phase(totals)
        top = max(totals.values())
        tied = [p for p, v in totals.items() if v == top]
        assert winner == min(tied, key=lambda p: get_phase(p).number)
        seen.add(winner)
    assert seen == {"omk-1", "omk-2", "omk-3", "omk-4"}


def test_reasons_are_the_chosen_answers_for_the_winner_with_valid_quotes() -> None:
    result = assess(_pattern([1, 1, 0, 1, 3, 1]))
    assert result.phase_id == "omk-2"
    chosen = {q.options[i].label for q, i in zip(QUESTIONS, [1, 1, 0, 1, 3, 1], strict=True)}
    assert {r.answer for r in result.reasons} <= chosen
    assert len(result.reasons) == 4
    for citation in result.citations:
        assert cleaned_text(citation.doc_id)[citation.start : citation.end] == citation.quote
    assert {c.phase_id for c in result.characteristics} == {"omk-2", "rivm-2"}


def test_missing_answer_names_the_question() -> None:
    answers = _pattern([0] * len(QUESTIONS))
    del answers[QUESTIONS[2].id]
    with pytest.raises(AssessmentInputError, match="Beantwoord eerst de vraag"):
        assess(answers)


def test_invalid_answer_is_rejected_in_dutch() -> None:
    answers = _pattern([0] * len(QUESTIONS))
    answers[QUESTIONS[0].id] = "bestaat-niet"
    with pytest.raises(ValueError, match="geen geldig antwoord"):
        assess(answers)
