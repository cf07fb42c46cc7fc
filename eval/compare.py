"""Compare two runs: per metric and per kind with deltas, and per-question changes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.metrics import LOWER_IS_BETTER
from eval.report import SUMMARY_JSON, fmt
from eval.runner import RESULTS_FILE

EPS = 1e-9


class RunError(ValueError):
    """A run folder is missing its summary or results."""


@dataclass
class Run:
    path: Path
    summary: dict[str, Any]
    records: list[dict[str, Any]]

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class QuestionChange:
    id: str
    kind: str
    changes: list[str] = field(default_factory=list)  # "metric: a → b"
    better: int = 0
    worse: int = 0


def load_run(path: Path) -> Run:
    summary_path, results_path = path / SUMMARY_JSON, path / RESULTS_FILE
    if not summary_path.is_file() or not results_path.is_file():
        raise RunError(f"{path}: not a run folder (needs {SUMMARY_JSON} and {RESULTS_FILE})")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    lines = results_path.read_text(encoding="utf-8").splitlines()
    return Run(path, summary, [json.loads(line) for line in lines if line.strip()])


def delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def verdict(name: str, d: float | None) -> str:
    """'+' when B is better than A, '-' when worse, '' when equal or not comparable."""
    if d is None or abs(d) < EPS:
        return ""
    improved = d < 0 if name in LOWER_IS_BETTER else d > 0
    return "+" if improved else "-"


def metric_rows(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[list[str]]:
    """Rows: metric, A, B, delta, verdict; metrics with a value in either summary block."""
    rows = []
    for name in dict.fromkeys([*a, *b]):
        va, vb = a.get(name, {}).get("mean"), b.get(name, {}).get("mean")
        if va is None and vb is None:
            continue
        d = delta(va, vb)
        shown = fmt(d) if d is None else f"{d:+.3f}"
        rows.append([name, fmt(va), fmt(vb), shown, verdict(name, d)])
    return rows


def cost_rows(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[list[str]]:
    rows = []
    for key in ("p50", "p95"):
        va, vb = a["cost"]["latency_ms"][key], b["cost"]["latency_ms"][key]
        d = delta(va, vb)
        rows.append(
            [
                f"latency {key} (ms)",
                fmt(va, 1),
                fmt(vb, 1),
                fmt(d) if d is None else f"{d:+.1f}",
                verdict("latency_ms", d),
            ]
        )
    ta, tb = a["cost"]["tokens"]["total"], b["cost"]["tokens"]["total"]
    rows.append(["tokens total", str(ta), str(tb), f"{tb - ta:+d}", verdict("tokens", tb - ta)])
    return rows


def question_changes(a: Sequence[Mapping[str, Any]], b: Sequence[Mapping[str, Any]]) -> list[QuestionChange]:
    """Per question id in both runs: metrics whose value changed, and refusal flips."""
    by_id = {r["id"]: r for r in a}
    out = []
    for rb in b:
        ra = by_id.get(rb["id"])
        if ra is None:
            continue
        qc = QuestionChange(rb["id"], rb["kind"])
        if ra.get("refused") != rb.get("refused"):
            qc.changes.append(f"refused: {ra.get('refused')} → {rb.get('refused')}")
        for name, vb in rb["metrics"].items():
            va = ra["metrics"].get(name)
            d = delta(va, vb)
            unchanged = (va is None and vb is None) or (d is not None and abs(d) < EPS)
            if name == "latency_ms" or unchanged:
                continue
            qc.changes.append(f"{name}: {fmt(va)} → {fmt(vb)}")
            mark = verdict(name, d)
            qc.better += mark == "+"
            qc.worse += mark == "-"
        if qc.changes:
            out.append(qc)
    return out


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def render_compare(run_a: Run, run_b: Run) -> str:
    """Markdown: overall table, cost, one table per kind, per-question changes."""
    sa, sb = run_a.summary, run_b.summary
    head = ["metric", f"A: {run_a.name}", f"B: {run_b.name}", "B − A", "±"]
    lines = [
        f"# Compare {run_a.name} (A) → {run_b.name} (B)",
        "",
        "± : + means B is better, - means B is worse.",
        "",
        *_scope_note(run_a, run_b),
        "## Overall",
        "",
        *_table(head, metric_rows(sa["metrics"], sb["metrics"])),
        "",
        "## Cost",
        "",
        *_table(head, cost_rows(sa, sb)),
        "",
    ]
    for kind in dict.fromkeys([*sa["per_kind"], *sb["per_kind"]]):
        ka = sa["per_kind"].get(kind, {}).get("metrics", {})
        kb = sb["per_kind"].get(kind, {}).get("metrics", {})
        lines += [f"## Kind: {kind}", "", *_table(head, metric_rows(ka, kb)), ""]
    changes = question_changes(run_a.records, run_b.records)
    lines += ["## Per-question changes", ""]
    lines += [
        f"- **{c.id}** ({c.kind}; better {c.better}, worse {c.worse}): " + "; ".join(c.changes) for c in changes
    ] or ["No per-question changes."]
    return "\n".join(lines) + "\n"


def _scope_note(run_a: Run, run_b: Run) -> list[str]:
    """A warning when the runs did not answer the same questions (overall means differ then)."""
    ids_a, ids_b = {r["id"] for r in run_a.records}, {r["id"] for r in run_b.records}
    if ids_a == ids_b:
        return []
    only_a, only_b = sorted(ids_a - ids_b), sorted(ids_b - ids_a)
    note = (
        f"**Different question sets**: {len(only_a)} only in A "
        f"({', '.join(only_a[:10]) or '–'}), {len(only_b)} only in B "
        f"({', '.join(only_b[:10]) or '–'}); means are not directly comparable."
    )
    return [note, ""]


def compare_runs(path_a: Path, path_b: Path, out: Path | None = None) -> str:
    """Render the comparison and write it to `out` (default: B/compare_vs_<A>.md)."""
    run_a, run_b = load_run(path_a), load_run(path_b)
    text = render_compare(run_a, run_b)
    target = out or path_b / f"compare_vs_{run_a.name}.md"
    target.write_text(text, encoding="utf-8")
    return text
