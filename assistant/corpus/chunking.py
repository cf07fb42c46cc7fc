"""Split cleaned documents into chunks that follow the document's own sections.

Each chunk is an exact slice of the cleaned text (offsets kept), carries its heading
path, and stays under the embedding model's 512-token window.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.text.sentences import sentence_offsets
from assistant.types import Chunk, Document

_NOT_HEADING_END = (".", ",", ";", ":", ")")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: blocks separated by blank lines."""
    pos = 0
    for part in text.split("\n\n"):
        if part.strip():
            yield pos, pos + len(part)
        pos += len(part) + 2


def is_heading(par: str, next_par: str | None) -> bool:
    s = par.strip()
    if "\n" in s or not (3 <= len(s) <= 90) or s.endswith(_NOT_HEADING_END):
        return False
    if s[0] in "•-–(\"'‘“" or s[0].islower() or s.replace(" ", "").isdigit():
        return False
    if re.match(r"^(Figuur|Tabel|Bron|Box)\b", s):
        return False
    words = s.split()
    return len(words) <= 12 and (next_par is None or len(next_par) > len(s))


_GENERIC_LABELS = {"kennis", "praktijk", "tools", "tips", "tips:", "tip", "praktijkvoorbeeld", "casus"}
_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s")


def heading_level(heading: str, top: set[str]) -> int:
    """1 for chapters, deeper for numbered subsections and the recurring box labels."""
    m = _NUMBER.match(heading)
    if m:
        return m.group(1).count(".") + 1
    if heading.lower() in _GENERIC_LABELS:
        return 4
    return 1 if heading in top else 2


def _sections(doc: Document) -> Iterator[tuple[str, int, int]]:
    """(heading path, start, end) of each body paragraph."""
    pars = list(paragraphs(doc.text))
    top = set(doc.top_headings)
    path: list[tuple[int, str]] = []
    for i, (a, b) in enumerate(pars):
        par = doc.text[a:b]
        nxt = doc.text[pars[i + 1][0] : pars[i + 1][1]] if i + 1 < len(pars) else None
        if is_heading(par, nxt):
            level = heading_level(par.strip(), top)
            path = [(lv, h) for lv, h in path if lv < level] + [(level, par.strip())]
            continue
        yield " > ".join(h for _, h in path), a, b


def _pieces(doc: Document, a: int, b: int, size: int) -> Iterator[tuple[int, int]]:
    """Paragraph pieces no longer than `size`, cut at sentence boundaries."""
    if b - a <= size:
        yield a, b
        return
    cur_start = a
    cur_end = a
    for s, e in sentence_offsets(doc.text[a:b], a):
        if e - cur_start > size and cur_end > cur_start:
            yield cur_start, cur_end
            cur_start = s
        cur_end = e
    if cur_end > cur_start:
        yield cur_start, cur_end


def chunk_document(doc: Document, size: int = 1100, overlap: int = 150) -> list[Chunk]:
    """Greedy packing of paragraphs per section; a new section always starts a new chunk."""
    chunks: list[Chunk] = []
    group: list[tuple[int, int]] = []
    group_section = None

    def flush() -> None:
        if group:
            chunks.append(_make_chunk(doc, len(chunks), group_section or "", group, overlap))
            group.clear()

    for section, a, b in _sections(doc):
        for s, e in _pieces(doc, a, b, size):
            if section != group_section or (group and e - group[0][0] > size):
                flush()
                group_section = section
            group.append((s, e))
    flush()
    return chunks


def _make_chunk(doc: Document, n: int, section: str, group: list[tuple[int, int]], overlap: int) -> Chunk:
    start, end = group[0][0], group[-1][1]
    if overlap and n > 0:
        # Carry the tail of the previous sentence block so a claim split over chunks stays findable.
        back = doc.text.rfind(". ", max(0, start - overlap), start)
        if back != -1 and "\n\n" not in doc.text[back:start].strip():
            start = back + 2
    return Chunk(
        id=f"{doc.info.id}:{n:04d}",
        doc_id=doc.info.id,
        title=doc.info.title,
        section=section,
        text=doc.text[start:end],
        start=start,
        end=end,
        page=doc.page_at(start),
    )
