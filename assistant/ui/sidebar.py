"""The sidebar: the user's profile (role and phase) and the answer mode in use.

The profile lives in `st.session_state["profile_role"]` and `["profile_phase"]` (None when
unknown). Other pages write these keys too (the self-assessment sets the phase), so the
widgets show the profile rather than own it: a change in a widget is copied to the profile in
its on_change callback. app.py draws the sidebar after the page, so a phase accepted on the
page shows at once.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant.guidance.phases import UnknownPhaseError, all_phase_ids, get_phase, phase_label
from assistant.knowledge.model import OTHER_ROLE, known_roles, vocabulary
from assistant.settings import get_settings
from assistant.types import Profile
from assistant.ui.resources import peek_assistant

PROFILE_ROLE = "profile_role"
PROFILE_PHASE = "profile_phase"
UNKNOWN = "onbekend"
# The roles come from the knowledge base's vocabulary, so the sidebar offers every role a claim can name.
ROLES = {role: vocabulary().label("roles", role, "nl") for role in known_roles() if role != OTHER_ROLE}
ROLES[OTHER_ROLE] = "Anders"
MODES = {
    "extractive": ("Extractief", "Het antwoord bestaat uit letterlijke zinnen uit de bronnen, elk met een bronnummer."),
    "generative": (
        "Generatief",
        "Een lokaal taalmodel formuleert het antwoord uit de gevonden passages, met "
        "bronnummers; zonder taalmodel valt de assistent terug op extractief.",
    ),
}


def current_profile() -> Profile | None:
    """The profile for `Assistant.ask`, or None when neither role nor phase is set."""
    role = st.session_state.get(PROFILE_ROLE)
    phase = st.session_state.get(PROFILE_PHASE)
    role = None if role in (None, OTHER_ROLE) else role
    return Profile(role=role, phase=phase) if (role or phase) else None


def profile_summary() -> str:
    role = st.session_state.get(PROFILE_ROLE)
    phase = st.session_state.get(PROFILE_PHASE)
    role_text = ROLES.get(role, role) if role else "geen rol gekozen"
    try:
        phase_text = phase_label(phase) if phase else "fase onbekend"
    except UnknownPhaseError:
        phase_text = f"onbekende fase '{phase}'"
    return f"{role_text} · {phase_text}"


def mode_label(mode: str) -> str:
    return MODES.get(mode, (mode, ""))[0]


def _copy_back(widget_key: str, profile_key: str, none_value: str) -> None:
    value = st.session_state[widget_key]
    st.session_state[profile_key] = None if value == none_value else value


def _check_phase() -> None:
    """An unknown phase in the profile (e.g. from an old link) is reported and reset."""
    phase = st.session_state.get(PROFILE_PHASE)
    if not phase:
        return
    try:
        get_phase(phase)
    except UnknownPhaseError as exc:
        st.sidebar.error(f"{exc} De fase in uw profiel staat nu op 'onbekend'.")
        st.session_state[PROFILE_PHASE] = None


def _profile_select(label: str, options: list[str], profile_key: str, none_value: str, **kwargs: Any) -> None:
    """A selectbox showing the profile value. Its key includes that value, so a value set
    elsewhere (the self-assessment) gives a fresh widget at the right option; no widget state is
    written from code, which a rerun that interrupts the script could otherwise leave unsent."""
    current = st.session_state.get(profile_key) or none_value
    current = current if current in options else none_value
    key = f"sidebar_{profile_key}_{current}"
    st.sidebar.selectbox(
        label,
        options,
        index=options.index(current),
        key=key,
        on_change=_copy_back,
        args=(key, profile_key, none_value),
        **kwargs,
    )


def _profile_widgets() -> None:
    _check_phase()
    _profile_select("Uw rol", list(ROLES), PROFILE_ROLE, OTHER_ROLE, format_func=ROLES.__getitem__)
    _profile_select(
        "Fase van uw samenwerking",
        [UNKNOWN, *all_phase_ids()],
        PROFILE_PHASE,
        UNKNOWN,
        format_func=lambda p: "Onbekend" if p == UNKNOWN else phase_label(p),
        help="Met een fase krijgt u bij uw vragen ook advies per fase: wat nu te doen, "
        "waar op te letten en hoe u zich voorbereidt op de volgende fase. "
        "De zelfscan 'Waar staan we?' vult deze fase voor u in.",
    )


def render_sidebar() -> None:
    """Profile widgets, answer mode and (once, summarised) document warnings."""
    st.sidebar.subheader("Uw profiel")
    _profile_widgets()
    mode = get_settings().mode
    title, explanation = MODES.get(mode, (mode, ""))
    st.sidebar.markdown(f"**Antwoordmodus:** {title}")
    st.sidebar.caption(explanation)
    assistant = peek_assistant()
    if assistant and assistant.kb.fallback_reason:
        st.sidebar.error(
            f"De actieve index was beschadigd ({assistant.kb.fallback_reason}). De assistent gebruikt de vorige "
            "complete build; een nieuwe wordt op de achtergrond gebouwd en na afloop vanzelf gebruikt."
        )
    if assistant and assistant.kb.warnings:
        n = len(assistant.kb.warnings)
        st.sidebar.warning(
            f"{n} {'waarschuwing' if n == 1 else 'waarschuwingen'} bij het laden van de "
            "documenten; zie de pagina Documenten."
        )
