"""Command line: `python -m eval {run,compare,gate,calibrate,check} ...`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from eval.compare import RunError
from eval.questions import QuestionFileError, load_questions

if TYPE_CHECKING:
    from eval.runner import AsksQuestions

EVAL_DIR = Path(__file__).resolve().parent
DEFAULT_QUESTIONS = EVAL_DIR / "questions_dev.jsonl"
RUNS_DIR = EVAL_DIR / "runs"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ask every question and write results, summary and plots")
    run.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help="JSONL question file")
    run.add_argument("--mode", choices=["extractive", "generative"], default=None)
    run.add_argument("--limit", type=int, default=None, help="only the first N questions")
    run.add_argument("--out", type=Path, default=None, help="run folder (default eval/runs/<time>)")
    run.add_argument("--judge", action="store_true", help="add LLM-judge metrics if reachable")
    run.add_argument("--fake", action="store_true", help="use the lexical FakeAssistant (smoke test)")
    run.add_argument("--no-progress", action="store_true")
    run.add_argument(
        "--no-warmup", action="store_true", help="do not ask one unrecorded question first (model loading in latency)"
    )
    cmp_ = sub.add_parser("compare", help="side-by-side table of two runs")
    cmp_.add_argument("run_a", type=Path)
    cmp_.add_argument("run_b", type=Path)
    cmp_.add_argument("--out", type=Path, default=None, help="Markdown file (default in RUN_B)")
    gate = sub.add_parser("gate", help="check a run against eval/gate.py thresholds")
    gate.add_argument("run_dir", type=Path)
    cal = sub.add_parser("calibrate", help="key-point threshold agreement with hand labels")
    cal.add_argument("--labels", type=Path, default=EVAL_DIR / "keypoint_labels.jsonl")
    fg = sub.add_parser("fit-gate", help="fit the answerability gate on eval/answerability.jsonl")
    fg.add_argument("--data", type=Path, default=EVAL_DIR / "answerability.jsonl")
    chk = sub.add_parser("check", help="validate a question file against the corpus")
    chk.add_argument("questions", type=Path)
    return p


def _assistant(fake: bool) -> AsksQuestions:
    if fake:
        from eval.fake import FakeAssistant
        from eval.runner import document_texts

        return FakeAssistant(document_texts(None))
    # Built lazily: loading or building the index is slow.
    from assistant.service import Assistant  # type: ignore[import-not-found,unused-ignore]

    assistant: AsksQuestions = Assistant.create()
    return assistant


def cmd_run(args: argparse.Namespace) -> int:
    from eval.judge import judge_from_settings
    from eval.report import SUMMARY_MD
    from eval.runner import run_eval

    load_questions(args.questions)  # fail fast, before the slow assistant start
    if args.limit is not None and args.limit < 1:
        raise QuestionFileError("--limit must be at least 1")
    out = args.out or RUNS_DIR / f"{datetime.now():%Y%m%d-%H%M%S}-{args.mode or 'default'}"
    assistant = _assistant(args.fake)
    judge = judge_from_settings() if args.judge else None
    run_eval(
        assistant,
        args.questions,
        out,
        mode=args.mode,
        limit=args.limit,
        judge=judge,
        progress=not args.no_progress,
        warmup=not args.no_warmup,
    )
    print((out / SUMMARY_MD).read_text(encoding="utf-8"))
    print(f"Run written to {out}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from eval.compare import compare_runs

    print(compare_runs(args.run_a, args.run_b, args.out))
    return 0


def cmd_gate(args: argparse.Namespace) -> int:
    from eval.gate import check
    from eval.report import SUMMARY_JSON

    summary = json.loads((args.run_dir / SUMMARY_JSON).read_text(encoding="utf-8"))
    failures = check(summary)
    print("\n".join(failures) if failures else "gate passed")
    return 1 if failures else 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from eval.calibration import (
        GRID,
        agreement,
        calibration_report,
        load_labels,
        scored,
    )

    points = scored(load_labels(args.labels))
    print("threshold  accuracy  kappa")
    for t in GRID:
        a = agreement(points, t)
        print(f"{t:9.2f}  {a.accuracy:8.3f}  {a.kappa:5.3f}")
    print(json.dumps(calibration_report(args.labels), indent=2))
    return 0


def cmd_fit_gate(args: argparse.Namespace) -> int:
    from assistant.service import Assistant
    from eval.gate_fit import fit, load_rows

    assistant = Assistant.create()
    model, exemplars = fit(load_rows(args.data), assistant.gate_signals, assistant.embedder.embed_query)
    model.report["embedder"] = assistant.embedder.name
    model.save()
    exemplars.save()
    print(json.dumps({"threshold": model.threshold, **model.report}, indent=1))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from eval.runner import check_cases, document_texts

    cases = load_questions(args.questions)
    problems = check_cases(cases, document_texts(None))
    print("\n".join(problems) if problems else f"{len(cases)} questions OK")
    return 1 if problems else 0


COMMANDS = {
    "run": cmd_run,
    "compare": cmd_compare,
    "gate": cmd_gate,
    "calibrate": cmd_calibrate,
    "check": cmd_check,
    "fit-gate": cmd_fit_gate,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (QuestionFileError, RunError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
