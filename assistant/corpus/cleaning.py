"""Undo PDF-extraction artefacts so that what we chunk, show and quote is readable text.

The cleaned text is the single source of truth: chunk offsets, citation quotes and the
document view in the app all point into it.
"""

from __future__ import annotations

import re

_URL_LINE = re.compile(r"^\s*(https?://|www\.)\S+\s*$")
_BULLET = re.compile(r"^\s*(?:[•\u2022\u25aa\u25cf\uf0b7\-–·]|\d{1,2}[.)])\s+")
_KEEP_HYPHEN_NEXT = {"en", "of", "tot", "and", "or", "en/of"}
_SPACES = re.compile(r"[ \u00a0\u2007\u202f]+")


def _replace_fffd(text: str) -> str:
    # U+FFFD stands for a full stop (or a list dot at the start of a line).
    text = re.sub(r"(?m)^(\s*)\ufffd\s*", r"\1• ", text)
    text = re.sub(r"\t\ufffd\s*", "\n• ", text)
    return text.replace("\ufffd", ".")


def _is_double_spaced(lines: list[str]) -> bool:
    if len(lines) < 20:
        return False
    blanks = sum(1 for ln in lines if not ln.strip())
    return blanks / len(lines) > 0.4


def _undouble(lines: list[str]) -> list[str]:
    """Drop single blank lines between text lines; keep runs of blanks as breaks."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j - i >= 2 or not out or j == len(lines):
                out.append("")
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    cur: list[str] = []
    for ln in lines:
        if ln.strip():
            cur.append(ln)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _join_lines(lines: list[str]) -> str:
    out = ""
    for raw in lines:
        line = raw.strip()
        if not out:
            out = line
        elif _BULLET.match(raw):
            out += "\n" + line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            first = line.split(" ", 1)[0].rstrip(",.;:")
            out = out + " " + line if first in _KEEP_HYPHEN_NEXT else out[:-1] + line
        else:
            out += " " + line
    return out


def _clean_block(lines: list[str], heading_hint: bool) -> str:
    text = _join_lines(lines)
    text = "\n".join(_SPACES.sub(" ", part).strip() for part in text.split("\n"))
    # Mark top-level headings (a leading space in the extraction) so chunking can find them.
    return ("\u2063" + text) if heading_hint else text


_NUMBERED_HEADING = re.compile(r"^\s?\d{1,2}(\.\d{1,2}){0,3}\.? +[A-Z][^.]{2,85}$")


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    if not (2 < len(s) < 90) or s.endswith((".", ",", ";")):
        return False
    return bool(_NUMBERED_HEADING.match(line)) or (line.startswith(" ") and not s[0].isdigit())


def _running_lines(lines: list[str]) -> set[str]:
    """Page headers and footers: short lines with a page number or (c) that repeat."""
    counts: dict[str, int] = {}
    for ln in lines:
        s = ln.strip()
        if s and len(s) < 120 and (any(ch.isdigit() for ch in s) or "©" in s):
            key = re.sub(r"\d+", "#", s)
            counts[key] = counts.get(key, 0) + 1
    return {k for k, n in counts.items() if (n >= 3 or "©" in k or "#/#" in k) and not re.fullmatch(r"[#./ ]*", k)}


_PAGE_HEADER = re.compile(r"^\d{1,3} {2,}\S.{0,80}$")  # "6    Running title"


def _isolate_headings(lines: list[str]) -> list[str]:
    out: list[str] = []
    for ln in lines:
        if _is_heading_line(ln):
            out += ["", ln, ""]
        else:
            out.append(ln)
    return out


def clean_text(raw: str) -> str:
    """Return cleaned text: paragraphs on one line each, separated by blank lines."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _replace_fffd(text)
    text = text.replace("\u00ad", "").replace("\t", " ")
    lines = [ln.rstrip() for ln in text.split("\n") if not _URL_LINE.match(ln)]
    running = _running_lines(lines)
    lines = [ln for ln in lines if re.sub(r"\d+", "#", ln.strip()) not in running and not _PAGE_HEADER.match(ln)]
    if _is_double_spaced(lines):
        lines = _undouble(lines)
    lines = _isolate_headings(lines)
    parts = []
    for block in _blocks(lines):
        hint = len(block) == 1 and block[0].startswith(" ") and len(block[0].strip()) < 90
        cleaned = _clean_block(block, hint)
        if cleaned.strip("\u2063 "):
            parts.append(cleaned)
    return "\n\n".join(parts).replace("\u2063", "")


def heading_lines(raw: str) -> set[str]:
    """Top-level headings as the extraction marks them (single line with leading space)."""
    text = _replace_fffd(raw.replace("\t", " "))
    found = set()
    for ln in text.split("\n"):
        s = _SPACES.sub(" ", ln.strip())
        if _is_heading_line(ln) and not _NUMBERED_HEADING.match(ln):
            found.add(s)
    return found


def normalize_for_match(text: str) -> str:
    """Loose form for span matching: artefacts and whitespace do not count as differences."""
    text = _replace_fffd(text).replace("\u00ad", "")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[•\u2022]", " ", text)
    return re.sub(r"\s+", " ", text).strip().lower()
