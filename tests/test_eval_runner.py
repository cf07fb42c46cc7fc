"""The runner with a fake assistant: all outputs, errors, unseen question files, the CLI,
and comparing two runs."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.types import Answer, Profile, Turn
from eval.__main__ import main
from eval.compare import RunError, compare_runs, load_run, question_changes, verdict
from eval.fake import FakeAssistant
from eval.runner import run_eval

DOCS = {
    "netwerk": (
        "Fase twee. Er is afstemming tussen samenwerkingspartners door een netwerkoverleg "
        "en er is een persoon met een coördinerende rol benoemd. Resultaten worden "
        "geëvalueerd waarna bijstelling plaatsvindt."
    ),
    "geld": (
        "Bekostiging. Eén zorgorganisatie treedt op als kassier voor het "
        "samenwerkingsverband. De organisaties van de casemanagers factureren de "
        "werkelijke loonkosten aan de kassier."
    ),
}
CASES: list[dict[str, Any]] = [
    {
        "id": "n1",
        "question": "Wie heeft een coördinerende rol in het netwerkoverleg?",
        "kind": "phase",
        "expected_docs": ["netwerk"],
        "evidence": ["persoon met een coördinerende rol benoemd"],
        "key_points": ["Er is een netwerkoverleg en een persoon met een coördinerende rol"],
    },
    {
        "id": "g1",
        "question": "Wie treedt op als kassier voor de loonkosten van casemanagers?",
        "kind": "funding",
        "expected_docs": ["geld"],
        "evidence": ["treedt op als kassier voor het samenwerkingsverband"],
        "key_points": ["Eén organisatie is kassier", "De verzekeraar betaalt een budget"],
    },
    {"id": "o1", "question": "Welke dosering metformine bij nierfalen?", "kind": "out_of_scope"},
]


def write_questions(path: Path, cases: Sequence[Mapping[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), "utf-8")
    return path


def make_run(tmp_path: Path, name: str, min_overlap: float = 0.3) -> Path:
    questions = write_questions(tmp_path / "q.jsonl", CASES)
    out = tmp_path / name
    fake = FakeAssistant(DOCS, chunk_chars=300, min_overlap=min_overlap)
    run_eval(fake, questions, out, progress=False)
    return out


def test_run_writes_results_summary_and_plots(tmp_path: Path) -> None:
    out = make_run(tmp_path, "run")
    names = {p.name for p in out.iterdir()}
    assert {"results.jsonl", "summary.json", "summary.md", "per_kind.png", "latency.png"} <= names
    records = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in records] == ["n1", "g1", "o1"]
    first = records[0]
    for key in (
        "kind",
        "question",
        "answer",
        "refused",
        "citations",
        "retrieved",
        "metrics",
        "latency_ms",
        "keypoints",
        "error",
    ):
        assert key in first
    assert first["retrieved"][0]["doc_id"] == "netwerk"
    assert first["metrics"]["evidence_hit@1"] == 1.0
    assert first["metrics"]["citation_validity"] == 1.0
    assert records[2]["refused"] and records[2]["metrics"]["refusal_accuracy"] == 1.0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n_questions"] == 3 and summary["n_errors"] == 0
    assert summary["metrics"]["doc_hit@1"] == {"mean": 1.0, "n": 2}
    assert summary["per_kind"]["out_of_scope"]["metrics"]["refusal_accuracy"]["mean"] == 1.0
    assert summary["cost"]["latency_ms"]["p95"] is not None
    assert summary["judge"] == {"enabled": False}
    md = (out / "summary.md").read_text()
    assert "| doc_hit@5 |" in md and "Cohen's kappa" in md


class Exploding:
    def __init__(self) -> None:
        self.fake = FakeAssistant(DOCS, chunk_chars=300)
        self.documents = self.fake.documents

    def ask(
        self, question: str, history: list[Turn] | None = None, profile: Profile | None = None, mode: str | None = None
    ) -> Answer:
        if "kassier" in question:
            raise RuntimeError("index kapot")
        return self.fake.ask(question, history, profile, mode)


def test_a_failing_question_is_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    questions = write_questions(tmp_path / "q.jsonl", CASES)
    summary = run_eval(Exploding(), questions, tmp_path / "run", progress=False, limit=2)
    records = [json.loads(x) for x in (tmp_path / "run" / "results.jsonl").read_text().splitlines()]
    assert summary["n_questions"] == 2 and summary["n_errors"] == 1
    assert records[1]["error"] == "RuntimeError: index kapot"
    assert records[1]["metrics"]["doc_hit@1"] == 0.0


def test_harness_runs_on_a_question_file_it_has_never_seen(tmp_path: Path) -> None:
    unseen: list[dict[str, Any]] = [
        {
            "id": f"new-{i}",
            "question": q,
            "persona": "x",
            "kind": kind,
            "expected_docs": docs,
            "evidence": ev,
            "key_points": kp,
        }
        for i, (q, kind, docs, ev, kp) in enumerate(
            [
                (
                    "Wat doet de kassier met loonkosten?",
                    "governance",
                    ["geld"],
                    ["factureren de werkelijke loonkosten aan de kassier"],
                    ["loonkosten naar kassier"],
                ),
                ("Hoe vaak pomp je fietsbanden op?", "out_of_scope", [], [], []),
            ]
        )
    ]
    questions = write_questions(tmp_path / "never_seen.jsonl", unseen)
    summary = run_eval(
        FakeAssistant(DOCS, chunk_chars=300), questions, tmp_path / "out", mode="generative", progress=False
    )
    assert summary["questions_file"].endswith("never_seen.jsonl")
    assert summary["warnings"] == []
    assert set(summary["per_kind"]) == {"governance", "out_of_scope"}
    assert summary["metrics"]["evidence_hit@10"]["mean"] == 1.0
    assert summary["cost"]["tokens"]["total"] > 0  # generative fake reports tokens


def test_cli_run_on_the_real_corpus_with_the_fake(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = Path(__file__).resolve().parent.parent / "eval" / "questions_holdout.jsonl"
    code = main(
        [
            "run",
            "--fake",
            "--questions",
            str(questions),
            "--limit",
            "3",
            "--out",
            str(tmp_path / "cli"),
            "--no-progress",
        ]
    )
    assert code == 0
    assert "## Quality (overall and per kind)" in capsys.readouterr().out
    assert json.loads((tmp_path / "cli" / "summary.json").read_text())["n_questions"] == 3


def test_cli_reports_a_bad_question_file_without_starting_the_assistant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["run", "--questions", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert f"{bad}:1:" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_compare_tables_deltas_and_question_changes(tmp_path: Path) -> None:
    run_a = make_run(tmp_path, "a")
    run_b = make_run(tmp_path, "b", min_overlap=1.01)  # refuses everything
    text = compare_runs(run_a, run_b)
    assert text == (run_b / "compare_vs_a.md").read_text()
    assert "| false_refusal | 0.000 | 1.000 | +1.000 | - |" in text
    assert "## Kind: funding" in text and "Different question sets" not in text
    changes = question_changes(load_run(run_a).records, load_run(run_b).records)
    by_id = {c.id: c for c in changes}
    assert "refused: False → True" in by_id["n1"].changes
    assert by_id["n1"].worse >= 1 and "o1" not in by_id


def test_compare_cli_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_a = make_run(tmp_path, "a")
    assert main(["compare", str(run_a), str(run_a), "--out", str(tmp_path / "c.md")]) == 0
    assert "No per-question changes." in capsys.readouterr().out
    with pytest.raises(RunError):
        load_run(tmp_path)
    assert main(["compare", str(tmp_path), str(run_a)]) == 2


def test_verdict_respects_direction() -> None:
    assert verdict("mrr", 0.1) == "+" and verdict("mrr", -0.1) == "-"
    assert verdict("false_refusal", -0.1) == "+" and verdict("latency_ms", 5.0) == "-"
    assert verdict("mrr", 0.0) == "" and verdict("mrr", None) == ""


class Counting(FakeAssistant):
    def __init__(self) -> None:
        super().__init__(DOCS, chunk_chars=300)
        self.asked: list[str] = []

    def ask(
        self, question: str, history: list[Turn] | None = None, profile: Profile | None = None, mode: str | None = None
    ) -> Answer:
        self.asked.append(question)
        return super().ask(question, history, profile, mode)


def test_warmup_question_is_asked_but_not_recorded(tmp_path: Path) -> None:
    questions = write_questions(tmp_path / "q.jsonl", CASES)
    counting = Counting()
    summary = run_eval(counting, questions, tmp_path / "run", progress=False, warmup=True)
    assert counting.asked == [CASES[0]["question"]] + [c["question"] for c in CASES]
    assert summary["n_questions"] == 3 and summary["warmup"] is True
