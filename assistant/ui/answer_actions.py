"""Under each answer: copy it as Markdown with its citations, and rate it (thumbs, optional reason).

Copying uses `st.code`, whose copy button puts the text on the clipboard without any custom
JavaScript. Ratings go to the app database (assistant/appdata/feedback.py) the moment a thumb
is clicked, so they survive a restart; the thumb shown comes from the database, not only from
the session. A database failure is shown as a warning and never breaks the chat.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import streamlit as st

from assistant.appdata import feedback
from assistant.appdata.db import AppDBError
from assistant.settings import get_settings
from assistant.ui.citations import answer_markdown

log = logging.getLogger(__name__)
FEEDBACK_ERROR = "chat_feedback_error"


def _db() -> Path:
    return get_settings().app_db


def _report(exc: Exception) -> None:
    log.exception("Feedback opslaan mislukt")
    st.session_state[FEEDBACK_ERROR] = f"Uw beoordeling kon niet worden opgeslagen ({exc})."


def _rated(message: dict[str, Any]) -> None:
    """st.feedback changed: store the thumb, or withdraw it when it was clicked off."""
    value = st.session_state.get(f"fb_{message['id']}")
    try:
        if value is None:
            feedback.remove(_db(), message["id"])
        else:
            feedback.save_rating(_db(), message["id"], message["answer"], int(value))
            reason = st.session_state.get(f"fb_reason_{message['id']}", "")
            if reason:
                feedback.save_reason(_db(), message["id"], reason)
    except (AppDBError, OSError, ValueError) as exc:
        _report(exc)


def _save_reason(message: dict[str, Any]) -> None:
    reason = st.session_state.get(f"fb_reason_{message['id']}", "")
    try:
        if feedback.save_reason(_db(), message["id"], reason):
            st.session_state[f"fb_saved_{message['id']}"] = True
    except (AppDBError, OSError) as exc:
        _report(exc)


def _stored(message: dict[str, Any]) -> feedback.Feedback | None:
    try:
        return feedback.get(_db(), message["id"])
    except (AppDBError, OSError) as exc:
        _report(exc)
        return None


def _render_reason(message: dict[str, Any], rating: int) -> None:
    key = message["id"]
    label = "Wat was goed? (optioneel)" if rating == feedback.UP else "Wat klopte er niet? (optioneel)"
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.text_input(
            label,
            key=f"fb_reason_{key}",
            max_chars=feedback.MAX_REASON_CHARS,
            on_change=_save_reason,
            args=(message,),
            placeholder="Bijvoorbeeld: bron past niet bij de vraag",
        )
        st.button("Reden opslaan", key=f"fb_send_{key}", on_click=_save_reason, args=(message,))
    if st.session_state.get(f"fb_saved_{key}"):
        st.caption("Bedankt, uw reden is opgeslagen.")


def render_actions(message: dict[str, Any]) -> None:
    """Copy and rating controls for one answer (a dict with 'id' and 'answer'), laid out by the
    caller (the chat puts them in one row with the answer's badges)."""
    key = message["id"]
    stored = _stored(message)
    if f"fb_{key}" not in st.session_state and stored is not None:
        st.session_state[f"fb_{key}"] = stored.rating  # the stored thumb after a restart or reload
        st.session_state.setdefault(f"fb_reason_{key}", stored.reason)
    with st.popover("Kopiëren", icon=":material/content_copy:", type="tertiary", key=f"copy_{key}"):
        st.caption("Het antwoord met bronnen als Markdown; de knop rechtsboven kopieert het.")
        st.code(answer_markdown(message["answer"]), language="markdown", wrap_lines=True, height=320)
    st.feedback("thumbs", key=f"fb_{key}", on_change=_rated, args=(message,))


def render_reason(message: dict[str, Any]) -> None:
    """Once rated: the optional reason, and any storage problem."""
    rating = st.session_state.get(f"fb_{message['id']}")
    if rating is not None:
        _render_reason(message, int(rating))
    error = st.session_state.pop(FEEDBACK_ERROR, None)
    if error:
        st.warning(error)
