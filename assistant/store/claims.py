"""The claims of the knowledge base as retrievable units: e5 vectors in Chroma plus BM25.

A claim is indexed on its Dutch and English text together, so an English question finds the
Dutch passage through the claim's English rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.embedding.base import Embedder
from assistant.knowledge.model import Claim
from assistant.knowledge.store import ClaimStore
from assistant.settings import Settings
from assistant.store.lexical import LexicalIndex
from assistant.store.vector import VectorStore

LEXICAL_NAME = "claims_bm25"


def claim_key(claim: Claim) -> str:
    return f"{claim.nl}\n{claim.en}"


def collection_name(build: str) -> str:
    return f"claims-{build}"


@dataclass
class ClaimIndex:
    vectors: VectorStore
    lexical: LexicalIndex

    @classmethod
    def build(cls, settings: Settings, folder: Path, embedder: Embedder, claims: ClaimStore) -> int:
        ordered = sorted(claims.claims.values(), key=lambda c: len(claim_key(c)))
        store = VectorStore.create(settings, folder / "chroma", collection_name(folder.name))
        batch = 128
        for i in range(0, len(ordered), batch):
            part = ordered[i : i + batch]
            vecs = embedder.embed_passages([claim_key(c) for c in part])
            store.add([c.id for c in part], vecs, [{"doc_id": c.doc} for c in part])
        LexicalIndex.build([c.id for c in ordered], [claim_key(c) for c in ordered]).save(folder, LEXICAL_NAME)
        return len(ordered)

    @classmethod
    def open(cls, settings: Settings, folder: Path, manifest: dict) -> ClaimIndex:
        vectors = VectorStore.open(settings, folder / "chroma", collection_name(manifest["build_id"]))
        return cls(vectors, LexicalIndex.load(folder, LEXICAL_NAME))
