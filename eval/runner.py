"""Run a question set through any object with the Assistant's `ask` method."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]

from assistant.corpus.cleaning import normalize_for_match
from assistant.types import Answer, Mode, Profile, Turn
from eval.judge import Judge
from eval.keypoints import DEFAULT_THRESHOLD, answer_material, keypoint_score
from eval.metrics import Result, evaluate
from eval.questions import Case, load_questions
from eval.report import write_report

RESULTS_FILE = "results.jsonl"
PROGRESS_MIN_CASES = 5


class AsksQuestions(Protocol):
    """The part of `assistant.service.Assistant` the harness uses."""

    def ask(
        self, question: str, history: list[Turn] | None = None, profile: Profile | None = None, mode: Mode | None = None
    ) -> Answer: ...


def document_texts(assistant: object) -> dict[str, str]:
    """Cleaned text per doc id: from `assistant.documents` when present, else the corpus."""
    docs = getattr(assistant, "documents", None)
    if isinstance(docs, Mapping) and docs:
        return {doc_id: str(getattr(doc, "text", doc)) for doc_id, doc in docs.items()}
    from assistant.corpus.loaders import load_corpus
    from assistant.settings import get_settings

    return {k: d.text for k, d in load_corpus(get_settings().corpus_dir).documents.items()}


def check_cases(cases: Sequence[Case], doc_texts: Mapping[str, str]) -> list[str]:
    """Problems of a question set against the corpus: unknown doc ids, spans not found."""
    problems = []
    norms = {doc_id: normalize_for_match(text) for doc_id, text in doc_texts.items()}
    for case in cases:
        unknown = [d for d in case.expected_docs if d not in norms]
        if unknown:
            problems.append(f"{case.id}: unknown expected_docs {unknown}")
        for span in case.evidence:
            if not any(normalize_for_match(span) in norms.get(d, "") for d in case.expected_docs):
                problems.append(f"{case.id}: evidence not found in expected_docs: {span[:60]!r}")
    return problems


def ask_case(assistant: AsksQuestions, case: Case, mode: Mode | None, doc_texts: Mapping[str, str]) -> Result:
    """Ask one question; an exception becomes an empty answer with `error` set."""
    start = time.perf_counter()
    try:
        answer = assistant.ask(case.question, mode=mode)
        error = None
    except Exception as exc:  # noqa: BLE001 - one failing question must not end the run
        answer, error = Answer(question=case.question, text=""), f"{type(exc).__name__}: {exc}"
    wall_ms = (time.perf_counter() - start) * 1000
    return Result(answer=answer, wall_ms=wall_ms, doc_texts=doc_texts, error=error)


def keypoint_details(case: Case, result: Result) -> list[dict[str, Any]]:
    material = answer_material(result.answer.text, [c.quote for c in result.answer.citations])
    details = []
    for kp in case.key_points if case.in_scope else []:
        score = keypoint_score(kp, material)
        covered = score is not None and score >= DEFAULT_THRESHOLD
        details.append({"key_point": kp, "score": score, "covered": covered})
    return details


def to_record(case: Case, result: Result, judge_scores: Mapping[str, float | None]) -> dict[str, Any]:
    """One line of results.jsonl."""
    ans = result.answer
    metrics = evaluate(case, result)
    return {
        "id": case.id,
        "kind": case.kind,
        "persona": case.persona,
        "question": case.question,
        "answer": ans.text,
        "language": ans.language,
        "mode": ans.mode,
        "refused": ans.refused,
        "notice": ans.notice,
        "error": result.error,
        "citations": [c.model_dump(include={"n", "doc_id", "chunk_id", "section", "quote"}) for c in ans.citations],
        "retrieved": [{"id": r.chunk.id, "doc_id": r.chunk.doc_id, "score": r.score} for r in ans.retrieved],
        "expected_docs": case.expected_docs,
        "metrics": metrics,
        "judge": dict(judge_scores),
        "keypoints": keypoint_details(case, result),
        "latency_ms": metrics["latency_ms"],
        "wall_ms": round(result.wall_ms, 1),
        "tokens": ans.tokens,
        "refusal_reason": next(iter(ans.sections.get("refusal_reason", [])), None),
    }


def run_cases(
    assistant: AsksQuestions,
    cases: Sequence[Case],
    *,
    mode: Mode | None = None,
    doc_texts: Mapping[str, str],
    judge: Judge | None = None,
    progress: bool = True,
) -> list[dict[str, Any]]:
    records = []
    quiet = not progress or len(cases) < PROGRESS_MIN_CASES
    bar = tqdm(cases, desc="eval", unit="q", disable=quiet)
    for case in bar:
        result = ask_case(assistant, case, mode, doc_texts)
        scores = judge.score(case, result.answer) if judge and judge.available else {}
        records.append(to_record(case, result, scores))
    return records


def warm_up(assistant: AsksQuestions, cases: Sequence[Case], mode: Mode | None) -> None:
    """Ask the first question once, unrecorded, so model loading does not count as latency."""
    if cases:
        ask_case(assistant, cases[0], mode, {})


def run_eval(
    assistant: AsksQuestions,
    questions: Path,
    out_dir: Path,
    *,
    mode: Mode | None = None,
    limit: int | None = None,
    judge: Judge | None = None,
    doc_texts: Mapping[str, str] | None = None,
    progress: bool = True,
    warmup: bool = False,
) -> dict[str, Any]:
    """Run the question file; write results.jsonl, summary.json/.md and plots; return the
    summary."""
    cases = load_questions(questions)
    cases = cases[:limit] if limit is not None else cases
    texts = dict(doc_texts) if doc_texts is not None else document_texts(assistant)
    if warmup:
        warm_up(assistant, cases, mode)
    records = run_cases(assistant, cases, mode=mode, doc_texts=texts, judge=judge, progress=progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / RESULTS_FILE).open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    meta = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "questions_file": str(questions),
        "mode": mode or "default",
        "limit": limit,
        "warmup": warmup,
        "warnings": check_cases(cases, texts),
    }
    return write_report(records, meta, out_dir, judge)
