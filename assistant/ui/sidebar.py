"""The sidebar: the user's profile (role and phase) and the answer mode in use.

The profile lives in `st.session_state["profile_role"]` and `["profile_phase"]` (None when
unknown). Other pages write these keys too (the self-assessment sets the phase), so the
widgets use their own keys and are synced from the profile before they are drawn; a change in
a widget is copied back in its on_change callback.
"""

from __future__ import annotations

import streamlit as st

from assistant.guidance.phases import UnknownPhaseError, all_phase_ids, get_phase, phase_label
from assistant.settings import get_settings
from assistant.types import Profile
from assistant.ui.resources import peek_assistant

PROFILE_ROLE = "profile_role"
PROFILE_PHASE = "profile_phase"
UNKNOWN = "onbekend"
ROLES = {
    "coordinator": "Coördinator netwerk",
    "zorgverzekeraar": "Zorgverzekeraar",
    "gemeente": "Gemeente",
    "zorgaanbieder": "Zorgaanbieder",
    "anders": "Anders",
}
MODES = {
    "extractive": ("Extractief", "Het antwoord bestaat uit letterlijke zinnen uit de bronnen, elk met een bronnummer."),
    "generative": ("Generatief", "Een lokaal taalmodel formuleert het antwoord uit de gevonden passages, met "
                                 "bronnummers; zonder taalmodel valt de assistent terug op extractief."),
}


def current_profile() -> Profile | None:
    """The profile for `Assistant.ask`, or None when neither role nor phase is set."""
    role = st.session_state.get(PROFILE_ROLE)
    phase = st.session_state.get(PROFILE_PHASE)
    role = None if role in (None, "anders") else role
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


def _sync(widget_key: str, profile_key: str, none_value: str) -> None:
    wanted = st.session_state.get(profile_key) or none_value
    if st.session_state.get(widget_key) != wanted:
        st.session_state[widget_key] = wanted


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


def _profile_widgets() -> None:
    _check_phase()
    _sync("sidebar_role", PROFILE_ROLE, "anders")
    _sync("sidebar_phase", PROFILE_PHASE, UNKNOWN)
    phases = [UNKNOWN, *all_phase_ids()]
    st.sidebar.selectbox("Uw rol", list(ROLES), format_func=ROLES.__getitem__, key="sidebar_role",
                         on_change=_copy_back, args=("sidebar_role", PROFILE_ROLE, "anders"))
    st.sidebar.selectbox("Fase van uw samenwerking", phases, key="sidebar_phase",
                         format_func=lambda p: "Onbekend" if p == UNKNOWN else phase_label(p),
                         on_change=_copy_back, args=("sidebar_phase", PROFILE_PHASE, UNKNOWN),
                         help="Met een fase krijgt u bij uw vragen ook advies per fase: wat nu te doen, "
                              "waar op te letten en hoe u zich voorbereidt op de volgende fase. "
                              "De zelfscan 'Waar staan we?' vult deze fase voor u in.")


def render_sidebar() -> None:
    """Profile widgets, answer mode and (once, summarised) document warnings."""
    st.sidebar.subheader("Uw profiel")
    _profile_widgets()
    mode = get_settings().mode
    title, explanation = MODES.get(mode, (mode, ""))
    st.sidebar.markdown(f"**Antwoordmodus:** {title}")
    st.sidebar.caption(explanation)
    assistant = peek_assistant()
    if assistant and assistant.kb.warnings:
        n = len(assistant.kb.warnings)
        st.sidebar.warning(f"{n} {'waarschuwing' if n == 1 else 'waarschuwingen'} bij het laden van de "
                           "documenten; zie de pagina Documenten.")
