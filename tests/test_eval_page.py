"""The Streamlit evaluation page on fixture run folders."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from eval.fake import FakeAssistant
from eval.runner import run_eval

DOCS = {
    "d": "Eén zorgorganisatie treedt op als kassier voor het samenwerkingsverband.",
    "e": "Er is een netwerkoverleg en een persoon met een coördinerende rol.",
}
CASES = [
    {
        "id": "k1",
        "question": "Wie treedt op als kassier?",
        "kind": "funding",
        "expected_docs": ["d"],
        "evidence": ["treedt op als kassier"],
        "key_points": ["kassier"],
    },
    {
        "id": "n1",
        "question": "Is er een netwerkoverleg?",
        "kind": "phase",
        "expected_docs": ["e"],
        "evidence": ["netwerkoverleg"],
        "key_points": ["netwerkoverleg"],
    },
    {"id": "o1", "question": "Hoe laat sluit de apotheek?", "kind": "out_of_scope"},
]


def page(runs_dir: str) -> None:
    from pathlib import Path

    from assistant.ui.eval_page import render_eval_page

    render_eval_page(Path(runs_dir))


def make_runs(tmp_path: Path, count: int) -> Path:
    questions = tmp_path / "q.jsonl"
    questions.write_text("".join(json.dumps(c) + "\n" for c in CASES), encoding="utf-8")
    runs = tmp_path / "runs"
    for i in range(count):
        fake = FakeAssistant(DOCS, min_overlap=0.3 if i == 0 else 1.01)
        run_eval(fake, questions, runs / f"run{i}", progress=False)
    return runs


def test_page_shows_latest_run_and_compare(tmp_path: Path) -> None:
    runs = make_runs(tmp_path, 2)
    at = AppTest.from_function(page, args=(str(runs),), default_timeout=30).run()
    assert not at.exception
    assert at.header[0].value == "Evaluatie"
    subheaders = [s.value for s in at.subheader]
    assert "Samenvatting" in subheaders and "Resultaten per vraag" in subheaders
    assert "Vergelijking: run0 → run1" in subheaders
    assert any("Run run1" in c.value for c in at.caption)
    assert len(at.dataframe) == 3  # summary, per question, compare
    assert at.metric[0].label == "Mediaan (p50)"


def test_page_filters_questions_by_kind(tmp_path: Path) -> None:
    at = AppTest.from_function(page, args=(str(make_runs(tmp_path, 1)),), default_timeout=30).run()
    assert len(at.dataframe[1].value) == 3
    at.multiselect(key="eval_kinds").set_value(["funding"]).run()
    assert not at.exception
    assert list(at.dataframe[1].value["id"]) == ["k1"]
    assert at.selectbox(key="eval_question").value == "k1"
    assert not any(s.value.startswith("Vergelijking") for s in at.subheader)


def test_page_without_runs(tmp_path: Path) -> None:
    at = AppTest.from_function(page, args=(str(tmp_path / "none"),)).run()
    assert not at.exception
    assert "Nog geen evaluatieruns" in at.info[0].value
