"""The Documenten page: the corpus as indexed, and a reader for each document's cleaned text.

The cleaned text is exactly what citations quote, so a source opened from the chat
(`?doc=<id>&start=<offset>&end=<offset>`) shows its quote highlighted at the right place.
Long documents are read in parts of about 8,000 characters.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

import streamlit as st

from assistant.service import Assistant
from assistant.types import Document
from assistant.ui.passages import highlight_html, part_of, passage_html, split_parts
from assistant.ui.resources import get_assistant

SELECT_KEY = "doc_select"
PART_KEY = "doc_part"
TARGET_KEY = "doc_target"


class Target(NamedTuple):
    """A quote to highlight: document id and the quote's offsets in its cleaned text."""

    doc_id: str
    start: int
    end: int


def document_rows(assistant: Assistant) -> list[dict[str, Any]]:
    """One row per document: catalog data, size of the cleaned text and number of chunks."""
    chunks = Counter(chunk.doc_id for chunk in assistant.kb.chunks.values())
    rows = []
    for doc_id, document in assistant.documents.items():
        info = document.info
        rows.append(
            {
                "titel": info.title,
                "uitgever": info.publisher,
                "jaar": info.year,
                "soort": info.kind,
                "tekens": len(document.text),
                "chunks": chunks.get(doc_id, 0),
                "id": doc_id,
            }
        )
    return rows


def target_from_params(params: dict[str, str], documents: dict[str, Document]) -> Target | None:
    """The quote named in the query parameters, or None when absent or invalid."""
    doc_id = params.get("doc")
    if not doc_id or doc_id not in documents:
        return None
    try:
        start, end = int(params.get("start", "")), int(params.get("end", ""))
    except ValueError:
        return Target(doc_id, 0, 0)  # open the document without a highlight
    if not 0 <= start < end <= len(documents[doc_id].text):
        return Target(doc_id, 0, 0)
    return Target(doc_id, start, end)


def _apply_target(target: Target | None, documents: dict[str, Document]) -> None:
    """Select the linked document and its part once per link (the user may page on after)."""
    if target is None or st.session_state.get(TARGET_KEY) == tuple(target):
        return
    st.session_state[TARGET_KEY] = tuple(target)
    st.session_state[SELECT_KEY] = target.doc_id
    st.session_state[PART_KEY] = part_of(split_parts(documents[target.doc_id].text), target.start)


def _on_document_change() -> None:
    st.session_state[PART_KEY] = 0
    st.session_state.pop(TARGET_KEY, None)
    st.query_params.clear()


def _render_meta(document: Document, chunks: int) -> None:
    info = document.info
    st.subheader(info.title)
    details = [
        info.publisher,
        info.year,
        info.kind,
        f"bestand {info.file}",
        f"{len(document.text):,} tekens".replace(",", "."),
        f"{chunks} chunks",
    ]
    if document.page_starts:
        details.append(f"{document.page_starts[-1][1]} pagina's")
    st.caption(" · ".join(d for d in details if d))


def _render_reader(document: Document, target: Target | None) -> None:
    text = document.text
    marks: list[tuple[int, int]] = []
    if target and target.end > target.start:
        marks = [(target.start, target.end)]
        st.markdown("**Geciteerde passage**")
        st.markdown(passage_html(text, target.start, target.end, context=600), unsafe_allow_html=True)
    parts = split_parts(text)
    if st.session_state.get(PART_KEY, 0) >= len(parts):
        st.session_state[PART_KEY] = 0
    index = st.selectbox(
        "Deel van de tekst", range(len(parts)), key=PART_KEY, format_func=lambda i: f"Deel {i + 1} van {len(parts)}"
    )
    lo, hi = parts[index or 0]
    if marks and not lo <= marks[0][0] < hi:
        st.caption("De geciteerde passage staat in een ander deel van de tekst.")
    st.markdown(highlight_html(text, lo, hi, marks, anchor="citaat"), unsafe_allow_html=True)


def render_documents_page() -> None:
    st.title("Documenten")
    st.write(
        "De documenten in de kennisbank. De tekst hieronder is de opgeschoonde tekst waaruit de "
        "assistent citeert; een bron uit de chat opent hier met het citaat gemarkeerd."
    )
    assistant = get_assistant()
    if assistant is None:
        return
    for warning in assistant.kb.warnings:
        st.warning(warning)
    rows = document_rows(assistant)
    st.dataframe(
        rows,
        hide_index=True,
        column_config={
            "titel": st.column_config.TextColumn(width="large"),
            "tekens": st.column_config.NumberColumn(format="%d"),
        },
    )
    documents = assistant.documents
    if not documents:
        st.info("Er zijn geen documenten geladen.")
        return
    target = target_from_params(st.query_params.to_dict(), documents)
    _apply_target(target, documents)
    if st.session_state.get(SELECT_KEY) not in documents:
        st.session_state[SELECT_KEY] = next(iter(documents))
    selected = st.selectbox(
        "Document lezen",
        list(documents),
        key=SELECT_KEY,
        on_change=_on_document_change,
        format_func=lambda d: documents[d].info.title,
    )
    chunks = next(r["chunks"] for r in rows if r["id"] == selected)
    _render_meta(documents[selected], chunks)
    _render_reader(documents[selected], target if target and target.doc_id == selected else None)
