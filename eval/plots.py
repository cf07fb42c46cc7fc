"""PNG plots of a run (matplotlib, Agg backend): per-kind scores and latency histogram."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere in this process
from matplotlib import pyplot as plt

PER_KIND_PNG = "per_kind.png"
LATENCY_PNG = "latency.png"
PLOT_METRICS = (
    "doc_hit@5",
    "evidence_hit@5",
    "mrr",
    "citation_validity",
    "evidence_support",
    "keypoint_coverage",
    "refusal_accuracy",
)


def plot_per_kind(summary: Mapping[str, Any], path: Path) -> None:
    """Grouped bars: one group per kind, one bar per headline metric (missing = not applicable)."""
    kinds = list(summary["per_kind"])
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / len(PLOT_METRICS)
    for i, name in enumerate(PLOT_METRICS):
        xs, ys = [], []
        for j, kind in enumerate(kinds):
            value = summary["per_kind"][kind]["metrics"].get(name, {}).get("mean")
            if value is not None:
                xs.append(j + (i - len(PLOT_METRICS) / 2 + 0.5) * width)
                ys.append(value)
        ax.bar(xs, ys, width=width, label=name)
    ax.set_xticks(range(len(kinds)), kinds)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title("Scores per question kind")
    ax.legend(fontsize=7, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.08))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_latency(records: Sequence[Mapping[str, Any]], summary: Mapping[str, Any], path: Path) -> None:
    """Histogram of per-question latency with p50 and p95 marked."""
    seconds = [float(r["latency_ms"]) / 1000 for r in records if r.get("latency_ms") is not None]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist(seconds, bins=min(20, max(len(seconds), 1)), color="#4c72b0")
    stats = summary["cost"]["latency_ms"]
    for label, key, style in (("p50", "p50", "--"), ("p95", "p95", ":")):
        if stats[key] is not None:
            ax.axvline(stats[key] / 1000, color="black", linestyle=style, label=label)
    ax.set_xlabel("latency (s)")
    ax.set_ylabel("questions")
    ax.set_title("Latency per question")
    if seconds:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_plots(records: Sequence[Mapping[str, Any]], summary: Mapping[str, Any], out_dir: Path) -> None:
    plot_per_kind(summary, out_dir / PER_KIND_PNG)
    plot_latency(records, summary, out_dir / LATENCY_PNG)
