"""Quality gate: minimum (and maximum) values a run's summary must reach.

The numbers are starting points; set them from a measured baseline of the real assistant
(`python -m eval run`, then `python -m eval gate RUN_DIR`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# metric -> minimum overall mean (higher is better). Set from the measured dev-set baseline of the
# default mode with the knowledge base (2026-12-05: hit@5 0.861, MRR 0.728, support 0.889, key points
# 0.639, refusal 0.75), rounded down with a margin of about one question (1/36 = 0.028), since claims may
# still be edited.
THRESHOLDS: dict[str, float] = {
    "doc_hit@5": 1.00,
    "evidence_hit@5": 0.83,
    "evidence_hit@10": 0.88,
    "mrr": 0.69,
    "citation_validity": 1.00,
    "evidence_support": 0.86,
    "keypoint_coverage": 0.61,
    "refusal_accuracy": 0.75,
}
# metric -> maximum (lower is better); cost keys read summary["cost"]
CEILINGS: dict[str, float] = {
    "false_refusal": 0.03,
}


def _value(summary: Mapping[str, Any], name: str) -> float | None:
    if name.startswith("latency_") and name.endswith("_ms"):
        key = name.removeprefix("latency_").removesuffix("_ms")
        value = summary.get("cost", {}).get("latency_ms", {}).get(key)
        return float(value) if value is not None else None
    value = summary.get("metrics", {}).get(name, {}).get("mean")
    return float(value) if value is not None else None


def check(
    summary: Mapping[str, Any],
    thresholds: Mapping[str, float] | None = None,
    ceilings: Mapping[str, float] | None = None,
) -> list[str]:
    """Failures as readable lines; an empty list means the gate passes. A metric missing from
    the summary (or not applicable in it) is a failure. Latency ceilings are named like
    `latency_p95_ms`."""
    failures = []
    for name, minimum in (THRESHOLDS if thresholds is None else thresholds).items():
        value = _value(summary, name)
        if value is None:
            failures.append(f"{name}: missing from summary (needs >= {minimum})")
        elif value < minimum:
            failures.append(f"{name}: {value:.3f} < minimum {minimum}")
    for name, maximum in (CEILINGS if ceilings is None else ceilings).items():
        value = _value(summary, name)
        if value is None:
            failures.append(f"{name}: missing from summary (needs <= {maximum})")
        elif value > maximum:
            failures.append(f"{name}: {value:.3f} > maximum {maximum}")
    return failures
