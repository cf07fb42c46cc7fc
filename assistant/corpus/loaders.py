"""Read the corpus folder: catalog entries plus .txt, .md and .pdf files, cleaned."""

from __future__ import annotations

import codecs
import hashlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.corpus.cleaning import clean_text, heading_lines
from assistant.types import Document, DocumentInfo

log = logging.getLogger(__name__)
SUPPORTED = {".txt", ".md", ".pdf"}
MAX_FILE_BYTES = 50_000_000  # far above any synthesis (the largest is ~0.5 MB); a bigger file is a mistake
# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


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


def _guess_encoding(raw: bytes) -> str:
    """The encoding of a text file: BOM, BOM-less UTF-16 (NUL in every other byte), UTF-8, cp1252."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return codec
    sample = raw[:4000]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    for codec in ("utf-8", "cp1252"):  # Windows exports are mostly cp1252
        try:
            raw.decode(codec)
            return codec
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return best.encoding if best is not None else "cp1252"


def _read_text_file(path: Path, warnings: list[str]) -> str:
    raw = path.read_bytes()
    codec = _guess_encoding(raw)
    if codec not in ("utf-8", "utf-8-sig"):
        warnings.append(f"{path.name} is niet in UTF-8; gelezen als {codec}")
    return raw.decode(codec, errors="replace")


def _read_pdf(path: Path) -> tuple[str, list[tuple[int, int]]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        # Many "protected" PDFs only restrict printing: they open with an empty user password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError(f"{path.name}: de PDF is versleuteld met een wachtwoord en kan niet worden gelezen")
        pages = [p.extract_text() or "" for p in reader.pages]
    except CorpusError:
        raise
    except PdfReadError as exc:
        raise CorpusError(f"{path.name}: de PDF is beschadigd of onleesbaar ({exc})") from exc
    except Exception as exc:  # pypdf raises many kinds (LimitReachedError, NotImplementedError, ...)
        raise CorpusError(f"{path.name}: de PDF kon niet worden gelezen ({type(exc).__name__}: {exc})") from exc
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


def read_document(path: Path, info: DocumentInfo, warnings: list[str] | None = None) -> Document:
    """One cleaned document; notes worth showing the user (an encoding guess) go to `warnings`."""
    if path.suffix.lower() == ".pdf":
        text, starts = _read_pdf(path)
        return Document(info=info, text=text, page_starts=starts)
    raw = _read_text_file(path, warnings if warnings is not None else [])
    text = clean_text(raw)
    if not text.strip():
        raise CorpusError(f"{path.name}: het bestand is leeg")
    return Document(info=info, text=text, top_headings=sorted(heading_lines(raw)))


def _derived_info(path: Path) -> DocumentInfo:
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    return DocumentInfo(id=path.stem, file=path.name, title=title, publisher="onbekend", kind="uncatalogued")


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(
        p for p in corpus_dir.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith(".")
    )


def load_corpus(corpus_dir: Path, max_bytes: int = MAX_FILE_BYTES) -> CorpusLoad:
    """Load every readable document; unreadable, oversized or uncatalogued files become warnings."""
    catalog = load_catalog(corpus_dir)
    result = CorpusLoad(documents={})
    files: dict[str, str] = {}  # document id -> file name, to catch two files with one id
    for path in corpus_files(corpus_dir):
        if path.stat().st_size > max_bytes:
            result.warnings.append(f"{path.name} is groter dan {max_bytes / 1_000_000:g} MB en is overgeslagen")
            continue
        info = catalog.get(path.name)
        if info is None:
            info = _derived_info(path)
            result.warnings.append(f"{path.name} staat niet in catalog.yaml; opgenomen met titel '{info.title}'")
        if info.id in files:
            unique = _unique_id(info.id, path, files)
            result.warnings.append(
                f"{path.name} heeft dezelfde document-id als {files[info.id]} ({info.id}); opgenomen als {unique}"
            )
            info = info.model_copy(update={"id": unique})
        try:
            result.documents[info.id] = read_document(path, info, result.warnings)
            files[info.id] = path.name
        except CorpusError as exc:
            result.warnings.append(str(exc))
        except Exception as exc:  # one unreadable file must not stop the others
            log.exception("Bestand %s niet gelezen", path.name)
            result.warnings.append(f"{path.name}: kon niet worden gelezen ({type(exc).__name__}: {exc})")
    for name, info in catalog.items():
        if not (corpus_dir / name).is_file():
            result.warnings.append(f"catalog.yaml noemt {name} ({info.id}), maar het bestand ontbreekt")
    return result


def _unique_id(doc_id: str, path: Path, taken: dict[str, str]) -> str:
    base = f"{doc_id}-{path.suffix.lstrip('.').lower() or 'bestand'}"
    unique, n = base, 2
    while unique in taken:
        unique, n = f"{base}-{n}", n + 1
    return unique


def document_path(corpus_dir: Path, doc_id: str) -> tuple[Path, DocumentInfo] | None:
    """The file behind a document id (catalogued or derived from its name), or None."""
    catalog = load_catalog(corpus_dir)
    for name, info in catalog.items():
        if info.id == doc_id and (corpus_dir / name).is_file():
            return corpus_dir / name, info
    for path in corpus_files(corpus_dir):
        if path.stem == doc_id and path.name not in catalog:
            return path, _derived_info(path)
    return None


def corpus_hash(corpus_dir: Path) -> str:
    """Content hash of everything that goes into the index."""
    paths = [p for p in [corpus_dir / "catalog.yaml", *corpus_files(corpus_dir)] if p.is_file()]
    return _hash_files(tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths))


@lru_cache(maxsize=8)
def _hash_files(stamp: tuple[tuple[str, int, int], ...]) -> str:
    # Keyed on names, mtimes and sizes, so the files are only re-hashed after a change.
    h = hashlib.sha256()
    for name, _, _ in stamp:
        path = Path(name)
        h.update(path.name.encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]
