"""Corpus access for curated guidance: cleaned text, catalog titles, verbatim citations.

Guidance and wizard content is written by hand as YAML; every item in it cites a claim of
the knowledge base, whose quote comes verbatim from a corpus document. This module is the
one place where such quotes are checked against the cleaned text (the same text the chat
cites) and turned into `Citation`s with offsets. It reads documents through the corpus loaders, so a quote refers
to exactly the text that is indexed, whatever the file's format or encoding.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, model_validator

from assistant.corpus.loaders import corpus_hash, document_path, load_catalog, read_document
from assistant.knowledge.model import claims_by_id
from assistant.settings import get_settings
from assistant.types import Citation, DocumentInfo, Language


class QuoteNotFoundError(ValueError):
    """A curated quote does not occur verbatim in the cleaned document text."""


class SourcedItem(BaseModel):
    """One curated statement: a short Dutch text and the knowledge-base claim whose quote it cites.

    Guidance and wizard YAML name the claim (`claim: nivel-020`); its verbatim quote and document
    are filled in from the knowledge base, so a quote is kept in one place only. `text`/`en`
    default to the claim's own. A `quote` and `doc` of its own are for items built in code
    (tests, documents without claims).
    """

    text: str = ""
    claim: str = ""
    quote: str = ""
    doc: str = ""
    en: str = ""  # English text, used where guidance is shown in English
    section: str = ""  # heading shown with the citation; defaults come from the YAML group

    @model_validator(mode="after")
    def _from_claim(self) -> SourcedItem:
        if self.claim:
            if self.quote or self.doc:
                raise ValueError(f"Item met claim '{self.claim}' heeft ook een eigen citaat; kies één van beide")
            claim = claims_by_id().get(self.claim)
            if claim is None:
                raise ValueError(f"Onbekende claim '{self.claim}' (niet in de kennisbank)")
            self.quote, self.doc = claim.quote, claim.doc
            if not self.text:
                self.text, self.en = claim.nl, self.en or claim.en
        if not (self.text and self.quote and self.doc):
            raise ValueError("Een item heeft een tekst en een claim (of een citaat met document) nodig")
        return self

    def text_for(self, language: Language) -> str:
        return self.en if language == "en" and self.en else self.text


def _corpus_dir(corpus_dir: Path | None) -> Path:
    return Path(corpus_dir) if corpus_dir is not None else Path(get_settings().corpus_dir)


@lru_cache(maxsize=64)
def _cleaned(path: str, mtime: float) -> str:
    # mtime is part of the key so an edited corpus file is re-read, not served stale.
    file = Path(path)
    return read_document(file, DocumentInfo(id=file.stem, file=file.name, title=file.stem)).text


def cleaned_text(doc_id: str, corpus_dir: Path | None = None) -> str:
    """Cleaned text of a document; the text that quotes and offsets refer to."""
    root = _corpus_dir(corpus_dir)
    catalog = root / "catalog.yaml"
    stamp = (root.stat().st_mtime_ns if root.is_dir() else 0, catalog.stat().st_mtime_ns if catalog.is_file() else 0)
    found = _locate(str(root), doc_id, stamp)
    if found is None:
        raise QuoteNotFoundError(f"Onbekend document '{doc_id}' (niet in het corpus)")
    path = found[0]
    return _cleaned(str(path), path.stat().st_mtime)


@lru_cache(maxsize=256)
def _locate(root: str, doc_id: str, stamp: tuple[int, int]) -> tuple[Path, DocumentInfo] | None:
    # Keyed on the folder's and the catalog's mtimes: an added, removed or renamed file shows.
    return document_path(Path(root), doc_id)


def doc_title(doc_id: str, corpus_dir: Path | None = None) -> str:
    """Catalog title of a document, falling back to the id when the catalog lacks it."""
    path = _corpus_dir(corpus_dir) / "catalog.yaml"
    if not path.is_file():
        return doc_id
    return _titles(str(path), path.stat().st_mtime).get(doc_id, doc_id)


@lru_cache(maxsize=8)
def _titles(path: str, mtime: float) -> dict[str, str]:
    return {info.id: info.title for info in load_catalog(Path(path).parent).values()}


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
    """Short form of the index's corpus hash: results state which corpus they used."""
    return corpus_hash(_corpus_dir(corpus_dir))[:12]


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
