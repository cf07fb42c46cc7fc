"""The claims of all documents, with their quotes resolved to offsets in the cleaned text."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from assistant.knowledge.model import CLAIMS_DIR, Claim, ClaimFile, claim_files
from assistant.types import Chunk, Citation, Document

log = logging.getLogger(__name__)


def resolve(claim: Claim, documents: Mapping[str, Document]) -> bool:
    """Set the claim's offsets from its quote; False when the quote is not verbatim there."""
    doc = documents.get(claim.doc)
    start = doc.text.find(claim.quote) if doc is not None else -1
    if start < 0:
        return False
    claim.start, claim.end = start, start + len(claim.quote)
    return True


@dataclass
class ClaimStore:
    """Resolved claims by id; claims whose quote is not verbatim are left out (and logged)."""

    files: list[ClaimFile]
    claims: dict[str, Claim] = field(default_factory=dict)
    unresolved: list[Claim] = field(default_factory=list)
    by_doc: dict[str, list[Claim]] = field(default_factory=dict)  # in document order
    errors: list[str] = field(default_factory=list)  # unreadable claims files

    @classmethod
    def load(cls, documents: Mapping[str, Document], folder: Path = CLAIMS_DIR) -> ClaimStore:
        """Serving never fails on the knowledge base: bad files and quotes are logged and left out."""
        errors: list[str] = []
        store = cls(files=[f for f in claim_files(folder, errors) if f.doc in documents], errors=errors)
        for e in errors:
            log.warning("Kennisbank: bestand overgeslagen: %s", e)
        for f in store.files:
            for claim in f.claims:
                if resolve(claim, documents):
                    store.claims[claim.id] = claim
                else:
                    store.unresolved.append(claim)
        for c in sorted(store.claims.values(), key=lambda c: c.start):
            store.by_doc.setdefault(c.doc, []).append(c)
        if store.unresolved:
            log.warning("%d claims met een niet-letterlijk citaat overgeslagen", len(store.unresolved))
        return store

    def __len__(self) -> int:
        return len(self.claims)

    def in_chunk(self, chunk: Chunk) -> list[Claim]:
        """Claims whose quote occurs inside the chunk (a sentence the document repeats counts in both places)."""
        return [c for c in self.by_doc.get(chunk.doc_id, []) if c.quote in chunk.text]

    def skipped(self, chunk: Chunk) -> bool:
        return any(f.doc == chunk.doc_id and f.skipped(chunk.section) for f in self.files)

    def covered_docs(self) -> set[str]:
        return {f.doc for f in self.files}


def claim_citation(n: int, claim: Claim, documents: Mapping[str, Document], chunk: Chunk) -> Citation:
    """A numbered citation of the claim's quote, at its occurrence inside `chunk` where it has one."""
    doc = documents[claim.doc]
    at = chunk.text.find(claim.quote)
    start = chunk.start + at if at >= 0 else claim.start
    return Citation(
        n=n,
        chunk_id=chunk.id,
        doc_id=claim.doc,
        title=doc.info.title,
        section=chunk.section,
        page=doc.page_at(start),
        quote=claim.quote,
        start=start,
        end=start + len(claim.quote),
    )
