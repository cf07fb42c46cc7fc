"""Corpus access for curated guidance: cleaned text, catalog titles, verbatim citations.

Guidance and wizard content is written by hand as YAML, but every claim in it carries a
quote copied from a corpus document. This module is the one place where such quotes are
checked against the cleaned text (the same text the chat cites) and turned into
`Citation`s with offsets. It deliberately reads the corpus itself through `clean_text`
instead of the shared loaders, so guidance keeps working while those evolve.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from assistant.corpus.cleaning import clean_text
from assistant.settings import get_settings
from assistant.types import Citation


class QuoteNotFoundError(ValueError):
    """A curated quote does not occur verbatim in the cleaned document text."""


class SourcedItem(BaseModel):
    """One curated statement: short Dutch text plus the verbatim corpus quote behind it."""

    text: str
    quote: str
    doc: str
    en: str = ""  # English text, used where guidance is shown in English
    section: str = ""  # heading shown with the citation; defaults come from the YAML group

    def text_for(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.text


def _corpus_dir(corpus_dir: Path | None) -> Path:
    return Path(corpus_dir) if corpus_dir is not None else Path(get_settings().corpus_dir)


@lru_cache(maxsize=64)
def _cleaned(path: str, mtime: float) -> str:
    # mtime is part of the key so an edited corpus file is re-read, not served stale.
    return clean_text(Path(path).read_text(encoding="utf-8"))


def cleaned_text(doc_id: str, corpus_dir: Path | None = None) -> str:
    """Cleaned text of a document; the text that quotes and offsets refer to."""
    path = _corpus_dir(corpus_dir) / f"{doc_id}.txt"
    if not path.is_file():
        raise QuoteNotFoundError(f"Onbekend document '{doc_id}' (geen {path.name} in het corpus)")
    return _cleaned(str(path), path.stat().st_mtime)


@lru_cache(maxsize=8)
def _catalog(path: str, mtime: float) -> dict[str, str]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {d["id"]: d.get("title", d["id"]) for d in data.get("documents", [])}


def doc_title(doc_id: str, corpus_dir: Path | None = None) -> str:
    """Catalog title of a document, falling back to the id when the catalog lacks it."""
    path = _corpus_dir(corpus_dir) / "catalog.yaml"
    if not path.is_file():
        return doc_id
    return _catalog(str(path), path.stat().st_mtime).get(doc_id, doc_id)


def quote_span(doc_id: str, quote: str, corpus_dir: Path | None = None) -> tuple[int, int]:
    """Offsets of the first exact occurrence of `quote` in the cleaned document."""
    text = cleaned_text(doc_id, corpus_dir)
    start = text.find(quote)
    if start < 0 or not quote:
        raise QuoteNotFoundError(f"Citaat niet letterlijk gevonden in {doc_id}: {quote[:80]!r}")
    return start, start + len(quote)


def make_citation(item: SourcedItem, n: int, corpus_dir: Path | None = None) -> Citation:
    """Citation for a curated item; raises QuoteNotFoundError when the quote drifted."""
    start, end = quote_span(item.doc, item.quote, corpus_dir)
    return Citation(
        n=n,
        chunk_id="",
        doc_id=item.doc,
        title=doc_title(item.doc, corpus_dir),
        section=item.section,
        page=None,
        quote=item.quote,
        start=start,
        end=end,
    )


class CitationNumbering(BaseModel):
    """Hands out citation numbers so one quote keeps one number within an answer or result."""

    corpus_dir: Path | None = None
    citations: list[Citation] = Field(default_factory=list)

    def cite(self, item: SourcedItem) -> Citation:
        for existing in self.citations:
            if existing.doc_id == item.doc and existing.quote == item.quote:
                return existing
        citation = make_citation(item, len(self.citations) + 1, self.corpus_dir)
        self.citations.append(citation)
        return citation


def corpus_version(corpus_dir: Path | None = None) -> str:
    """Short sha256 over catalog and document files: results state which corpus they used."""
    root = _corpus_dir(corpus_dir)
    files = sorted(p for p in root.iterdir() if p.is_file() and p.suffix in {".txt", ".yaml"})
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _hash_files(stamp)


@lru_cache(maxsize=8)
def _hash_files(stamp: tuple[tuple[str, int, int], ...]) -> str:
    # Keyed on names, mtimes and sizes, so the files are only re-hashed after a change.
    digest = hashlib.sha256()
    for name, _, _ in stamp:
        path = Path(name)
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_yaml(path: Path) -> dict:
    """Read a packaged YAML data file; a missing or malformed file is a programming error."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError(f"{path.name}: verwacht een YAML-mapping bovenaan")
    return data


def unverified(items: Iterable[SourcedItem], corpus_dir: Path | None = None) -> list[str]:
    """Describe every item whose quote is not verbatim in its document (empty list = all ok)."""
    problems = []
    for item in items:
        try:
            quote_span(item.doc, item.quote, corpus_dir)
        except QuoteNotFoundError as exc:
            problems.append(str(exc))
    return problems
