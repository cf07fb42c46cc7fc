"""Build, version and open the index: chunks, BM25 and Chroma vectors under one manifest.

A build is written to its own folder (and Chroma collection) and becomes active only by an
atomic replace of the ACTIVE pointer once complete, so a failed re-index never harms the
working one. Opening checks the parts against the manifest, so a lost or truncated part is
reported (and an older build served) instead of answering from an empty store.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from filelock import Timeout

from assistant.corpus.chunking import chunk_document
from assistant.corpus.loaders import corpus_hash, load_corpus
from assistant.embedding.base import Embedder
from assistant.knowledge.model import knowledge_hash
from assistant.knowledge.store import ClaimStore
from assistant.settings import Settings
from assistant.store import builds
from assistant.store.claims import LEXICAL_NAME, ClaimIndex
from assistant.store.claims import collection_name as claims_collection
from assistant.store.errors import IndexBuildError, IndexBusy, IndexDamaged, IndexMissing, StoreUnavailable
from assistant.store.lexical import LexicalIndex
from assistant.store.probe import probe
from assistant.store.vector import VectorStore, serving_path
from assistant.types import Chunk, Document

__all__ = [
    "IndexBuildError",
    "IndexBusy",
    "IndexDamaged",
    "IndexMissing",
    "KnowledgeBase",
    "StoreUnavailable",
    "build_index",
    "expected_manifest",
    "open_index",
    "open_with_fallback",
]
log = logging.getLogger(__name__)
SCHEMA = 6  # bump when chunks or vectors change (5: HNSW settings; 6: claims of the knowledge base)
Progress = Callable[[str, float], None]  # (message, fraction done 0..1)


def expected_manifest(settings: Settings, embedder: Embedder) -> dict:
    return {
        "schema": SCHEMA,
        "corpus_hash": corpus_hash(settings.corpus_dir),
        "embedder": embedder.name,
        "chunk_chars": settings.chunk_chars,
        "chunk_overlap_chars": settings.chunk_overlap_chars,
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
    fallback_reason: str = ""  # why the active build could not be used, when this is an older one

    def is_stale(self, expected: dict) -> bool:
        return any(self.manifest.get(k) != v for k, v in expected.items())


def open_index(settings: Settings) -> KnowledgeBase:
    """The active build, checked against its manifest; IndexDamaged names the folder if it fails."""
    name = builds.read_active(settings.index_dir)
    folder = builds.builds_dir(settings.index_dir) / name if name else None
    if folder is None or not (folder / builds.MANIFEST).is_file():
        raise IndexMissing(f"Geen index gevonden in {settings.index_dir}. Bouw hem met `python -m assistant index`.")
    return open_build(settings, folder)


def open_build(settings: Settings, folder: Path) -> KnowledgeBase:
    if (folder / builds.DAMAGED).exists():
        raise IndexDamaged(folder, "eerder als beschadigd gemarkeerd")
    try:
        kb = _load(settings, folder)
        _check(kb)
    except StoreUnavailable:
        raise  # the server is down, the build may be fine
    except Exception as exc:  # Chroma and bm25s raise their own types for a broken file
        raise IndexDamaged(folder, f"{type(exc).__name__}: {exc}") from exc
    if settings.vector_store == "server":
        from assistant.store.registry import register

        register(settings, folder.name)
    return kb


def _load(settings: Settings, folder: Path) -> KnowledgeBase:
    manifest = json.loads((folder / builds.MANIFEST).read_text(encoding="utf-8"))
    docs = {k: Document(**v) for k, v in json.loads((folder / "documents.json").read_text(encoding="utf-8")).items()}
    chunks = {}
    with (folder / "chunks.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            c = Chunk.model_validate_json(line)
            chunks[c.id] = c
    lexical = LexicalIndex.load(folder)
    claims_name = claims_collection(manifest["build_id"]) if manifest.get("n_claims") else None
    chroma = serving_path(folder / "chroma") if settings.vector_store == "embedded" else None
    if chroma is not None:  # a server keeps its own files; its errors reach us as exceptions
        probe(chroma, [manifest["collection"], *([claims_name] if claims_name else [])])
    vectors = VectorStore.open(settings, chroma, manifest["collection"])
    claims = ClaimStore.load(docs, settings.knowledge_dir)
    claim_index = None
    if claims_name:
        claim_index = ClaimIndex(
            VectorStore.open(settings, chroma, claims_name), LexicalIndex.load(folder, LEXICAL_NAME)
        )
    return KnowledgeBase(manifest, docs, chunks, lexical, vectors, claims, claim_index, manifest.get("warnings", []))


def _check(kb: KnowledgeBase) -> None:
    """Every part must hold what the manifest says: a lost collection would otherwise refuse everything."""
    n, n_claims = kb.manifest["n_chunks"], kb.manifest.get("n_claims", 0)
    counts = {"passages": len(kb.chunks), "vectoren": kb.vectors.count(), "BM25-ids": len(kb.lexical.chunk_ids)}
    wrong = [f"{v} {k} in plaats van {n}" for k, v in counts.items() if v != n]
    if n_claims:
        assert kb.claim_index is not None
        claim_counts = {
            "claimvectoren": kb.claim_index.vectors.count(),
            "claim-BM25-ids": len(kb.claim_index.lexical.chunk_ids),
        }
        wrong += [f"{v} {k} in plaats van {n_claims}" for k, v in claim_counts.items() if v != n_claims]
    if wrong:
        raise ValueError("; ".join(wrong))


def open_with_fallback(settings: Settings) -> KnowledgeBase | None:
    """The active build, else the newest other complete build (made active); None when none opens.

    A build that fails to open gets a DAMAGED marker, so neither this process nor another tries it again.
    """
    failed, reason = None, ""
    try:
        return open_index(settings)
    except IndexDamaged as exc:
        builds.mark_damaged(exc.folder, exc.reason)
        failed, reason = exc.folder.name, exc.reason
    except StoreUnavailable:
        raise
    except IndexMissing:
        reason = "ACTIVE ontbreekt of is onleesbaar"
    for folder in builds.complete_builds(settings.index_dir):
        if folder.name == failed:
            continue
        try:
            kb = open_build(settings, folder)
        except IndexDamaged as exc:
            builds.mark_damaged(folder, exc.reason)
            continue
        _switch_to(settings, kb, reason)
        return kb
    return None


def _switch_to(settings: Settings, kb: KnowledgeBase, reason: str) -> None:
    try:
        builds.write_active(settings.index_dir, kb.manifest["build_id"])
    except OSError as exc:  # read-only index folder: serve the fallback without repointing
        log.warning("ACTIVE niet bijgewerkt: %s", exc)
    log.error("Actieve index onbruikbaar (%s); build %s in gebruik", reason, kb.manifest["build_id"])
    kb.fallback_reason = reason
    kb.warnings = [
        *kb.warnings,
        f"De actieve index was beschadigd ({reason}); de vorige complete build van "
        f"{kb.manifest.get('created', kb.manifest['build_id'])} is in gebruik.",
    ]


def _write_build(folder: Path, settings: Settings, embedder: Embedder, progress: Progress) -> dict:
    t0 = time.perf_counter()
    progress("Documenten lezen", 0.0)
    loaded = load_corpus(settings.corpus_dir)
    if not loaded.documents:
        raise IndexMissing(f"Geen leesbare documenten in {settings.corpus_dir}: " + "; ".join(loaded.warnings))
    chunks = [
        c
        for d in loaded.documents.values()
        for c in chunk_document(d, settings.chunk_chars, settings.chunk_overlap_chars)
    ]
    collection = builds.chunks_collection(folder.name)
    store = VectorStore.create(settings, folder / "chroma", collection)
    # Similar lengths per batch keep padding (and so time) low.
    ordered = sorted(chunks, key=lambda c: len(c.text))
    batch = 64
    for i in range(0, len(ordered), batch):
        part = ordered[i : i + batch]
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
        "collection": collection,
        "build_id": folder.name,
        "n_chunks": len(chunks),
        "n_claims": n_claims,
        "embedding_dtype": getattr(embedder, "dtype", "float32"),
        "n_documents": len(loaded.documents),
        "warnings": loaded.warnings,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "build_seconds": round(time.perf_counter() - t0, 2),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def expanded_text(chunk: Chunk, claims: ClaimStore) -> str:
    keys = " ".join(f"{k.nl} {k.en}" for k in claims.in_chunk(chunk))
    return f"{chunk.section}\n{chunk.text}\n{keys}"


def build_index(
    settings: Settings,
    embedder: Embedder,
    progress: Progress | None = None,
    *,
    if_stale: bool = False,
    wait: bool = True,
) -> dict:
    """Build a new index next to the active one and switch to it only when complete.

    One build at a time across processes. `if_stale`: return the active manifest instead when it
    is current once the lock is ours (another process may just have built it). `wait=False`:
    raise IndexBusy rather than wait for another process's build.
    """
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        lock = builds.build_lock(settings.index_dir)
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout as exc:
        raise IndexBusy(f"Een ander proces bouwt de index in {settings.index_dir}.") from exc
    except OSError as exc:
        raise _build_error(exc, settings.index_dir) from exc
    try:
        fresh = _fresh_manifest(settings, embedder) if if_stale else None
        return fresh or _build_locked(settings, embedder, progress or (lambda msg, frac: None))
    finally:
        lock.release()


def _fresh_manifest(settings: Settings, embedder: Embedder) -> dict | None:
    name = builds.active_or_none(settings.index_dir)
    folder = builds.builds_dir(settings.index_dir) / (name or "-")
    if not name or not builds.is_complete(folder):
        return None
    manifest: dict = json.loads((folder / builds.MANIFEST).read_text(encoding="utf-8"))
    expected = expected_manifest(settings, embedder)
    return manifest if all(manifest.get(k) == v for k, v in expected.items()) else None


def _build_locked(settings: Settings, embedder: Embedder, progress: Progress) -> dict:
    folder: Path | None = None
    try:
        folder = builds.new_build_folder(settings.index_dir)
        manifest = _write_build(folder, settings, embedder, progress)
        builds.write_active(settings.index_dir, folder.name)
    except BaseException as exc:
        if folder is not None:
            builds.discard(settings, folder)
        if isinstance(exc, OSError):
            raise _build_error(exc, folder or settings.index_dir) from exc
        raise
    builds.prune(settings, keep={folder.name})
    progress("Index klaar", 1.0)
    return manifest


def _build_error(exc: OSError, where: Path) -> IndexBuildError:
    """Disk full, no permission: say so in one line; the active index is untouched."""
    what = exc.strerror or str(exc)
    return IndexBuildError(
        f"Bouwen van de index mislukt: {what} ({exc.filename or where}). De actieve index is niet gewijzigd."
    )
