"""Sentence splitting, with one list of abbreviations.

Two policies on purpose. `sentence_offsets` is the chunker's: it only ends a sentence before
an upper-case letter, digit, bullet or quote, and chunk boundaries (and so the index and the
claims' passages) depend on it. `sentence_spans` is the support check's: it also splits
before dashes and at every line break, which is what a cited claim is compared with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# A full stop after these is no sentence end: "Ndayishimiye et al. (2023) komen ..." is one sentence.
# Not "etc.": in the corpus it ends sentences. Shared by both splitters.
ABBREVIATION = re.compile(
    r"(?:\b(?:al|bijv|bv|o\.a|m\.a\.w|d\.w\.z|e\.g|i\.e|nr|zgn|ca|dr|mr|prof|vs|incl|resp|evt|jl)|\b[A-Z])\.$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"'’”)]?)\s+(?=[A-Z0-9ÀÉÈËÏÖÜ“‘'\"(•])")


def sentence_offsets(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Sentence boundaries (absolute offsets) inside `text`; bullets count as sentences."""
    spans: list[tuple[int, int]] = []
    for line_start, line in _lines_with_offsets(text):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            if ABBREVIATION.search(line[start : m.start()]):
                continue
            spans.append((base + line_start + start, base + line_start + m.start() + len(m.group(1))))
            start = m.end()
        if line[start:].strip():
            spans.append((base + line_start + start, base + line_start + len(line.rstrip())))
    return [(a, b) for a, b in spans if b > a]


def _lines_with_offsets(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


@dataclass(frozen=True)
class Span:
    text: str
    start: int  # offsets into the text that was split
    end: int


# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before
# whitespace + an upper-case letter, digit, bullet or quote; or at a line break.
_SENT_END = re.compile(r"(?<=[.!?])(?P<close>[\"')\]’”]*)\s+(?=[\"'(‘“•\-–A-Z0-9À-Ý])|\n+")


def sentence_spans(text: str, min_chars: int = 1) -> list[Span]:
    """Split `text` into sentences; every Span.text == text[start:end] (stripped)."""
    spans: list[Span] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        end = m.start() + len(m.group("close") or "")
        if "\n" not in m.group() and ABBREVIATION.search(text[pos:end]):
            continue
        _add_span(spans, text, pos, end, min_chars)
        pos = m.end()
    _add_span(spans, text, pos, len(text), min_chars)
    return spans


def _add_span(spans: list[Span], text: str, start: int, end: int, min_chars: int) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    stripped = piece.strip()
    if len(stripped) >= min_chars:
        s = start + lead
        spans.append(Span(stripped, s, s + len(stripped)))
