"""A small, transparent model: logistic regression over named signals, fitted with numpy.

The fitted weights live in `gate_model.json` (written by `python -m eval fit-gate`), so every
decision can be explained as a sum of weight x signal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("gate_model.json")
EXEMPLARS_PATH = Path(__file__).with_name("gate_exemplars.npz")
NEIGHBOURS = 3


@dataclass
class Exemplars:
    """Embedded labelled questions of the fit split: is a new question closer to the questions
    the corpus cannot answer than to those it can? (mean cosine of the 3 nearest of each)."""

    vectors: np.ndarray  # (n, dim), normalised
    answerable: np.ndarray  # (n,) bool

    def margin(self, vector: np.ndarray, exclude: int | None = None) -> float:
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        if exclude is not None:
            sims[exclude] = np.nan

        def top(mask: np.ndarray) -> float:
            vals = sims[mask]
            vals = np.sort(vals[~np.isnan(vals)])[-NEIGHBOURS:]
            return float(vals.mean()) if len(vals) else 0.0

        return top(~self.answerable) - top(self.answerable)

    def save(self, path: Path = EXEMPLARS_PATH) -> None:
        np.savez_compressed(path, vectors=self.vectors.astype(np.float16), answerable=self.answerable)

    @classmethod
    def load(cls, path: Path = EXEMPLARS_PATH) -> Exemplars:
        with np.load(path) as data:
            return cls(data["vectors"].astype(np.float32), data["answerable"].astype(bool))


@dataclass
class LogisticModel:
    features: list[str]
    weights: list[float]
    bias: float
    mean: list[float]
    scale: list[float]
    threshold: float = 0.5  # P(answerable) below this refuses
    report: dict = field(default_factory=dict)  # how it was fitted and measured

    def probability(self, x: dict[str, float]) -> float:
        z = self.bias + sum(
            w * (x[f] - m) / s for f, w, m, s in zip(self.features, self.weights, self.mean, self.scale, strict=True)
        )
        return float(1.0 / (1.0 + np.exp(-z)))

    def contributions(self, x: dict[str, float]) -> dict[str, float]:
        return {
            f: round(w * (x[f] - m) / s, 3)
            for f, w, m, s in zip(self.features, self.weights, self.mean, self.scale, strict=True)
        }

    def save(self, path: Path = MODEL_PATH) -> None:
        path.write_text(json.dumps(self.__dict__, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LogisticModel:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def fit_logistic(
    rows: list[dict[str, float]], labels: list[int], features: list[str], l2: float = 1.0, iterations: int = 50
) -> LogisticModel:
    """L2-regularised logistic regression by Newton's method on standardised features."""
    x = np.array([[r[f] for f in features] for r in rows], dtype=float)
    y = np.array(labels, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + penalty @ w
        hess = (z.T * (p * (1 - p))) @ z + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return LogisticModel(
        features,
        [round(float(v), 6) for v in w[1:]],
        round(float(w[0]), 6),
        [round(float(v), 6) for v in mean],
        [round(float(v), 6) for v in scale],
    )
