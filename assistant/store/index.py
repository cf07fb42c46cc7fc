"""Build, version and open the index: chunks, BM25 and Chroma vectors under one manifest.

A build is written to its own folder (and Chroma collection) and becomes active only by an
atomic replace of the ACTIVE pointer once complete, so a failed re-index never harms the
working one.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.corpus.chunking import chunk_document
from assistant.corpus.loaders import corpus_hash, load_corpus
from assistant.embedding.base import Embedder
from assistant.knowledge.model import knowledge_hash
from assistant.knowledge.store import ClaimStore
from assistant.settings import Settings
from assistant.store.claims import LEXICAL_NAME, ClaimIndex
from assistant.store.claims import collection_name as claims_collection
from assistant.store.lexical import LexicalIndex
from assistant.store.vector import VectorStore
from assistant.types import Chunk, Document

log = logging.getLogger(__name__)
SCHEMA = 6  # bump when chunks or vectors change (5: HNSW settings; 6: claims of the knowledge base)
Progress = Callable[[str, float], None]  # (message, fraction done 0..1)


class IndexMissing(RuntimeError):
    """No usable index; the message says how to build one."""


def expected_manifest(settings: Settings, embedder: Embedder) -> dict:
    return {
        "schema": SCHEMA, "corpus_hash": corpus_hash(settings.corpus_dir), "embedder": embedder.name,
        "chunk_chars": settings.chunk_chars, "chunk_overlap_chars": settings.chunk_overlap_chars,
        "knowledge_hash": knowledge_hash(settings.knowledge_dir),
    }


@dataclass
class KnowledgeBase:
    """An opened index build: everything retrieval and answering read."""

    manifest: dict
    documents: dict[str, Document]
    chunks: dict[str, Chunk]
    lexical: LexicalIndex
    vectors: VectorStore
    claims: ClaimStore = field(default_factory=lambda: ClaimStore(files=[]))
    claim_index: ClaimIndex | None = None  # None when no document has claims
    warnings: list[str] = field(default_factory=list)

    def is_stale(self, expected: dict) -> bool:
        return any(self.manifest.get(k) != v for k, v in expected.items())


def _active_dir(index_dir: Path) -> Path | None:
    pointer = index_dir / "ACTIVE"
    if not pointer.is_file():
        return None
    folder = index_dir / "builds" / pointer.read_text().strip()
    return folder if (folder / "manifest.json").is_file() else None


def open_index(settings: Settings) -> KnowledgeBase:
    folder = _active_dir(settings.index_dir)
    if folder is None:
        raise IndexMissing(f"Geen index gevonden in {settings.index_dir}. Bouw hem met `python -m assistant index`.")
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        docs = {k: Document(**v) for k, v in json.loads((folder / "documents.json").read_text()).items()}
        chunks = {}
        with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                c = Chunk.model_validate_json(line)
                chunks[c.id] = c
        lexical = LexicalIndex.load(folder)
        vectors = VectorStore.open(settings, folder / "chroma", manifest["collection"])
        claims = ClaimStore.load(docs, settings.knowledge_dir)
        claim_index = ClaimIndex.open(settings, folder, manifest) if manifest.get("n_claims") else None
    except (OSError, ValueError, KeyError) as exc:
        raise IndexMissing(f"De index in {folder} is onvolledig of beschadigd ({exc}). "
                           "Bouw hem opnieuw met `python -m assistant index`.") from exc
    return KnowledgeBase(manifest, docs, chunks, lexical, vectors, claims, claim_index, manifest.get("warnings", []))


def _write_build(folder: Path, settings: Settings, embedder: Embedder, progress: Progress) -> dict:
    t0 = time.perf_counter()
    progress("Documenten lezen", 0.0)
    loaded = load_corpus(settings.corpus_dir)
    if not loaded.documents:
        raise IndexMissing(f"Geen leesbare documenten in {settings.corpus_dir}: " + "; ".join(loaded.warnings))
    chunks = [c for d in loaded.documents.values()
              for c in chunk_document(d, settings.chunk_chars, settings.chunk_overlap_chars)]
    collection = f"chunks-{folder.name}"
    store = VectorStore.open(settings, folder / "chroma", collection)
    # Similar lengths per batch keep padding (and so time) low.
    ordered = sorted(chunks, key=lambda c: len(c.text))
    batch = 64
    for i in range(0, len(ordered), batch):
        part = ordered[i:i + batch]
        vecs = embedder.embed_passages([f"{c.title}. {c.section}\n{c.text}" for c in part])
        store.add([c.id for c in part], vecs, [{"doc_id": c.doc_id} for c in part])
        progress(f"Embeddings {min(i + batch, len(chunks))}/{len(chunks)}", (i + len(part)) / len(chunks))
    claims = ClaimStore.load(loaded.documents, settings.knowledge_dir)
    # doc2query-style expansion: a passage is also found by the words of its claims (nl and en).
    LexicalIndex.build([c.id for c in chunks], [expanded_text(c, claims) for c in chunks]).save(folder)
    n_claims = ClaimIndex.build(settings, folder, embedder, claims) if len(claims) else 0
    with (folder / "chunks.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(c.model_dump_json() + "\n" for c in chunks)
    (folder / "documents.json").write_text(json.dumps({k: d.model_dump() for k, d in loaded.documents.items()}))
    manifest = expected_manifest(settings, embedder) | {
        "collection": collection, "build_id": folder.name, "n_chunks": len(chunks), "n_claims": n_claims,
        "embedding_dtype": getattr(embedder, "dtype", "float32"),
        "n_documents": len(loaded.documents), "warnings": loaded.warnings,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "build_seconds": round(time.perf_counter() - t0, 2),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def expanded_text(chunk: Chunk, claims: ClaimStore) -> str:
    keys = " ".join(f"{k.nl} {k.en}" for k in claims.in_chunk(chunk))
    return f"{chunk.section}\n{chunk.text}\n{keys}"


def build_index(settings: Settings, embedder: Embedder, progress: Progress | None = None) -> dict:
    """Build a new index next to the active one and switch to it only when complete."""
    progress = progress or (lambda msg, frac: None)
    builds = settings.index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    folder = builds / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    try:
        manifest = _write_build(folder, settings, embedder, progress)
    except BaseException:
        if settings.vector_store == "server":
            try:
                VectorStore.open(settings, None, f"chunks-{folder.name}").drop()
                if (folder / f"{LEXICAL_NAME}_ids.txt").is_file():
                    VectorStore.open(settings, None, claims_collection(folder.name)).drop()
            except Exception as exc:  # the server may be the thing that failed
                log.warning("Half gebouwde collectie niet verwijderd: %s", exc)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    tmp = settings.index_dir / f".ACTIVE.{os.getpid()}"
    tmp.write_text(folder.name)
    os.replace(tmp, settings.index_dir / "ACTIVE")
    _prune(settings, keep={folder.name})
    progress("Index klaar", 1.0)
    return manifest


def _prune(settings: Settings, keep: set[str], retain: int = 1) -> None:
    """Keep the new build and the previous one (an open app may still read it)."""
    builds = settings.index_dir / "builds"
    old = sorted((p for p in builds.iterdir() if p.is_dir() and p.name not in keep),
                 key=lambda p: p.stat().st_mtime, reverse=True)
    for p in old[retain:]:
        if settings.vector_store == "server":
            _drop_server_collection(settings, p)
        shutil.rmtree(p, ignore_errors=True)


def _drop_server_collection(settings: Settings, build: Path) -> None:
    """On a Chroma server the vectors live outside the build folder: remove them too."""
    try:
        manifest = json.loads((build / "manifest.json").read_text())
        VectorStore.open(settings, None, manifest["collection"]).drop()
        if manifest.get("n_claims"):
            VectorStore.open(settings, None, claims_collection(manifest["build_id"])).drop()
    except Exception as exc:  # a leftover collection wastes space but must not fail a good build
        log.warning("Oude collectie van build %s niet verwijderd: %s", build.name, exc)
