"""Summaries of a run: aggregate per metric (overall and per kind), write JSON and Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval.calibration import calibration_report
from eval.judge import JUDGE_METRICS, Judge
from eval.metrics import QUALITY_METRICS
from eval.questions import KINDS

SUMMARY_JSON = "summary.json"
SUMMARY_MD = "summary.md"
Record = Mapping[str, Any]


def _values(records: Iterable[Record], name: str, field: str = "metrics") -> list[float]:
    return [v for r in records if (v := r.get(field, {}).get(name)) is not None]


def aggregate(records: Sequence[Record], names: Iterable[str], field: str = "metrics") -> dict[str, dict[str, Any]]:
    """Mean and count of the applicable (non-None) values per metric."""
    out = {}
    for name in names:
        vals = _values(records, name, field)
        out[name] = {"mean": round(float(np.mean(vals)), 4) if vals else None, "n": len(vals)}
    return out


def latency_stats(records: Sequence[Record]) -> dict[str, float | None]:
    vals = [float(r["latency_ms"]) for r in records if r.get("latency_ms") is not None]
    if not vals:
        return {"p50": None, "p95": None, "mean": None, "max": None}
    return {
        "p50": round(float(np.percentile(vals, 50)), 1),
        "p95": round(float(np.percentile(vals, 95)), 1),
        "mean": round(float(np.mean(vals)), 1),
        "max": round(max(vals), 1),
    }


def token_stats(records: Sequence[Record]) -> dict[str, Any]:
    per_q = [sum(r["tokens"].values()) for r in records if r.get("tokens")]
    keys = sorted({k for r in records for k in (r.get("tokens") or {})})
    by_key = {k: sum(int((r.get("tokens") or {}).get(k, 0)) for r in records) for k in keys}
    return {
        "total": sum(per_q),
        "n": len(per_q),
        "by_kind_of_token": by_key,
        "mean_per_question": round(sum(per_q) / len(per_q), 1) if per_q else None,
    }


def judge_section(records: Sequence[Record], judge: Judge | None) -> dict[str, Any]:
    if judge is None:
        return {"enabled": False}
    section: dict[str, Any] = {
        "enabled": True,
        "available": judge.available,
        "detail": judge.reason,
        "failed_calls": judge.failures,
    }
    if judge.available:
        section["metrics"] = aggregate(records, JUDGE_METRICS, "judge")
        section["per_kind"] = {
            k: aggregate([r for r in records if r["kind"] == k], JUDGE_METRICS, "judge") for k in _kinds(records)
        }
    return section


def _kinds(records: Sequence[Record]) -> list[str]:
    present = {r["kind"] for r in records}
    return [k for k in KINDS if k in present] + sorted(present - set(KINDS))


def summarize(records: Sequence[Record], meta: Mapping[str, Any], judge: Judge | None = None) -> dict[str, Any]:
    """The summary.json content."""
    per_kind = {}
    for kind in _kinds(records):
        sub = [r for r in records if r["kind"] == kind]
        per_kind[kind] = {
            "n_questions": len(sub),
            "metrics": aggregate(sub, QUALITY_METRICS),
            "latency_ms": latency_stats(sub),
        }
    per_language = {}
    for lang in ("nl", "en"):
        sub = [r for r in records if r.get("language") == lang]
        if sub:
            per_language[lang] = {"n_questions": len(sub), "metrics": aggregate(sub, QUALITY_METRICS)}
    refusals = [r.get("refusal_reason") or "?" for r in records if r.get("refused")]
    return {
        **meta,
        "n_questions": len(records),
        "n_errors": sum(1 for r in records if r.get("error")),
        "n_refused": sum(1 for r in records if r.get("refused")),
        "metrics": aggregate(records, QUALITY_METRICS),
        "per_kind": per_kind,
        "per_language": per_language,
        "refusal_reasons": {k: refusals.count(k) for k in sorted(set(refusals))},
        "cost": {"latency_ms": latency_stats(records), "tokens": token_stats(records)},
        "keypoint_calibration": calibration_report(),
        "judge": judge_section(records, judge),
    }


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def metrics_table(summary: Mapping[str, Any]) -> list[str]:
    """Overall column plus one column per kind; a dash where a metric does not apply."""
    kinds = list(summary["per_kind"])
    header = ["metric", "overall", "n", *kinds]
    rows = []
    for name, agg in summary["metrics"].items():
        per = [fmt(summary["per_kind"][k]["metrics"][name]["mean"]) for k in kinds]
        rows.append([name, fmt(agg["mean"]), str(agg["n"]), *per])
    counts = [
        "questions",
        str(summary["n_questions"]),
        "",
        *[str(summary["per_kind"][k]["n_questions"]) for k in kinds],
    ]
    return _table(header, [counts, *rows])


def language_table(summary: Mapping[str, Any]) -> list[str]:
    """Overall column plus one per question language (the answer's language)."""
    langs = list(summary.get("per_language", {}))
    rows = [
        [name, fmt(agg["mean"]), *[fmt(summary["per_language"][g]["metrics"][name]["mean"]) for g in langs]]
        for name, agg in summary["metrics"].items()
    ]
    counts = [
        "questions",
        str(summary["n_questions"]),
        *[str(summary["per_language"][g]["n_questions"]) for g in langs],
    ]
    return _table(["metric", "overall", *langs], [counts, *rows])


def _cost_lines(summary: Mapping[str, Any]) -> list[str]:
    lat, tok = summary["cost"]["latency_ms"], summary["cost"]["tokens"]
    rows = [
        ["latency p50 (ms)", fmt(lat["p50"], 1)],
        ["latency p95 (ms)", fmt(lat["p95"], 1)],
        ["latency mean (ms)", fmt(lat["mean"], 1)],
        ["latency max (ms)", fmt(lat["max"], 1)],
        ["tokens total", fmt(tok["total"])],
        ["tokens per LLM answer", fmt(tok["mean_per_question"], 1)],
    ]
    return _table(["cost", "value"], rows)


def _calibration_lines(cal: Mapping[str, Any]) -> list[str]:
    split = cal["split_check"]
    text = (
        f"Key points count as covered when at least {cal['threshold']} of their content stems "
        f"occur in the answer text plus cited quotes. Agreement with {cal['n_labels']} hand "
        f"labels ({cal['n_answers']} answers, {cal['labels_file']}): accuracy "
        f"{fmt(cal['accuracy'])}, Cohen's kappa {fmt(cal['kappa'])} (best grid threshold "
        f"{cal['best_grid_threshold']}, kappa {fmt(cal['best_grid_kappa'])}). Split check "
        f"(threshold fitted on half the questions, tested on the other half): kappa "
        f"{fmt(split['fit_even_test_odd_kappa'])} and {fmt(split['fit_odd_test_even_kappa'])}."
    )
    return [text]


def _judge_lines(section: Mapping[str, Any]) -> list[str]:
    if not section.get("enabled"):
        return ["Not run (use `--judge`)."]
    if not section.get("available"):
        return [f"Unavailable: {section.get('detail')}. Judge metrics were not computed."]
    rows = [[name, fmt(agg["mean"]), str(agg["n"])] for name, agg in section["metrics"].items()]
    note = (
        f"Judge: {section['detail']}; failed calls: {section['failed_calls']}. "
        "LLM-judged, not deterministic: compare with care."
    )
    return [note, "", *_table(["judge metric", "mean", "n"], rows)]


def render_markdown(summary: Mapping[str, Any]) -> str:
    intro = (
        f"Questions: `{summary.get('questions_file')}` ({summary['n_questions']}), mode "
        f"`{summary.get('mode')}`, refused {summary['n_refused']}, "
        f"errors {summary['n_errors']}."
    )
    scope = (
        "Retrieval metrics and key-point coverage: in-scope questions only; "
        "refusal_accuracy: out_of_scope only; false_refusal: lower is better. "
        "Definitions: `eval/metrics.py`."
    )
    lines = [
        f"# Evaluation run {summary.get('created', '')}",
        "",
        intro,
        "",
        "## Quality (overall and per kind)",
        "",
        *metrics_table(summary),
        "",
        scope,
        "",
        "## Quality per language",
        "",
        *language_table(summary),
        "",
        "Refusals by reason (the gate's intent, 'terms' for unknown terms, 'weak' for weak passages): "
        + (", ".join(f"{k} {v}" for k, v in summary.get("refusal_reasons", {}).items()) or "none")
        + ".",
        "",
        "## Cost",
        "",
        *_cost_lines(summary),
        "",
        "## Key-point measure calibration",
        "",
        *_calibration_lines(summary["keypoint_calibration"]),
        "",
        "## LLM judge (separate from the deterministic metrics)",
        "",
        *_judge_lines(summary["judge"]),
        "",
    ]
    if summary.get("warnings"):
        lines += ["## Question-set warnings", "", *[f"- {w}" for w in summary["warnings"]], ""]
    return "\n".join(lines)


def write_report(
    records: Sequence[Record], meta: Mapping[str, Any], out_dir: Path, judge: Judge | None = None
) -> dict[str, Any]:
    """Write summary.json, summary.md and the plots into `out_dir`; return the summary."""
    from eval.plots import write_plots

    summary = summarize(records, meta, judge)
    (out_dir / SUMMARY_JSON).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    (out_dir / SUMMARY_MD).write_text(render_markdown(summary), encoding="utf-8")
    write_plots(records, summary, out_dir)
    return summary
