"""Streamlit page 'Evaluatie': the latest evaluation run, its per-question results, and a
comparison with the run before it. Runs are folders written by `python -m eval run`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from assistant.appdata import feedback
from assistant.appdata.db import AppDBError
from assistant.settings import get_settings
from eval.compare import Run, RunError, load_run, metric_rows, question_changes
from eval.plots import LATENCY_PNG, PER_KIND_PNG

METRIC_NL = {
    "doc_hit@5": "juist document in top 5",
    "evidence_hit@5": "bewijspassage in top 5",
    "evidence_recall@5": "aandeel bewijspassages in top 5",
    "mrr": "reciproke rang eerste bewijspassage",
    "citation_validity": "geldige citaten (letterlijk in bron)",
    "evidence_support": "citaat ondersteunt met bewijs",
    "keypoint_coverage": "dekking kernpunten",
    "refusal_accuracy": "terecht geweigerd (buiten corpus)",
    "false_refusal": "onterecht geweigerd (lager is beter)",
}
QUESTION_COLUMNS = ["evidence_hit@5", "mrr", "citation_validity", "evidence_support", "keypoint_coverage"]


def list_runs(runs_dir: Path) -> list[Run]:
    """Readable runs in `runs_dir`, oldest first (by creation time in the summary)."""
    runs = []
    for path in sorted(p for p in runs_dir.iterdir() if p.is_dir()) if runs_dir.is_dir() else []:
        try:
            runs.append(load_run(path))
        except (RunError, ValueError, OSError):
            continue
    return sorted(runs, key=lambda r: (str(r.summary.get("created", "")), r.name))


def _value(value: Any) -> float | None:
    return round(float(value), 3) if value is not None else None


def summary_frame(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Metrics as rows; overall and per-kind means as columns (empty where not applicable)."""
    rows = []
    for name, agg in summary["metrics"].items():
        row = {"metriek": name, "omschrijving": METRIC_NL.get(name, ""), "totaal": _value(agg["mean"]), "n": agg["n"]}
        for kind, block in summary["per_kind"].items():
            row[kind] = _value(block["metrics"][name]["mean"])
        rows.append(row)
    return rows


def question_frame(records: list[dict[str, Any]], kinds: list[str]) -> list[dict[str, Any]]:
    rows = []
    for rec in records:
        if rec["kind"] not in kinds:
            continue
        row = {
            "id": rec["id"],
            "soort": rec["kind"],
            "vraag": rec["question"],
            "geweigerd": rec["refused"],
            "citaten": len(rec["citations"]),
            "latentie (ms)": _value(rec.get("latency_ms")),
        }
        row.update({m: _value(rec["metrics"].get(m)) for m in QUESTION_COLUMNS})
        rows.append(row)
    return rows


def _render_summary(run: Run) -> None:
    s = run.summary
    st.subheader("Samenvatting")
    st.caption(
        f"Run {run.name} · {s.get('created', '')} · vragen: {s.get('questions_file', '')} "
        f"({s['n_questions']}) · modus: {s.get('mode', '')} · geweigerd: {s['n_refused']}"
        f" · fouten: {s['n_errors']}"
    )
    st.dataframe(summary_frame(s), hide_index=True)
    cal = s.get("keypoint_calibration") or {}
    if cal:
        st.caption(
            f"Kernpuntmaat: drempel {cal['threshold']}, overeenstemming met "
            f"{cal['n_labels']} handlabels: nauwkeurigheid {cal['accuracy']}, "
            f"kappa {cal['kappa']}."
        )
    judge = s.get("judge") or {}
    if judge.get("enabled"):
        st.caption(
            "LLM-beoordeling: "
            + (str(judge.get("metrics")) if judge.get("available") else f"niet beschikbaar ({judge.get('detail')})")
        )


def _render_charts(run: Run) -> None:
    st.subheader("Scores per soort vraag")
    if (run.path / PER_KIND_PNG).is_file():
        st.image(str(run.path / PER_KIND_PNG))
    st.subheader("Latentie")
    lat = run.summary["cost"]["latency_ms"]
    left, mid, right = st.columns(3)
    left.metric("Mediaan (p50)", f"{lat['p50']} ms")
    mid.metric("p95", f"{lat['p95']} ms")
    right.metric("Tokens totaal", str(run.summary["cost"]["tokens"]["total"]))
    if (run.path / LATENCY_PNG).is_file():
        st.image(str(run.path / LATENCY_PNG))


def _render_questions(run: Run) -> None:
    st.subheader("Resultaten per vraag")
    kinds = list(run.summary["per_kind"])
    chosen = st.multiselect("Filter op soort vraag", kinds, default=kinds, key="eval_kinds")
    frame = question_frame(run.records, chosen)
    st.dataframe(frame, hide_index=True)
    ids = [row["id"] for row in frame]
    if not ids:
        return
    picked = st.selectbox("Bekijk antwoord", ids, key="eval_question")
    rec = next(r for r in run.records if r["id"] == picked)
    st.markdown(f"**Vraag:** {rec['question']}")
    st.markdown(rec["answer"] or "_(leeg antwoord)_")
    for cit in rec["citations"]:
        st.caption(f"[{cit['n']}] {cit['doc_id']}: “{cit['quote'][:300]}”")
    covered = [f"{'✓' if kp['covered'] else '✗'} {kp['key_point']}" for kp in rec["keypoints"]]
    if covered:
        st.caption("Kernpunten: " + " · ".join(covered))


def _render_compare(previous: Run, latest: Run) -> None:
    st.subheader(f"Vergelijking: {previous.name} → {latest.name}")
    rows = metric_rows(previous.summary["metrics"], latest.summary["metrics"])
    header = ["metriek", "vorige", "laatste", "verschil", "±"]
    st.dataframe([dict(zip(header, row, strict=True)) for row in rows], hide_index=True)
    changes = question_changes(previous.records, latest.records)
    st.caption(f"{len(changes)} vragen veranderd (+ beter, - slechter).")
    for change in changes[:50]:
        st.markdown(
            f"- **{change.id}** ({change.kind}): beter {change.better}, "
            f"slechter {change.worse} — " + "; ".join(change.changes)
        )


def feedback_rows(db: Path) -> list[dict[str, Any]]:
    """Thumbs per question kind (kinds by the fixed rules of assistant/appdata/feedback.py)."""
    return [
        {
            "soort vraag": feedback.KIND_NL.get(c.kind, c.kind),
            "👍": c.up,
            "👎": c.down,
            "totaal": c.total,
            "met reden": c.with_reason,
        }
        for c in feedback.counts_per_kind(db)
    ]


def _render_feedback(db: Path) -> None:
    st.subheader("Beoordelingen in de chat")
    try:
        rows, reasons = feedback_rows(db), feedback.recent_reasons(db)
    except (AppDBError, OSError) as exc:
        st.warning(f"De beoordelingen konden niet worden gelezen ({exc}).")
        return
    if not rows:
        st.caption("Nog geen beoordelingen: geef een duim omhoog of omlaag onder een antwoord in de chat.")
        return
    st.caption(
        "Soort vraag volgens vaste regels: geweigerd = buiten de bronnen, anders fase, bekostiging, "
        "governance of monitoring op trefwoorden, de rest feitelijk."
    )
    st.dataframe(rows, hide_index=True)
    if reasons:
        st.dataframe(reasons, hide_index=True)


def render_eval_page(runs_dir: Path, app_db: Path | None = None) -> None:
    """The evaluation page for the runs in `runs_dir` (folders from `python -m eval run`),
    and the users' ratings from the app database."""
    st.header("Evaluatie")
    runs = list_runs(Path(runs_dir))
    if not runs:
        st.info(f"Nog geen evaluatieruns in {runs_dir}. Start er een met `python -m eval run --out eval/runs/<naam>`.")
    else:
        latest = runs[-1]
        _render_summary(latest)
        _render_charts(latest)
        _render_questions(latest)
        if len(runs) >= 2:
            _render_compare(runs[-2], latest)
    _render_feedback(app_db or get_settings().app_db)
