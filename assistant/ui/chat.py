"""The chat page: questions, and answers whose [n] chips open the cited passage in a reader pane.

The conversation lives in `st.session_state["chat_messages"]` as dicts with the question, the
Answer and an id (for widget keys, the reader and feedback), so follow-up questions reach the
assistant as `history`. Under each answer: copy and rating actions and its sources grouped by
document (assistant/ui/citations.py, reader.py, answer_actions.py). A question sent from elsewhere (a wizard's
"Vraag door" button) arrives in `st.session_state["pending_question"]` and is asked on arrival.
Errors are shown as a message; the conversation so far is never lost.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from assistant.embedding.base import ModelLoadError
from assistant.guidance.phases import UnknownPhaseError
from assistant.guidance.starters import follow_ups, starters
from assistant.knowledge.model import vocabulary
from assistant.service import Assistant
from assistant.types import Answer, InputError, Turn
from assistant.ui.answer_actions import render_actions, render_reason
from assistant.ui.citations import render_body, render_sources
from assistant.ui.reader import close_reader, open_citation, render_reader
from assistant.ui.resources import error_message, get_assistant
from assistant.ui.sidebar import current_profile, mode_label, profile_summary

log = logging.getLogger(__name__)
MESSAGES = "chat_messages"
PENDING_QUESTION = "pending_question"
FAILURE = "chat_failure"
SHOWN_QUESTION_CHARS = 600
# Pages app.py registers in session_state, for the first screen's starting points.
START_PAGES = [
    ("assessment_page", "Waar staan we? (alleen)", ":material/explore:"),
    ("teamscan_page", "Teamscan (met het netwerk)", ":material/groups:"),
    ("funding_page", "Bekostigingswizard", ":material/euro:"),
    ("governance_page", "Governancewizard", ":material/account_tree:"),
]


def _messages() -> list[dict[str, Any]]:
    if MESSAGES not in st.session_state:
        st.session_state[MESSAGES] = []
    messages: list[dict[str, Any]] = st.session_state[MESSAGES]
    return messages


def history() -> list[Turn]:
    return [Turn(question=m["question"], answer=m["answer"].text) for m in _messages()]


def _render_badges(answer: Answer) -> None:
    badges = [f":blue-badge[Modus: {mode_label(answer.mode)}]"]
    if answer.refused:
        badges.append(":orange-badge[Niet gevonden in de bronnen]")
    sources = len(answer.citations)
    badges.append(f"{sources} {'bron' if sources == 1 else 'bronnen'} · {answer.latency_ms:.0f} ms")
    st.markdown(" ".join(badges), width="content")


def render_answer(message: dict[str, Any]) -> None:
    """Text with citation chips, badges, copy and rating, then the sources (collapsed)."""
    answer: Answer = message["answer"]
    key = message["id"]
    if answer.notice:
        st.info(answer.notice)

    def open_here(n: int) -> None:
        open_citation(key, n)

    render_body(answer, key, open_here)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        _render_badges(answer)
        render_actions(message)
        _render_followups(message)
    render_reason(message)
    render_sources(answer, key, open_here)


def _shown_question(question: str) -> str:
    """The user's text as Markdown, without images: `![](url)` would make every browser that shows
    the conversation fetch that address."""
    shown = question if len(question) <= SHOWN_QUESTION_CHARS else question[:SHOWN_QUESTION_CHARS]
    shown = re.sub(r"!\[", r"!\\[", shown)
    if len(question) <= SHOWN_QUESTION_CHARS:
        return shown
    return f"{shown}… _({len(question):,} tekens)_".replace(",", ".")


def render_turn(message: dict[str, Any]) -> None:
    with st.chat_message("user"):
        st.markdown(_shown_question(message["question"]))
    with st.chat_message("assistant"):
        render_answer(message)


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
        _fail(
            f"Er ging iets mis bij het beantwoorden ({type(exc).__name__}: {exc}). Uw gesprek blijft bewaard.", question
        )


def handle_question(assistant: Assistant, question: str) -> None:
    """Ask with the conversation and profile. A generative answer is shown as it is written
    (st.write_stream), then replaced by its verified version with sources."""
    st.session_state.pop(FAILURE, None)
    close_reader()
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
            message = {
                "question": question,
                "answer": answer,
                "id": uuid.uuid4().hex,
                "followups": follow_ups(answer, assistant.kb.claims),
            }
            _messages().append(message)
            render_answer(message)


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
    st.markdown(starters().intro)
    ask, assess, solve = st.columns(3)
    ask.markdown(
        "**Stel een vraag**  \nIn het Nederlands of Engels, hieronder; klik op een bronnummer om de passage te lezen."
    )
    assess.markdown("**Bepaal waar u staat**")
    solve.markdown("**Los een bekostigings- of governancevraag op**")
    for column, (key, label, icon) in zip([assess, assess, solve, solve], START_PAGES, strict=True):
        if key in st.session_state:
            column.page_link(st.session_state[key], label=label, icon=icon)
    _render_examples()


def _render_examples() -> None:
    examples = starters().examples
    profile = current_profile()
    role = profile.role if profile else None
    roles = sorted(examples, key=lambda r: r != role)  # the user's own role first
    labels = vocabulary().roles
    for tab, r in zip(st.tabs([labels[r]["nl"] for r in roles]), roles, strict=True):
        for i, example in enumerate(examples[r]):
            tab.button(
                example, key=f"chat_example_{r}_{i}", icon=":material/chat:", on_click=_set_pending, args=(example,)
            )


def _render_followups(message: dict[str, Any]) -> None:
    """Follow-up questions in a popover beside the answer's actions, so the answer keeps its height."""
    questions = message.get("followups") or []
    if not questions:
        return
    with st.popover("Vervolgvragen", icon=":material/forum:"):
        for i, question in enumerate(questions):
            st.button(
                question, key=f"followup_{message['id']}_{i}", type="tertiary", on_click=_set_pending, args=(question,)
            )


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
        render_turn(message)
    if question is not None:
        if not _messages():
            intro.empty()  # the examples make way for the first answer
        handle_question(assistant, str(question))
    _render_failure()
    render_reader(assistant.documents)
