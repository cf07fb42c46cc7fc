"""Citation chips in the answer text, and the answer's sources grouped by document.

Streamlit's Markdown cannot call back into Python, so each line of the answer that carries
[n] markers is drawn as a row: the line's text without its markers, then one small button
("chip") per marker. A chip opens the reader (assistant/ui/reader.py) at that citation. The
rows are tight (no gap) so the answer keeps the height of plain text; a few lines of CSS,
scoped to the chips' keys, make the buttons chip-sized.

Under the answer a collapsed list names each document once, then the sections it is cited
from with their numbers; citations of the same quote (same offsets) are folded into one chip.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from assistant.guidance.answer import SECTION_TITLES
from assistant.types import Answer, Citation

MARKER = re.compile(r"(?<!\\)\[(\d+(?:\s*[,;]\s*\d+)*)\]")  # [3] or [3, 4]; not the escaped \[3\]
CHIP_KEY = "cite"  # every chip's key starts with this; the CSS below targets st-key-cite…
CHIP_CSS = """<style>
[class*="st-key-cite"] button {min-height:0; height:1.45rem; padding:0 0.45rem; border-radius:0.75rem; line-height:1;}
[class*="st-key-cite"] button p {font-size:0.78rem;}
</style>"""
OpenCitation = Callable[[int], None]
# The phase block's sections (now / watch / tools / next) are drawn as tabs: a phase answer of
# 22 points then fits one screen, and each section is one click away.
PHASE_TABS = {title for titles in SECTION_TITLES.values() for title in titles.values()}
_HEADING = re.compile(r"^\*\*(.+?)\*\*\s*$")


@dataclass(frozen=True)
class Block:
    """A piece of the answer: Markdown without markers, and the citation numbers it carries."""

    markdown: str
    numbers: tuple[int, ...] = ()


def _numbers(marker: str) -> list[int]:
    return [int(n) for n in re.split(r"\s*[,;]\s*", marker)]


def strip_markers(line: str, known: set[int]) -> tuple[str, list[int]]:
    """The line without its markers of known citations, and their numbers in order."""
    numbers: list[int] = []
    out, pos = [], 0
    for match in MARKER.finditer(line):
        found = _numbers(match.group(1))
        if not set(found) <= known:
            continue  # not a citation of this answer: leave it as text
        out.append(line[pos : match.start()])
        pos = match.end()
        numbers.extend(n for n in found if n not in numbers)
    text = "".join(out) + line[pos:]
    text = re.sub(r"[ \t]+([.,;:!?)])", r"\1", text)  # "tekst [1]." -> "tekst."
    return re.sub(r"[ \t]{2,}", " ", text).rstrip(), numbers


def split_blocks(text: str, known: set[int]) -> list[Block]:
    """The answer as blocks: each line with markers of known citations is its own block;
    the lines between them stay together. Markers of unknown numbers are left as text."""
    blocks: list[Block] = []
    plain: list[str] = []
    for line in text.split("\n"):
        stripped, numbers = strip_markers(line, known)
        if not numbers:
            plain.append(line)
            continue
        if "\n".join(plain).strip():
            blocks.append(Block("\n".join(plain).strip("\n")))
        plain = []
        blocks.append(Block(stripped, tuple(numbers)))
    if "\n".join(plain).strip():
        blocks.append(Block("\n".join(plain).strip("\n")))
    return blocks


def short_section(section: str) -> str:
    """The last two headings of a section path, at most 90 characters."""
    short = " > ".join(section.split(" > ")[-2:]) if section else ""
    return short[:89].rstrip() + "…" if len(short) > 90 else short


def short_title(title: str) -> str:
    return re.sub(r"\s*\([^()]*\)$", "", title) or title  # drop "(kennissynthese …)"


def citation_label(citation: Citation) -> str:
    """'[n] title — section (p. X)', with the section shortened to its last two headings."""
    section = short_section(citation.section)
    label = f"[{citation.n}] {short_title(citation.title)}" + (f" — {section}" if section else "")
    return label + (f" (p. {citation.page})" if citation.page else "")


@dataclass
class Quote:
    """One quoted span; `numbers` are all citations of it (folded)."""

    numbers: list[int]
    citation: Citation  # the first citation of this span


@dataclass
class Section:
    name: str
    pages: list[int] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class SourceGroup:
    doc_id: str
    title: str
    sections: list[Section] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(q.numbers) for s in self.sections for q in s.quotes)


def group_sources(citations: list[Citation]) -> list[SourceGroup]:
    """Documents in order of first citation; their sections in order of first citation; a
    quote cited twice (same document and offsets) is one entry under its first section."""
    groups: dict[str, SourceGroup] = {}
    spans: dict[tuple[str, int, int], Quote] = {}
    for c in sorted(citations, key=lambda c: c.n):
        span = (c.doc_id, c.start, c.end)
        if span in spans:
            spans[span].numbers.append(c.n)
            continue
        group = groups.setdefault(c.doc_id, SourceGroup(c.doc_id, short_title(c.title)))
        name = short_section(c.section) or "Zonder kop"
        section = next((s for s in group.sections if s.name == name), None)
        if section is None:
            section = Section(name)
            group.sections.append(section)
        if c.page and c.page not in section.pages:
            section.pages.append(c.page)
        spans[span] = Quote([c.n], c)
        section.quotes.append(spans[span])
    return list(groups.values())


def sources_summary(groups: list[SourceGroup]) -> str:
    citations = sum(g.count for g in groups)
    quotes = sum(len(s.quotes) for g in groups for s in g.sections)
    docs = len(groups)
    text = f"Bronnen · {citations} {'citaat' if citations == 1 else 'citaten'}"
    if quotes < citations:
        text += f" ({quotes} verschillende)"
    return text + f" uit {docs} {'document' if docs == 1 else 'documenten'}"


def answer_markdown(answer: Answer) -> str:
    """The answer with its [n] markers and a numbered source list with the verbatim quotes."""
    lines = [f"**Vraag:** {answer.question}", "", answer.text.strip()]
    if answer.citations:
        lines += ["", "**Bronnen**", ""]
        lines += [f"{citation_label(c)}: “{' '.join(c.quote.split())}”  " for c in answer.citations]
    return "\n".join(lines).rstrip() + "\n"


def _chip(key: str, numbers: list[int], citation: Citation, on_open: OpenCitation) -> None:
    label = ", ".join(str(n) for n in numbers)
    st.button(label, key=key, help=citation_label(citation), on_click=on_open, args=(numbers[0],))


@dataclass(frozen=True)
class Parts:
    """The answer text split around its phase sections: text before, (title, body) per tab, after."""

    before: str
    tabs: list[tuple[str, str]]
    after: str = ""


def phase_parts(text: str) -> Parts:
    """Split at the bold phase-section headings; fewer than two such sections: no tabs."""
    lines = text.split("\n")
    titles = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _HEADING.match(line.strip()))]
    tabbed = [(i, t) for i, t in titles if t in PHASE_TABS]
    if len(tabbed) < 2:
        return Parts(text, [])
    end = next((i for i, t in titles if i > tabbed[-1][0] and t not in PHASE_TABS), len(lines))
    bounds = [i for i, _ in tabbed] + [end]
    tabs = [(title, "\n".join(lines[bounds[k] + 1 : bounds[k + 1]]).strip("\n")) for k, (_, title) in enumerate(tabbed)]
    return Parts("\n".join(lines[: tabbed[0][0]]), tabs, "\n".join(lines[end:]))


def _render_blocks(text: str, by_n: dict[int, Citation], key: str, on_open: OpenCitation) -> None:
    with st.container(gap=None):
        for i, block in enumerate(split_blocks(text, set(by_n))):
            if not block.numbers:
                if i:
                    st.space("small")  # a heading after a list of points needs air above it
                st.markdown(block.markdown)
                continue
            with st.container(horizontal=True, gap="xsmall", vertical_alignment="center", wrap=False):
                st.markdown(block.markdown or "&nbsp;", width="stretch")
                for n in block.numbers:
                    _chip(f"{CHIP_KEY}_{key}_{i}_{n}", [n], by_n[n], on_open)


def _points(body: str) -> int:
    return sum(1 for line in body.split("\n") if line.lstrip().startswith(("- ", "* ")))


def render_body(answer: Answer, key: str, on_open: OpenCitation) -> None:
    """The answer text with a chip per marker at the end of its line; phase sections as tabs."""
    by_n = {c.n: c for c in answer.citations}
    st.html(CHIP_CSS)
    parts = phase_parts(answer.text)
    if parts.before.strip():
        _render_blocks(parts.before, by_n, key, on_open)
    if parts.tabs:
        labels = [f"{title} ({_points(body)})" for title, body in parts.tabs]
        for k, (tab, (_, body)) in enumerate(zip(st.tabs(labels), parts.tabs, strict=True)):
            with tab:
                _render_blocks(body, by_n, f"{key}_t{k}", on_open)
    if parts.after.strip():
        _render_blocks(parts.after, by_n, f"{key}_a", on_open)


def render_sources(answer: Answer, key: str, on_open: OpenCitation) -> None:
    """A collapsed expander: each document once, its cited sections, a chip per quote."""
    groups = group_sources(answer.citations)
    if not groups:
        return
    with st.expander(sources_summary(groups), icon=":material/menu_book:"):
        for group in groups:
            st.markdown(f"**{group.title}** · {group.count} {'citaat' if group.count == 1 else 'citaten'}")
            for j, section in enumerate(group.sections):
                pages = f" (p. {', '.join(map(str, section.pages))})" if section.pages else ""
                with st.container(horizontal=True, gap="xsmall", vertical_alignment="center"):
                    st.caption(f"{section.name}{pages}")
                    for quote in section.quotes:
                        _chip(
                            f"{CHIP_KEY}_src_{key}_{group.doc_id}_{j}_{quote.numbers[0]}",
                            quote.numbers,
                            quote.citation,
                            on_open,
                        )
