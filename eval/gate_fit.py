"""Fit the answerability gate: `python -m eval fit-gate`.

Data: eval/answerability.jsonl (labelled answerable / not, per intent and language). Rows
whose id hashes into its test split are never used for fitting; eval/answerability_extra.jsonl
(written by someone who never saw the first file) only adds fitting rows; the threshold is chosen by
5-fold cross-validation on the fit split (highest refusal accuracy with false refusals at
most `MAX_FALSE_REFUSAL`). eval/answerability_blind.jsonl was written blind after the gate was
fitted (by someone who saw neither file nor the code) and is only ever reported on, never fitted
or used to choose anything. The model and its report go to assistant/gate/gate_model.json.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.gate.gate import FEATURES
from assistant.gate.model import Exemplars, LogisticModel, fit_logistic

DATA = Path(__file__).with_name("answerability.jsonl")
EXTRA = Path(__file__).with_name("answerability_extra.jsonl")  # written later, for fitting only
BLIND = Path(__file__).with_name("answerability_blind.jsonl")  # written after fitting, report only
MAX_FALSE_REFUSAL = 0.03  # below the 0.04 target, to leave room on unseen questions
TEST_SHARE = 3  # of 10: the never-fitted split
GRID = [round(t, 3) for t in np.arange(0.05, 0.951, 0.01)]


def split_of(row_id: str) -> str:
    return "test" if int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % 10 < TEST_SHARE else "fit"


def load_rows(path: Path = DATA, extra: Path | None = EXTRA, blind: Path | None = BLIND) -> list[dict[str, Any]]:
    rows = _read(path)
    for r in rows:
        r["split"] = split_of(r["id"])
    if extra is not None and extra.is_file():
        rows += [r | {"split": "fit"} for r in _read(extra)]
    if blind is not None and blind.is_file():
        rows += [r | {"split": "blind"} for r in _read(blind)]
    return rows


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rates(labels: Sequence[int], probs: Sequence[float], threshold: float) -> tuple[float, float]:
    """(refusal accuracy on unanswerable, false refusal on answerable)."""
    neg = [p for y, p in zip(labels, probs, strict=True) if y == 0]
    pos = [p for y, p in zip(labels, probs, strict=True) if y == 1]
    refusal = sum(p < threshold for p in neg) / len(neg) if neg else 1.0
    false = sum(p < threshold for p in pos) / len(pos) if pos else 0.0
    return refusal, false


def choose_threshold(labels: Sequence[int], probs: Sequence[float]) -> float:
    ok = [(rates(labels, probs, t)[0], -t, t) for t in GRID if rates(labels, probs, t)[1] <= MAX_FALSE_REFUSAL]
    if ok:
        return max(ok)[2]
    return max(GRID, key=lambda t: rates(labels, probs, t)[0] - rates(labels, probs, t)[1])


def with_neighbours(
    x: list[dict[str, float]], vectors: np.ndarray, labels: list[int], train: list[int], rows: list[int]
) -> list[dict[str, float]]:
    """`neighbours` of each row against the exemplars of `train` only (never itself)."""
    ex = Exemplars(vectors[train], np.array([labels[i] for i in train], dtype=bool))
    pos = {i: k for k, i in enumerate(train)}
    return [x[i] | {"neighbours": ex.margin(vectors[i], exclude=pos.get(i))} for i in rows]


def cross_validated(x: list[dict[str, float]], vectors: np.ndarray, labels: list[int], folds: int = 5) -> list[float]:
    probs = [0.0] * len(x)
    for f in range(folds):
        train = [i for i in range(len(x)) if i % folds != f]
        held = [i for i in range(len(x)) if i % folds == f]
        model = fit_logistic(with_neighbours(x, vectors, labels, train, train), [labels[i] for i in train], FEATURES)
        for i, row in zip(held, with_neighbours(x, vectors, labels, train, held), strict=True):
            probs[i] = model.probability(row)
    return probs


def fit(
    rows: list[dict[str, Any]], signals: Callable[[str], dict[str, float]], embed: Callable[[str], np.ndarray]
) -> tuple[LogisticModel, Exemplars]:
    feats = {r["id"]: signals(r["question"]) for r in rows}
    fit_rows = [r for r in rows if r["split"] == "fit"]
    labels = [int(r["answerable"]) for r in fit_rows]
    x = [feats[r["id"]] for r in fit_rows]
    vectors = np.array([embed(r["question"]) for r in fit_rows], dtype=np.float32)
    cv = cross_validated(x, vectors, labels)
    threshold = choose_threshold(labels, cv)
    everyone = list(range(len(x)))
    model = fit_logistic(with_neighbours(x, vectors, labels, everyone, everyone), labels, FEATURES)
    model.threshold = threshold
    exemplars = Exemplars(vectors, np.array(labels, dtype=bool))
    cv_refusal, cv_false = rates(labels, cv, threshold)
    unseen = [r for r in rows if r["split"] != "fit"]
    for r in unseen:
        feats[r["id"]]["neighbours"] = exemplars.margin(embed(r["question"]))
    probs = {r["id"]: model.probability(feats[r["id"]]) for r in unseen}
    test, blind = [r for r in unseen if r["split"] == "test"], [r for r in unseen if r["split"] == "blind"]
    model.report = {
        "data": sorted({DATA.name, *(p.name for p in (EXTRA, BLIND) if p.is_file())}),
        "n_fit": len(fit_rows),
        "n_test": len(test),
        "cv": {"refusal_accuracy": round(cv_refusal, 3), "false_refusal": round(cv_false, 3)},
        "test": report(test, probs, threshold),
    }
    if blind:
        model.report |= {"n_blind": len(blind), "blind": report(blind, probs, threshold)}
        model.report["never_fitted"] = report(unseen, probs, threshold)
    return model, exemplars


def report(rows: list[dict[str, Any]], probs: dict[str, float], threshold: float) -> dict[str, Any]:
    """Refusal accuracy and false refusal overall, per language, and refusal per intent."""

    def group(sel: list[dict[str, Any]]) -> dict[str, float]:
        refusal, false = rates([int(r["answerable"]) for r in sel], [probs[r["id"]] for r in sel], threshold)
        return {"refusal_accuracy": round(refusal, 3), "false_refusal": round(false, 3), "n": len(sel)}

    out: dict[str, Any] = {"overall": group(rows)}
    for lang in ("nl", "en"):
        out[lang] = group([r for r in rows if r["language"] == lang])
    out["per_intent"] = {
        i: group([r for r in rows if r["intent"] == i])["refusal_accuracy"]
        for i in sorted({r["intent"] for r in rows if not r["answerable"]})
    }
    return out
