"""The chat page: questions, cited answers, and each source expandable in its context.

The conversation lives in `st.session_state["chat_messages"]` as (question, Answer) pairs, so
follow-up questions reach the assistant as `history`. A question sent from elsewhere (a wizard's
"Vraag door" button) arrives in `st.session_state["pending_question"]` and is asked on arrival.
Errors are shown as a message; the conversation so far is never lost.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from assistant.embedding.base import ModelLoadError
from assistant.guidance.phases import UnknownPhaseError
from assistant.service import Assistant
from assistant.types import Answer, Citation, Document, InputError, Turn
from assistant.ui.passages import passage_html
from assistant.ui.resources import error_message, get_assistant
from assistant.ui.sidebar import current_profile, mode_label, profile_summary

log = logging.getLogger(__name__)
MESSAGES = "chat_messages"
PENDING_QUESTION = "pending_question"
FAILURE = "chat_failure"
DOCUMENTS_PAGE = "assistant/ui/pages/documents.py"
SHOWN_QUESTION_CHARS = 600
EXAMPLES = [
    "Welke bekostigingsmodellen passen bij domeinoverstijgende samenwerking?",
    "Wie houdt toezicht op een regionaal samenwerkingsverband?",
    "We zitten in de experimentfase, wat moeten we nu regelen?",
]


def _messages() -> list[dict[str, Any]]:
    if MESSAGES not in st.session_state:
        st.session_state[MESSAGES] = []
    messages: list[dict[str, Any]] = st.session_state[MESSAGES]
    return messages


def history() -> list[Turn]:
    return [Turn(question=m["question"], answer=m["answer"].text) for m in _messages()]


def citation_label(citation: Citation) -> str:
    """'[n] title — section (p. X)', with the section shortened to its last two headings."""
    section = " > ".join(citation.section.split(" > ")[-2:]) if citation.section else ""
    if len(section) > 90:
        section = section[:89].rstrip() + "…"
    title = re.sub(r"\s*\([^()]*\)$", "", citation.title) or citation.title  # drop "(kennissynthese …)"
    label = f"[{citation.n}] {title}" + (f" — {section}" if section else "")
    return label + (f" (p. {citation.page})" if citation.page else "")


def _quote_span(document: Document, citation: Citation) -> tuple[int, int] | None:
    if document.text[citation.start:citation.end] == citation.quote:
        return citation.start, citation.end
    found = document.text.find(citation.quote)
    return (found, found + len(citation.quote)) if found != -1 else None


def render_citation(citation: Citation, documents: dict[str, Document]) -> None:
    """The passage with the cited sentence highlighted, and a link to the whole document."""
    document = documents.get(citation.doc_id)
    span = _quote_span(document, citation) if document else None
    if document is None or span is None:
        st.markdown(f"> {citation.quote}")
        st.caption("De omringende tekst is niet beschikbaar voor deze bron.")
        return
    st.markdown(passage_html(document.text, *span), unsafe_allow_html=True)
    info = document.info
    st.caption(" · ".join(p for p in (info.publisher, info.year, info.kind) if p))
    page = st.session_state.get("documents_page", DOCUMENTS_PAGE)
    st.page_link(page, label="Open het volledige document", icon=":material/description:",
                 query_params={"doc": citation.doc_id, "start": str(span[0]), "end": str(span[1])})


def _render_badges(answer: Answer) -> None:
    badges = [f":blue-badge[Modus: {mode_label(answer.mode)}]"]
    if answer.refused:
        badges.append(":orange-badge[Niet gevonden in de bronnen]")
    sources = len(answer.citations)
    badges.append(f"{sources} {'bron' if sources == 1 else 'bronnen'} · {answer.latency_ms:.0f} ms")
    st.markdown(" ".join(badges))


def render_answer(answer: Answer, documents: dict[str, Document]) -> None:
    if answer.notice:
        st.info(answer.notice)
    st.markdown(answer.text)
    _render_badges(answer)
    if answer.citations:
        st.markdown("**Bronnen**")
    for citation in answer.citations:
        with st.expander(citation_label(citation)):
            render_citation(citation, documents)


def _shown_question(question: str) -> str:
    if len(question) <= SHOWN_QUESTION_CHARS:
        return question
    return f"{question[:SHOWN_QUESTION_CHARS]}… _({len(question):,} tekens)_".replace(",", ".")


def render_turn(question: str, answer: Answer, documents: dict[str, Document]) -> None:
    with st.chat_message("user"):
        st.markdown(_shown_question(question))
    with st.chat_message("assistant"):
        render_answer(answer, documents)


def _fail(message: str, question: str | None, level: str = "error") -> None:
    """Remember a failure; it is shown below the conversation until the next question."""
    st.session_state[FAILURE] = {"message": message, "question": question, "level": level}


@contextmanager
def _failures(question: str) -> Iterator[None]:
    """Turn any failure into a recorded message (never a traceback); the conversation stays."""
    try:
        yield
    except InputError as exc:
        _fail(str(exc), None, "warning")
    except UnknownPhaseError as exc:
        _fail(f"{exc} Kies een geldige fase in de zijbalk.", question)
    except ModelLoadError as exc:
        _fail(error_message(exc), question)
    except Exception as exc:  # any other failure: a message, and the question can be retried
        log.exception("Beantwoorden mislukt")
        _fail(f"Er ging iets mis bij het beantwoorden ({type(exc).__name__}: {exc}). "
              "Uw gesprek blijft bewaard.", question)


def handle_question(assistant: Assistant, question: str) -> None:
    """Ask with the conversation and profile. A generative answer is shown as it is written
    (st.write_stream), then replaced by its verified version with sources."""
    st.session_state.pop(FAILURE, None)
    with _failures(question):
        stream = assistant.stream(question, history=history(), profile=current_profile())  # bad input raises here
        with st.chat_message("user"):
            st.markdown(_shown_question(question))
        with st.chat_message("assistant"):
            draft = st.empty()
            with draft.container(), st.spinner("Bezig met zoeken in de bronnen…"):
                st.write_stream(stream)
            draft.empty()
            answer = stream.result()
            _messages().append({"question": question, "answer": answer})
            render_answer(answer, assistant.documents)


def _set_pending(question: str) -> None:
    st.session_state[PENDING_QUESTION] = question


def _retry() -> None:
    failure = st.session_state.pop(FAILURE, None)
    if failure and failure["question"]:
        _set_pending(failure["question"])


def _render_failure() -> None:
    failure = st.session_state.get(FAILURE)
    if not failure:
        return
    show = st.warning if failure["level"] == "warning" else st.error
    show(failure["message"])
    if failure["question"]:
        st.button("Vraag opnieuw stellen", key="chat_retry", on_click=_retry, icon=":material/replay:")


def _render_intro() -> None:
    if _messages():
        if st.button("Nieuw gesprek", key="chat_reset", icon=":material/refresh:"):
            st.session_state[MESSAGES] = []
            st.rerun()
        return
    st.markdown("Stel een vraag in het Nederlands of Engels. Elk antwoord noemt zijn bronnen; "
                "klap een bron open om de passage in de oorspronkelijke tekst te lezen.")
    for i, example in enumerate(EXAMPLES):
        st.button(example, key=f"chat_example_{i}", icon=":material/chat:", on_click=_set_pending, args=(example,))


def render_chat_page() -> None:
    st.title("Kennisassistent")
    st.caption(f"Juiste Zorg Op de Juiste Plek · profiel: {profile_summary()} (wijzig dit in de zijbalk)")
    intro = st.empty()
    with intro.container():
        _render_intro()
    assistant = get_assistant()
    if assistant is None:
        return
    typed = st.chat_input("Stel uw vraag over samenwerking, bekostiging of governance…", key="chat_input")
    pending = st.session_state.pop(PENDING_QUESTION, None)
    question = typed if typed is not None else pending
    for message in _messages():
        render_turn(message["question"], message["answer"], assistant.documents)
    if question is not None:
        if not _messages():
            intro.empty()  # the examples make way for the first answer
        handle_question(assistant, str(question))
    _render_failure()
