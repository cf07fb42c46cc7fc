"""Chroma as the vector store: embedded (a folder) or a Chroma server, same interface."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from assistant.settings import Settings
from assistant.store.errors import StoreUnavailable


def _client(settings: Settings, path: Path | None) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if settings.vector_store == "server":
        headers = {"Authorization": f"Bearer {settings.chroma_token}"} if settings.chroma_token else None
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host,
                port=settings.chroma_port,
                headers=headers,
                settings=ChromaSettings(anonymized_telemetry=False),
            )
        except Exception as exc:  # the client connects on creation; any failure means "server not there"
            raise StoreUnavailable(
                f"De Chroma-server op {settings.chroma_host}:{settings.chroma_port} is niet bereikbaar ({exc})."
            ) from exc
    assert path is not None
    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


# A corpus of a few thousand chunks can afford a near-exhaustive graph search: with the defaults
# (ef 100, 16 neighbours) a relevant chunk occasionally fell out of the 40 dense candidates.
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 400, "max_neighbors": 32}


class VectorStore:
    """One collection per index build, so a rebuild never touches the one in use."""

    def __init__(self, client: Any, collection: Any) -> None:
        self._client = client
        self._col = collection
        self.collection_name: str = collection.name

    @classmethod
    def create(cls, settings: Settings, path: Path | None, collection: str) -> VectorStore:
        """A new, empty collection for a build (fails if the name exists: builds never share one)."""
        client = _client(settings, path)
        # We always pass vectors ourselves: Chroma's default embedder would download a model.
        return cls(client, client.create_collection(collection, embedding_function=None, configuration={"hnsw": HNSW}))

    @classmethod
    def open(cls, settings: Settings, path: Path | None, collection: str) -> VectorStore:
        """An existing collection; a missing one raises (an empty stand-in would refuse every question)."""
        client = _client(settings, path)
        return cls(client, client.get_collection(collection, embedding_function=None))

    @staticmethod
    def drop_collection(settings: Settings, collection: str) -> bool:
        """Remove a server collection if it exists; True when one was removed."""
        from chromadb.errors import NotFoundError

        try:
            _client(settings, None).delete_collection(collection)
        except (NotFoundError, ValueError):
            return False
        return True

    def add(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict]) -> None:
        step = 500
        for i in range(0, len(ids), step):
            self._col.add(
                ids=ids[i : i + step], embeddings=vectors[i : i + step].tolist(), metadatas=metadatas[i : i + step]
            )

    def count(self) -> int:
        return int(self._col.count())

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        res = self._col.query(
            query_embeddings=[vector.tolist()], n_results=min(k, max(1, self.count())), include=["distances"]
        )
        ids, dists = res["ids"][0], res["distances"][0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]

    def self_search(self, samples: int) -> None:
        """Search with a few stored vectors, spread over the collection; each must find itself.

        Raises ValueError when one does not (a damaged graph). Reading a vector from a damaged
        file may also raise Chroma's own error, or crash the process: see store/probe.py.
        """
        n = self.count()
        for offset in sorted({i * n // samples for i in range(samples)} if n else set()):
            stored = self._col.get(limit=1, offset=offset, include=["embeddings"])
            found = self._col.query(
                query_embeddings=list(stored["embeddings"]), n_results=min(5, n), include=["distances"]
            )
            ids, distances = found["ids"][0], found["distances"][0]
            if stored["ids"][0] not in ids or min(distances) > 1e-3:
                raise ValueError(f"{self.collection_name}: een opgeslagen vector vindt zichzelf niet terug")

    def drop(self) -> None:
        self._client.delete_collection(self.collection_name)


def serving_path(chroma: Path) -> Path:
    """The folder to open Chroma in: the build's own, or a private copy when that is read-only.

    Chroma writes to its folder on open (SQLite journal, HNSW metadata), so a build on read-only
    storage or owned by another user would fail to open although nothing in it needs to change.
    """
    if not (chroma / "chroma.sqlite3").is_file():  # Chroma would quietly start an empty store here
        raise FileNotFoundError(f"{chroma / 'chroma.sqlite3'} ontbreekt")
    if all(os.access(p, os.W_OK) for p in [chroma, *chroma.rglob("*")]):
        return chroma
    copy = Path(tempfile.mkdtemp(prefix="assistant-chroma-")) / "chroma"
    shutil.copytree(chroma, copy, copy_function=shutil.copyfile)
    for p in [copy, *copy.rglob("*")]:  # copytree carries the read-only modes of the folders over
        p.chmod(0o700 if p.is_dir() else 0o600)
    atexit.register(shutil.rmtree, copy.parent, True)
    return copy
