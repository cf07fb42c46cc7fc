"""Question files: validation with line numbers, and the shipped sets against the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.questions import Case, QuestionFileError, load_questions
from eval.runner import check_cases, document_texts

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"
GOOD = {
    "id": "q1",
    "question": "Wat is een kassier?",
    "persona": "funder",
    "kind": "funding",
    "expected_docs": ["nivel-bekostiging"],
    "evidence": ["treedt op als kassier"],
    "key_points": ["Eén organisatie is kassier"],
}


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_valid_file_loads_and_skips_blank_lines(tmp_path: Path) -> None:
    oos = {**GOOD, "id": "q2", "kind": "out_of_scope", "expected_docs": [], "evidence": []}
    cases = load_questions(write(tmp_path, json.dumps(GOOD), "", json.dumps(oos)))
    assert [c.id for c in cases] == ["q1", "q2"]
    assert cases[0].in_scope and not cases[1].in_scope


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({**GOOD, "kind": "weather"}), "kind"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "question"}), "question"),
        (json.dumps({**GOOD, "extra": 1}), "extra"),
        (json.dumps({**GOOD, "kind": "out_of_scope"}), "out_of_scope questions have no evidence"),
        (json.dumps({**GOOD, "expected_docs": []}), "needs at least one expected_docs"),
        (json.dumps({**GOOD, "evidence": ["  "]}), "evidence spans must not be empty"),
    ],
)
def test_bad_line_reports_file_and_line_number(tmp_path: Path, bad: str, message: str) -> None:
    path = write(tmp_path, json.dumps(GOOD), "", bad)
    with pytest.raises(QuestionFileError) as err:
        load_questions(path)
    assert f"{path}:3:" in str(err.value)
    assert message in str(err.value)


def test_duplicate_ids_and_empty_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(QuestionFileError, match=r":2: duplicate id 'q1' \(first on line 1\)"):
        load_questions(write(tmp_path, json.dumps(GOOD), json.dumps(GOOD)))
    with pytest.raises(QuestionFileError, match="no questions"):
        load_questions(write(tmp_path, "", "  "))
    with pytest.raises(QuestionFileError, match="cannot read"):
        load_questions(tmp_path / "missing.jsonl")


def test_check_cases_reports_unknown_docs_and_missing_spans() -> None:
    case = Case.model_validate(
        {**GOOD, "expected_docs": ["doc", "nope"], "evidence": ["Twee  woorden", "niet aanwezig"]}
    )
    problems = check_cases([case], {"doc": "Hier staan twee\nwoorden."})
    assert problems == [
        "q1: unknown expected_docs ['nope']",
        "q1: evidence not found in expected_docs: 'niet aanwezig'",
    ]


@pytest.mark.parametrize("name", ["questions_dev.jsonl", "questions_holdout.jsonl"])
def test_shipped_sets_match_the_corpus(name: str) -> None:
    cases = load_questions(EVAL_DIR / name)
    assert check_cases(cases, document_texts(None)) == []


def test_holdout_set_shape() -> None:
    holdout = load_questions(EVAL_DIR / "questions_holdout.jsonl")
    dev = load_questions(EVAL_DIR / "questions_dev.jsonl")
    assert 10 <= len(holdout) <= 15
    assert sum(not c.in_scope for c in holdout) == 2
    assert {c.question for c in holdout}.isdisjoint({c.question for c in dev})
    covered_docs = {d for c in holdout for d in c.expected_docs}
    assert len(covered_docs) == 8
