"""Chroma as the vector store: embedded (a folder) or a Chroma server, same interface."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.settings import Settings


def _client(settings: Settings, path: Path | None) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if settings.vector_store == "server":
        headers = {"Authorization": f"Bearer {settings.chroma_token}"} if settings.chroma_token else None
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, headers=headers,
                                   settings=ChromaSettings(anonymized_telemetry=False))
    assert path is not None
    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


# A corpus of a few thousand chunks can afford a near-exhaustive graph search: with the defaults
# (ef 100, 16 neighbours) a relevant chunk occasionally fell out of the 40 dense candidates.
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 400, "max_neighbors": 32}


class VectorStore:
    """One collection per index build, so a rebuild never touches the one in use."""

    def __init__(self, client: Any, collection: str) -> None:
        self._client = client
        self.collection_name = collection
        # We always pass vectors ourselves: Chroma's default embedder would download a model.
        self._col = client.get_or_create_collection(collection, embedding_function=None,
                                                    configuration={"hnsw": HNSW})

    @classmethod
    def open(cls, settings: Settings, path: Path | None, collection: str) -> VectorStore:
        return cls(_client(settings, path), collection)

    def add(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict]) -> None:
        step = 500
        for i in range(0, len(ids), step):
            self._col.add(ids=ids[i:i + step], embeddings=vectors[i:i + step].tolist(),
                          metadatas=metadatas[i:i + step])

    def count(self) -> int:
        return int(self._col.count())

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        res = self._col.query(query_embeddings=[vector.tolist()], n_results=min(k, max(1, self.count())),
                              include=["distances"])
        ids, dists = res["ids"][0], res["distances"][0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]

    def drop(self) -> None:
        self._client.delete_collection(self.collection_name)
