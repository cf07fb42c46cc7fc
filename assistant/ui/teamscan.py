"""Streamlit page of the teamscan: create a scan, answer it as a member, see the team's result.

State that must survive a rerun (the open code) lives in st.session_state["teamscan_code"];
answers and plan edits go straight to the app database, so nothing is lost on a restart. A shared
link (`/teamscan?code=ABC234`) opens the page on the "Invullen" tab with the code filled in.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from assistant.appdata.db import AppDBError
from assistant.guidance.phases import get_phase, phase_label
from assistant.knowledge.model import vocabulary
from assistant.settings import get_settings
from assistant.teamscan import export, store
from assistant.teamscan.model import PHASES, TeamscanInputError, TeamscanResult, TeamscanSpec, load_spec, score
from assistant.teamscan.plan import ORIGIN_LABELS, STATUSES, Action, Plan, build_plan
from assistant.ui.links import share_link
from assistant.ui.wizard import render_sources

CODE = "teamscan_code"
TABS = ["Nieuwe teamscan", "Invullen", "Resultaat"]
COLUMNS = [5, 2, 2, 2]  # action, owner, date, status


def render_teamscan(db: Path | None = None) -> None:
    st.header("Teamscan")
    st.write(
        "Laat de leden van uw netwerk elk apart scoren hoe ver uw samenwerking is. De teamscan toont de "
        "mediaan per thema, waar leden van mening verschillen, de fase die daaruit volgt en een actieplan "
        "met bronnen voor de zwakste thema's."
    )
    spec = load_spec()
    db = db or get_settings().app_db
    linked = _code_from_link()
    create, answer, result = st.tabs(TABS, default=TABS[1] if linked else None)
    try:
        with create:
            _render_create(db)
        with answer:
            _render_answer(db, spec)
        with result:
            _render_result(db, spec)
    except AppDBError as exc:
        st.error(str(exc))


def _render_create(db: Path) -> None:
    title = st.text_input("Naam van het netwerk of de scan", key="teamscan_title")
    previous = st.text_input("Code van een eerdere scan (optioneel, om de verandering te zien)", key="teamscan_prev")
    if st.button("Maak teamscan", key="teamscan_create"):
        try:
            scan = store.create_scan(db, title, previous.strip() or None)
        except TeamscanInputError as exc:
            st.error(str(exc))
            return
        st.session_state[CODE] = scan.code
        st.success(f"Teamscan aangemaakt. Deel deze code met de leden: **{scan.code}**")
        st.caption("Of deel deze link; die opent de teamscan met de code al ingevuld:")
        st.code(share_link({"code": scan.code}), language=None)


def _code_from_link() -> str | None:
    """The code of a shared link, taken over once per session so a member can still type another."""
    code = st.query_params.get("code", "").strip()
    if not code or st.session_state.get("teamscan_linked") == code:
        return None
    st.session_state["teamscan_linked"] = code
    st.session_state[CODE] = store.normalise_code(code)
    return code


def _render_answer(db: Path, spec: TeamscanSpec) -> None:
    code = st.text_input("Code van de teamscan", value=st.session_state.get(CODE, ""), key="teamscan_answer_code")
    if code.strip():
        try:
            st.caption(f"U vult de teamscan **{store.get_scan(db, code).title}** in.")
        except TeamscanInputError as exc:
            st.warning(str(exc))  # said before the member scores 21 statements, not after
    name = st.text_input("Uw naam", key="teamscan_name")
    roles = vocabulary().roles
    role = st.selectbox("Uw rol", list(roles), format_func=lambda r: roles[r]["nl"], key="teamscan_role")
    phase = st.selectbox(
        "In welke fase zit uw netwerk volgens u?", PHASES, format_func=phase_label, key="teamscan_phase"
    )
    scale = ", ".join(f"{k} = {v.lower()}" for k, v in spec.scale.items())
    st.caption(f"Schaal: {scale}.")
    scores: dict[str, object] = {}
    for dimension in spec.dimensions:
        st.subheader(dimension.name)
        for statement in dimension.statements:
            # A radio without a default: an unanswered statement is missing, not silently a 0.
            scores[statement.id] = st.radio(
                statement.text, list(spec.scale), index=None, horizontal=True, key=f"teamscan_s_{statement.id}"
            )
    if st.button("Verstuur mijn antwoorden", key="teamscan_submit"):
        try:
            store.submit(db, spec, code, name, role, phase, scores)
        except TeamscanInputError as exc:
            st.error(str(exc))
            return
        st.session_state[CODE] = store.normalise_code(code)
        st.success("Dank u; uw antwoorden zijn opgeslagen.")


def _render_result(db: Path, spec: TeamscanSpec) -> None:
    code = st.text_input("Code van de teamscan", value=st.session_state.get(CODE, ""), key="teamscan_result_code")
    if not code.strip():
        st.info("Vul de code van een teamscan in om het resultaat te zien.")
        return
    try:
        scan = store.get_scan(db, code)
        result = score(spec, store.responses(db, scan.code))
    except TeamscanInputError as exc:
        st.warning(str(exc))
        return
    previous = _previous(db, spec, scan.previous)
    st.subheader(f"{scan.title} · {result.respondents} respondent(en)")
    left, right = st.columns(2)
    for column, label, phase_id, why in [
        (
            left,
            "Berekende fase",
            result.computed_phase,
            "Uit de elementen die volgens de mediaan (3 of meer) aanwezig zijn.",
        ),
        (right, "Fase volgens de leden", result.self_rated_phase, "De mediaan van de fase die elk lid koos."),
    ]:
        phase = get_phase(phase_id)
        column.metric(label, f"OMK fase {phase.number}", help=why)  # the full name would be cut off
        column.caption(phase.name)
    chart = _chart(result.model_dump_json(), previous.model_dump_json() if previous else None)
    st.image(chart, caption="Mediaan per thema; de band toont laagste tot hoogste lid.")
    _render_table(result, previous)
    plan = build_plan(spec, result)
    plan.actions = store.load_actions(db, scan.code, plan.actions)
    _render_plan(db, scan.code, plan, spec)
    st.download_button(
        "Download als Markdown",
        export.to_markdown(scan, result, plan, previous, chart),
        file_name=f"teamscan-{scan.code}.md",
        key="teamscan_md",
    )
    # Rendered only when clicked: every edit in the plan reruns the page, and a PDF takes ~0.2 s.
    st.download_button(
        "Download als PDF",
        lambda: export.to_pdf(scan, result, plan, previous, chart),
        mime="application/pdf",
        file_name=f"teamscan-{scan.code}.pdf",
        key="teamscan_pdf",
    )


@st.cache_data(max_entries=32, show_spinner=False)
def _chart(result: str, previous: str | None) -> bytes:
    """The radar (~0.5 s to draw), once per result: the page reruns on every answer and plan edit,
    and all three tabs run each time, so a member scoring statements would redraw it per click."""
    before = TeamscanResult.model_validate_json(previous) if previous else None
    return export.radar_png(TeamscanResult.model_validate_json(result), before)


def _previous(db: Path, spec: TeamscanSpec, code: str | None) -> TeamscanResult | None:
    if not code:
        return None
    try:
        return score(spec, store.responses(db, code))
    except TeamscanInputError:
        return None  # the earlier scan has no answers: nothing to compare with


def _render_table(result: TeamscanResult, previous: TeamscanResult | None) -> None:
    before = {d.id: d.median for d in previous.dimensions} if previous else {}
    rows = [
        {
            "Thema": d.name,
            "Mediaan": d.median,
            **({"Vorige scan": before.get(d.id)} if previous else {}),
            "Laagste–hoogste": f"{d.low:g}–{d.high:g}",
            "Leden verschillen": "ja" if d.disagree else "",
        }
        for d in result.dimensions
    ]
    st.dataframe(rows, hide_index=True, key="teamscan_table")
    flagged = [d.name for d in result.dimensions if d.disagree]
    if flagged:
        st.warning(
            "Bespreek in een consensussessie: " + ", ".join(flagged) + " (scores liggen 2 of meer punten uiteen)."
        )


def _render_plan(db: Path, code: str, plan: Plan, spec: TeamscanSpec) -> None:
    """Each action in full (a grid would cut the text off), with owner, date and status beside it."""
    st.subheader("Actieplan voor de zwakste thema's")
    st.caption(
        "Per thema eerst de elementen die nog ontbreken, dan advies uit de fasebeschrijving voor de berekende "
        "fase en uit de kennisbank. Vul eigenaar, datum en status in en sla het plan op."
    )
    names = {d.id: d.name for d in spec.dimensions}
    edits: list[tuple[str, str, date | None, str]] = []
    for dimension in dict.fromkeys(a.dimension for a in plan.actions):
        with st.container(border=True):
            for column, label in zip(
                st.columns(COLUMNS), [names[dimension], "Eigenaar", "Datum", "Status"], strict=True
            ):
                column.markdown(f"**{label}**")
            for action in (a for a in plan.actions if a.dimension == dimension):
                edits.append(_render_action(action))
    if st.button("Sla het actieplan op", key="teamscan_save_plan"):
        try:
            for key, owner, due, status in edits:
                store.save_action(db, code, key, owner, due.isoformat() if due else "", status)
        except TeamscanInputError as exc:
            st.error(str(exc))
            return
        st.success("Actieplan opgeslagen.")
    render_sources(plan.citations)


def _render_action(action: Action) -> tuple[str, str, date | None, str]:
    text, owner, due, status = st.columns(COLUMNS, vertical_alignment="center")
    text.markdown(f"{action.text} [{action.citation.n}]")
    text.caption(ORIGIN_LABELS[action.origin])
    key = f"teamscan_plan_{action.key}"
    return (
        action.key,
        owner.text_input("Eigenaar", value=action.owner, key=f"{key}_owner", label_visibility="collapsed"),
        due.date_input(
            "Datum",
            value=date.fromisoformat(action.due) if action.due else None,
            key=f"{key}_due",
            format="DD-MM-YYYY",
            label_visibility="collapsed",
        ),
        status.selectbox(
            "Status", STATUSES, index=STATUSES.index(action.status), key=f"{key}_status", label_visibility="collapsed"
        ),
    )
