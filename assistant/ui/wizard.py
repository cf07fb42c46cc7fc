"""Streamlit rendering of the wizards and of the 'Waar staan we?' self-assessment.

The wizard and assessment pages call `render_wizard("funding")`, `render_wizard("governance")`
and `render_assessment()`. State lives in `st.session_state` under keys
prefixed with the wizard id, so several wizards can coexist. A recommendation can be sent to
the chat: its follow-up question is stored in `st.session_state["pending_question"]` and the
app switches to the chat page (`chat_page` argument or `st.session_state["chat_page"]`).
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from assistant.guidance.answer import phase_answer
from assistant.guidance.assessment import (
    AssessmentInputError,
    AssessmentResult,
    assess,
    load_assessment,
)
from assistant.types import Citation
from assistant.ui.links import share_link
from assistant.wizards.engine import (
    WizardInputError,
    WizardSpec,
    WizardState,
    back,
    current_step,
    from_query,
    next_step,
    to_json,
    to_query,
)
from assistant.wizards.export import citation_line, export_filename, to_markdown, to_pdf
from assistant.wizards.registry import build_result, get_spec
from assistant.wizards.results import ResultItem, WizardResult, followup_question

log = logging.getLogger(__name__)
PENDING_QUESTION = "pending_question"
PROFILE_PHASE = "profile_phase"


def _state(wizard_id: str) -> WizardState:
    key = f"{wizard_id}_state"
    if key not in st.session_state:
        st.session_state[key] = _state_from_link(wizard_id).model_dump()
    return WizardState.model_validate(st.session_state[key])


def _save(wizard_id: str, state: WizardState) -> None:
    st.session_state[f"{wizard_id}_state"] = state.model_dump()


def _state_from_link(wizard_id: str) -> WizardState:
    """A shared link (?wizard=funding&role=...) opens the wizard at its result."""
    params = st.query_params.to_dict()
    if params.get("wizard") != wizard_id:
        return WizardState()
    spec = get_spec(wizard_id)
    try:
        answers = from_query(to_query(params), spec)
    except WizardInputError as exc:
        st.session_state[f"{wizard_id}_link_error"] = str(exc)
        return WizardState()
    return WizardState(index=len(spec.steps), answers=answers)


def _ask_in_chat(question: str, chat_page: str | None) -> None:
    st.session_state[PENDING_QUESTION] = question
    page = chat_page or st.session_state.get("chat_page")
    if page:
        try:
            st.switch_page(page)
        except Exception as exc:  # noqa: BLE001 - unknown page: the question stays pending
            # Streamlit's own rerun/stop signals are BaseException and pass through.
            log.info("switch_page(%r) failed: %s", page, exc)
    st.info("De vraag staat klaar in de chat.")


def _step_widget(spec: WizardSpec, state: WizardState) -> Any:
    step = current_step(spec, state)
    assert step is not None
    key = f"{spec.id}_q_{step.id}"
    stored = state.answers.get(step.id)
    labels = {o.id: o.label for o in step.options}
    if step.type == "single":
        index = step.option_ids().index(stored) if isinstance(stored, str) else None
        return st.radio(
            step.question,
            step.option_ids(),
            index=index,
            key=key,
            format_func=labels.__getitem__,
            help=step.help or None,
        )
    default = stored if isinstance(stored, list) else []
    return st.multiselect(
        step.question,
        step.option_ids(),
        default=default,
        key=key,
        format_func=labels.__getitem__,
        help=step.help or None,
        placeholder="Kies een of meer opties",
    )


def _render_step(spec: WizardSpec, state: WizardState) -> None:
    st.progress(state.index / len(spec.steps), text=f"Vraag {state.index + 1} van {len(spec.steps)}")
    value = _step_widget(spec, state)
    last = state.index == len(spec.steps) - 1
    left, right = st.columns(2)
    if left.button("Vorige", key=f"{spec.id}_back", disabled=state.index == 0):
        _save(spec.id, back(spec, state))
        st.rerun()
    if right.button("Bekijk advies" if last else "Volgende", key=f"{spec.id}_next", type="primary"):
        try:
            _save(spec.id, next_step(spec, state, value))
        except WizardInputError as exc:
            st.error(str(exc))
        else:
            st.rerun()


def _result(wizard_id: str, state: WizardState) -> WizardResult:
    """Build once per answer set; reruns (every click) reuse the stored result."""
    cache_key = f"{wizard_id}_result"
    query = to_query(state.answers, wizard_id)
    cached = st.session_state.get(cache_key)
    if not cached or cached[0] != query:
        st.session_state[cache_key] = (query, build_result(wizard_id, state.answers))
    result: WizardResult = st.session_state[cache_key][1]
    return result


def _render_item(result: WizardResult, item: ResultItem, chat_page: str | None) -> None:
    text_col, button_col = st.columns([5, 1])
    markers = "".join(f"[{c.n}]" for c in item.citations)
    text_col.markdown(f"- {item.text} {markers}")
    if button_col.button(
        "Vraag door", key=f"{result.wizard_id}_ask_{item.key}", help="Stel een vervolgvraag over dit advies in de chat"
    ):
        _ask_in_chat(followup_question(item), chat_page)


def render_sources(citations: list[Citation]) -> None:
    with st.expander(f"Bronnen ({len(citations)})"):
        for citation in citations:
            st.markdown(f"**[{citation.n}]** {citation.title}" + (f" – {citation.section}" if citation.section else ""))
            st.caption(f"“{citation.quote}”")


def _render_downloads(result: WizardResult) -> None:
    left, right = st.columns(2)
    left.download_button(
        "Download Markdown",
        to_markdown(result),
        file_name=export_filename(result, "md"),
        mime="text/markdown",
        key=f"{result.wizard_id}_md",
    )
    # The PDF is rendered only when the button is clicked (deferred download): it is slow.
    right.download_button(
        "Download PDF",
        lambda: to_pdf(result),
        file_name=export_filename(result, "pdf"),
        mime="application/pdf",
        key=f"{result.wizard_id}_pdf",
    )
    query = to_query(result.answers, result.wizard_id)
    st.caption("Deel dit advies: deze link opent de wizard bij dit resultaat.")
    st.code(share_link(query), language=None)
    with st.expander("Antwoorden als JSON (om het advies later te reproduceren)"):
        st.code(to_json(result.answers, result.wizard_id), language="json")


def _render_result(spec: WizardSpec, state: WizardState, chat_page: str | None) -> None:
    result = _result(spec.id, state)
    st.success(result.headline)
    st.caption(f"Datum: {result.created} · Corpusversie: {result.corpus_version}")
    with st.expander("Uw antwoorden"):
        for question, answer in result.answer_summary:
            st.markdown(f"- **{question}** {answer}")
    for notice in result.notices:
        st.warning(notice)
    for section in result.sections:
        st.subheader(section.title)
        if section.intro:
            st.caption(section.intro)
        for item in section.items:
            _render_item(result, item, chat_page)
    render_sources(result.citations)
    _render_downloads(result)
    left, right = st.columns(2)
    if left.button("Antwoorden wijzigen", key=f"{spec.id}_edit"):
        _save(spec.id, back(spec, state))
        st.rerun()
    if right.button("Opnieuw beginnen", key=f"{spec.id}_restart"):
        _save(spec.id, WizardState())
        st.rerun()


def render_wizard(wizard_id: str, chat_page: str | None = None) -> WizardResult | None:
    """Render a wizard step by step and, when complete, its cited result (returned)."""
    spec = get_spec(wizard_id)
    st.header(spec.title)
    state = _state(wizard_id)
    link_error = st.session_state.pop(f"{wizard_id}_link_error", None)
    if link_error:
        st.error(f"De gedeelde link is ongeldig: {link_error}")
    if current_step(spec, state) is None:
        _render_result(spec, state, chat_page)
        return _result(wizard_id, state)
    st.write(spec.intro)
    _render_step(spec, state)
    return None


def _render_assessment_result(result: AssessmentResult) -> None:
    st.success(f"Uw samenwerking lijkt het meest op: **{result.phase_label}**")
    if result.rivm_phase_label:
        st.caption(f"In het RIVM-model komt dit overeen met: {result.rivm_phase_label}")
    st.markdown("**Waarom deze fase?**")
    for reason in result.reasons:
        st.markdown(f"- {reason.answer} → {reason.text} [{reason.citation.n}]")
    st.markdown("**Kenmerken van deze fase volgens de bronnen**")
    for item in result.characteristics:
        st.markdown(f"- {item.text} [{item.citation.n}]")
    render_sources(result.citations)
    with st.expander("Wat betekent dit voor ons? (per fase: nu doen, letten op, instrumenten)"):
        block = phase_answer(result.phase_id)
        st.markdown(block.markdown)
        for citation in block.citations:
            st.caption(f"[{citation.n}] {citation_line(citation)}")
    if st.button("Deze fase gebruiken in mijn profiel", key="assessment_accept", type="primary"):
        st.session_state[PROFILE_PHASE] = result.phase_id
        st.success(f"Uw profiel gebruikt nu: {result.phase_label}")


def render_assessment() -> AssessmentResult | None:
    """'Waar staan we?': all questions on one page, result with reasons and quotes.

    Accepting the result stores the OMK phase id in st.session_state["profile_phase"].
    """
    assessment = load_assessment()
    st.header("Waar staan we?")
    st.write(
        "Beantwoord de vragen; de zelfscan plaatst uw samenwerking in een ontwikkelfase "
        "(Ontwikkelingsmodel Ketenzorg) en de vergelijkbare RIVM-fase."
    )
    answers: dict[str, str] = {}
    for question in assessment.questions:
        labels = {o.id: o.label for o in question.options}
        choice = st.radio(
            question.question,
            list(labels),
            index=None,
            format_func=labels.__getitem__,
            key=f"assessment_q_{question.id}",
        )
        if choice:
            answers[question.id] = choice
    if st.button("Bepaal onze fase", key="assessment_submit"):
        try:
            st.session_state["assessment_result"] = assess(answers).model_dump()
        except AssessmentInputError as exc:
            st.session_state.pop("assessment_result", None)
            st.error(str(exc))
    stored = st.session_state.get("assessment_result")
    if not stored or stored["answers"] != answers:  # answers changed since: result is stale
        return None
    result = AssessmentResult.model_validate(stored)
    _render_assessment_result(result)
    return result
