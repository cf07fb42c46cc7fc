"""The source reader: one side pane that shows a cited passage with its quote highlighted.

A chip sets `st.session_state[READER]` to (answer id, citation number); while it is set, the
chat page opens the pane (`st.dialog(position="right")`, a full-height drawer beside the chat
that Streamlit narrows to the screen on a phone). The pane stays open across reruns until the
user closes it (`on_dismiss` clears the state), and its buttons step through the answer's
citations in number order. Its widgets rerun only the pane, so the chat keeps its place.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant.types import Answer, Citation, Document
from assistant.ui.citations import short_section, short_title, split_blocks
from assistant.ui.passages import passage_html

READER = "chat_reader"
DOCUMENTS_PAGE = "assistant/ui/pages/documents.py"
READER_CONTEXT_CHARS = 900  # surrounding text either side of the quote


def open_citation(answer_id: str, n: int) -> None:
    st.session_state[READER] = {"answer": answer_id, "n": n}


def close_reader() -> None:
    st.session_state.pop(READER, None)


def quote_span(document: Document, citation: Citation) -> tuple[int, int] | None:
    """The quote's offsets in the cleaned text: the stored ones, else where the quote occurs."""
    if document.text[citation.start : citation.end] == citation.quote:
        return citation.start, citation.end
    found = document.text.find(citation.quote)
    return (found, found + len(citation.quote)) if found != -1 else None


def claim_for(answer: Answer, n: int) -> str:
    """The statement of the answer that cites [n] (its line without markers)."""
    for block in split_blocks(answer.text, {c.n for c in answer.citations}):
        if n in block.numbers:
            return block.markdown.lstrip("-* ").strip()
    return ""


def _step(answer_id: str, n: int) -> None:
    open_citation(answer_id, n)


def _render_nav(answer_id: str, numbers: list[int], n: int) -> None:
    at = numbers.index(n)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(
            "Vorige",
            key="reader_prev",
            icon=":material/chevron_left:",
            disabled=at == 0,
            on_click=_step,
            args=(answer_id, numbers[max(at - 1, 0)]),
        )
        st.caption(f"Citaat {at + 1} van {len(numbers)}")
        st.button(
            "Volgende",
            key="reader_next",
            icon=":material/chevron_right:",
            icon_position="right",
            disabled=at == len(numbers) - 1,
            on_click=_step,
            args=(answer_id, numbers[min(at + 1, len(numbers) - 1)]),
        )


def _render_source(citation: Citation, document: Document | None) -> None:
    st.markdown(f"**[{citation.n}] {short_title(citation.title)}**")
    where = [short_section(citation.section), f"p. {citation.page}" if citation.page else ""]
    if document is not None:
        info = document.info
        where += [info.publisher, info.year]
    st.caption(" · ".join(w for w in where if w))
    span = quote_span(document, citation) if document else None
    if document is None or span is None:
        st.markdown(f"> {citation.quote}")
        st.caption("De omringende tekst is niet beschikbaar voor deze bron.")
        return
    st.markdown(passage_html(document.text, *span, context=READER_CONTEXT_CHARS), unsafe_allow_html=True)
    page = st.session_state.get("documents_page", DOCUMENTS_PAGE)
    st.page_link(
        page,
        label="Open het volledige document",
        icon=":material/description:",
        query_params={"doc": citation.doc_id, "start": str(span[0]), "end": str(span[1])},
    )


def _render(message: dict[str, Any], n: int, documents: dict[str, Document]) -> None:
    answer: Answer = message["answer"]
    by_n = {c.n: c for c in answer.citations}
    numbers = sorted(by_n)
    _render_nav(message["id"], numbers, n)
    claim = claim_for(answer, n)
    if claim:
        st.markdown(f"**Bewering in het antwoord:** {claim}")
    citation = by_n[n]
    same = [
        c.n
        for c in answer.citations
        if c.n != n and (c.doc_id, c.start, c.end) == (citation.doc_id, citation.start, citation.end)
    ]
    _render_source(citation, documents.get(citation.doc_id))
    if same:
        st.caption("Dezelfde passage is ook geciteerd als " + ", ".join(f"[{m}]" for m in same) + ".")


@st.dialog("Bron", position="right", width=640, icon=":material/menu_book:", on_dismiss=close_reader)
def _reader_dialog(documents: dict[str, Document]) -> None:
    # State is read here, not passed in: a button in the pane reruns only this function,
    # with the arguments of the call that opened it.
    state = st.session_state.get(READER) or {}
    messages: list[dict[str, Any]] = st.session_state.get("chat_messages", [])
    message = next((m for m in messages if m.get("id") == state.get("answer")), None)
    if message is None or state.get("n") not in {c.n for c in message["answer"].citations}:
        st.info("Deze bron hoort bij een eerder gesprek en is niet meer beschikbaar.")
        return
    _render(message, int(state["n"]), documents)


def render_reader(documents: dict[str, Document]) -> None:
    """Open the reader pane when a citation is chosen (call once per run, after the chat)."""
    if st.session_state.get(READER):
        _reader_dialog(documents)
