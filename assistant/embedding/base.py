"""The embedding interface and a deterministic fake for unit tests."""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int
    # Cosine below which the nearest passage is unrelated to the question (model-specific scale).
    relevance_floor: float

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


class ModelLoadError(RuntimeError):
    """The embedding model could not be loaded; the message says how to fix it."""


class FakeEmbedder:
    """Hashed bag of words: deterministic, fast, and good enough to rank exact-term overlap."""

    name = "fake-hash-256"
    dim = 256
    relevance_floor = 0.05

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for tok in re.findall(r"\w+", text.lower()):
            h = int.from_bytes(hashlib.md5(tok.encode()).digest()[:4], "little")
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vec(text)
