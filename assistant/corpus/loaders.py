"""Read the corpus folder: catalog entries plus .txt, .md and .pdf files, cleaned."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.corpus.cleaning import clean_text, heading_lines
from assistant.types import Document, DocumentInfo

log = logging.getLogger(__name__)
SUPPORTED = {".txt", ".md", ".pdf"}


class CorpusError(ValueError):
    """A document could not be read; the message names the file and the reason."""


@dataclass
class CorpusLoad:
    documents: dict[str, Document]
    warnings: list[str] = field(default_factory=list)


def load_catalog(corpus_dir: Path) -> dict[str, DocumentInfo]:
    path = corpus_dir / "catalog.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    infos = [DocumentInfo(**d) for d in data.get("documents", [])]
    return {i.file: i for i in infos}


def _read_text_file(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Files exported on Windows are often cp1252; decoding them keeps the document usable.
        log.warning("%s is not UTF-8; read as cp1252", path.name)
        return raw.decode("cp1252", errors="replace")


def _read_pdf(path: Path) -> tuple[str, list[tuple[int, int]]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise CorpusError(f"{path.name}: de PDF is versleuteld en kan niet worden gelezen")
        pages = [p.extract_text() or "" for p in reader.pages]
    except CorpusError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise CorpusError(f"{path.name}: de PDF is beschadigd of onleesbaar ({exc})") from exc
    text, starts = "", []
    for number, page in enumerate(pages, start=1):
        cleaned = clean_text(page)
        if not cleaned:
            continue
        if text:
            text += "\n\n"
        starts.append((len(text), number))
        text += cleaned
    if not text.strip():
        raise CorpusError(f"{path.name}: de PDF bevat geen tekst (gescand document?)")
    return text, starts


def read_document(path: Path, info: DocumentInfo) -> Document:
    if path.suffix.lower() == ".pdf":
        text, starts = _read_pdf(path)
        return Document(info=info, text=text, page_starts=starts)
    raw = _read_text_file(path)
    text = clean_text(raw)
    if not text.strip():
        raise CorpusError(f"{path.name}: het bestand is leeg")
    return Document(info=info, text=text, top_headings=sorted(heading_lines(raw)))


def _derived_info(path: Path) -> DocumentInfo:
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    return DocumentInfo(id=path.stem, file=path.name, title=title, publisher="onbekend", kind="uncatalogued")


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED
                  and not p.name.startswith("."))


def load_corpus(corpus_dir: Path) -> CorpusLoad:
    """Load every readable document; unreadable or uncatalogued files become warnings."""
    catalog = load_catalog(corpus_dir)
    result = CorpusLoad(documents={})
    for path in corpus_files(corpus_dir):
        info = catalog.get(path.name)
        if info is None:
            info = _derived_info(path)
            result.warnings.append(
                f"{path.name} staat niet in catalog.yaml; opgenomen met titel '{info.title}'")
        try:
            result.documents[info.id] = read_document(path, info)
        except CorpusError as exc:
            result.warnings.append(str(exc))
    for name, info in catalog.items():
        if not (corpus_dir / name).is_file():
            result.warnings.append(f"catalog.yaml noemt {name} ({info.id}), maar het bestand ontbreekt")
    return result


def corpus_hash(corpus_dir: Path) -> str:
    """Content hash of everything that goes into the index."""
    h = hashlib.sha256()
    for path in [corpus_dir / "catalog.yaml", *corpus_files(corpus_dir)]:
        if path.is_file():
            h.update(path.name.encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]
