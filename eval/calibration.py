"""Calibrate the key-point threshold against hand labels and report agreement.

Labels (`eval/keypoint_labels.jsonl`): one object per (answer, key point) pair with the
answer text, its cited quotes, the key point and a human judgement `covered`. The measure
predicts covered when `keypoint_score >= threshold`; agreement is accuracy and Cohen's kappa.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from eval.keypoints import DEFAULT_THRESHOLD, answer_material, keypoint_score

LABELS_PATH = Path(__file__).resolve().parent / "keypoint_labels.jsonl"
GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))


class Label(BaseModel):
    id: str
    question_id: str
    style: str
    answer: str
    quotes: list[str] = []
    key_point: str
    covered: bool


@dataclass(frozen=True)
class Agreement:
    threshold: float
    n: int
    accuracy: float
    kappa: float
    true_pos: int
    false_pos: int
    false_neg: int
    true_neg: int


def load_labels(path: Path = LABELS_PATH) -> list[Label]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Label.model_validate(json.loads(line)) for line in lines if line.strip()]


def scored(labels: list[Label]) -> list[tuple[float, bool]]:
    """(measure score, human label) per labelled pair; key points without content score 0."""
    out = []
    for lab in labels:
        score = keypoint_score(lab.key_point, answer_material(lab.answer, lab.quotes))
        out.append((score or 0.0, lab.covered))
    return out


def cohen_kappa(pairs: list[tuple[bool, bool]]) -> float:
    """Cohen's kappa of two binary raters given (rater_a, rater_b) pairs."""
    n = len(pairs)
    if n == 0:
        return 0.0
    observed = sum(a == b for a, b in pairs) / n
    pa = sum(a for a, _ in pairs) / n
    pb = sum(b for _, b in pairs) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected >= 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return (observed - expected) / (1 - expected)


def agreement(points: list[tuple[float, bool]], threshold: float) -> Agreement:
    pairs = [(score >= threshold, human) for score, human in points]
    tp = sum(p and h for p, h in pairs)
    fp = sum(p and not h for p, h in pairs)
    fn = sum(h and not p for p, h in pairs)
    tn = len(pairs) - tp - fp - fn
    acc = (tp + tn) / len(pairs) if pairs else 0.0
    return Agreement(threshold, len(pairs), acc, cohen_kappa(pairs), tp, fp, fn, tn)


def best_threshold(points: list[tuple[float, bool]]) -> Agreement:
    """Grid threshold with the highest kappa; ties go to higher accuracy, then lower threshold."""
    results = [agreement(points, t) for t in GRID]
    return max(results, key=lambda a: (round(a.kappa, 9), round(a.accuracy, 9), -a.threshold))


def split_check(labels: list[Label]) -> dict[str, float]:
    """Fit on questions with an odd number, test on even ones, and the other way round."""

    def number(lab: Label) -> int:
        digits = "".join(ch for ch in lab.question_id if ch.isdigit())
        return int(digits or 0)

    folds = [[lab for lab in labels if number(lab) % 2 == r] for r in (0, 1)]
    out: dict[str, float] = {}
    for name, fit, test in (("fit_even_test_odd", folds[0], folds[1]), ("fit_odd_test_even", folds[1], folds[0])):
        chosen = best_threshold(scored(fit)).threshold
        held = agreement(scored(test), chosen)
        out[f"{name}_threshold"] = chosen
        out[f"{name}_kappa"] = round(held.kappa, 3)
        out[f"{name}_accuracy"] = round(held.accuracy, 3)
    return out


def calibration_report(path: Path = LABELS_PATH, threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """Agreement of the measure with the labels at `threshold`, plus the best grid threshold."""
    labels = load_labels(path)
    points = scored(labels)
    used = agreement(points, threshold)
    best = best_threshold(points)
    return {
        "labels_file": path.name,
        "n_labels": len(labels),
        "n_answers": len({lab.answer for lab in labels}),
        "share_covered": round(sum(lab.covered for lab in labels) / len(labels), 3),
        "threshold": threshold,
        "accuracy": round(used.accuracy, 3),
        "kappa": round(used.kappa, 3),
        "confusion": {k: v for k, v in asdict(used).items() if k.startswith(("true", "false"))},
        "best_grid_threshold": best.threshold,
        "best_grid_kappa": round(best.kappa, 3),
        "split_check": split_check(labels),
    }
