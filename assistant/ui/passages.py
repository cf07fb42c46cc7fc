"""HTML for a cited quote highlighted inside its document text.

All document text is escaped before it is wrapped in tags, so corpus content can never inject
HTML. The result is one line without blank lines: Markdown treats it as a single raw HTML block
and leaves the text alone (no emphasis, lists or LaTeX from stray `*`, `-` or `$`).
"""

from __future__ import annotations

import html
import re

CONTEXT_CHARS = 1500
PART_CHARS = 8000
_PARAGRAPH = '<span style="display:block;height:0.6rem"></span>'
_BOX = "font-size:0.92rem;line-height:1.55;border-left:3px solid #c8d3e0;padding:0.2rem 0 0.2rem 0.8rem;"


def escape_text(text: str) -> str:
    """Escape HTML and Markdown-sensitive characters; blank lines separate paragraphs."""
    escaped = html.escape(text, quote=True).replace("$", "&#36;").replace("\\", "&#92;").replace("\r", "")
    return re.sub(r"\n{2,}", _PARAGRAPH, escaped).replace("\n", "<br>")


def context_bounds(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[int, int]:
    """About `context` characters either side of [start, end), cut at whitespace."""
    lo = max(0, start - context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    hi = min(len(text), end + context)
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return lo, hi


def highlight_html(text: str, lo: int, hi: int, marks: list[tuple[int, int]] | None = None, anchor: str = "") -> str:
    """text[lo:hi] as escaped HTML with each (start, end) in `marks` wrapped in <mark>."""
    out, pos = [], lo
    for start, end in sorted(marks or []):
        start, end = max(start, pos), min(end, hi)
        if start >= end:
            continue
        out.append(escape_text(text[pos:start]))
        ident = f' id="{html.escape(anchor)}"' if anchor else ""
        out.append(f"<mark{ident}>{escape_text(text[start:end])}</mark>")
        pos = end
    out.append(escape_text(text[pos:hi]))
    before = "… " if lo > 0 else ""
    after = " …" if hi < len(text) else ""
    return f'<div style="{_BOX}">{before}{"".join(out)}{after}</div>'


def passage_html(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> str:
    """The quote text[start:end] highlighted, with surrounding context."""
    lo, hi = context_bounds(text, start, end, context)
    return highlight_html(text, lo, hi, [(start, end)])


def split_parts(text: str, size: int = PART_CHARS) -> list[tuple[int, int]]:
    """Consecutive (start, end) parts of about `size` characters, cut after a paragraph end."""
    parts, lo = [], 0
    while lo < len(text):
        hi = min(len(text), lo + size)
        if hi < len(text):
            newline = text.rfind("\n", lo + size // 2, hi)
            hi = newline + 1 if newline != -1 else hi
        parts.append((lo, hi))
        lo = hi
    return parts or [(0, 0)]


def part_of(parts: list[tuple[int, int]], offset: int) -> int:
    """Index of the part that contains `offset` (the last part for offsets past the end)."""
    for i, (lo, hi) in enumerate(parts):
        if lo <= offset < hi:
            return i
    return len(parts) - 1
