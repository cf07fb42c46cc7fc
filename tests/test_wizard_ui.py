"""Streamlit UI of the wizards and the self-assessment, driven with AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow


def _funding_app() -> None:
    from assistant.ui.wizard import render_wizard

    render_wizard("funding")


def _governance_app() -> None:
    from assistant.ui.wizard import render_wizard

    render_wizard("governance")


def _assessment_app() -> None:
    from assistant.ui.wizard import render_assessment

    render_assessment()


def _next(at: AppTest, wizard_id: str) -> AppTest:
    return at.button(key=f"{wizard_id}_next").click().run()


def test_funding_wizard_walkthrough_with_errors_back_and_result() -> None:
    at = AppTest.from_function(_funding_app, default_timeout=60).run()
    assert not at.exception
    assert at.radio(key="funding_q_role").label == "Wat is uw rol?"
    _next(at, "funding")
    assert "Kies een antwoord" in at.error[0].value  # nothing chosen yet
    at.radio(key="funding_q_role").set_value("gemeente")
    _next(at, "funding")
    _next(at, "funding")
    assert "Kies minstens één antwoord" in at.error[0].value
    at.multiselect(key="funding_q_laws").set_value(["zvw", "wmo"])
    _next(at, "funding")
    at.button(key="funding_back").click().run()
    assert at.multiselect(key="funding_q_laws").value == ["zvw", "wmo"]
    _next(at, "funding")
    at.multiselect(key="funding_q_bottlenecks").set_value(["preventie"])
    _next(at, "funding")
    at.radio(key="funding_q_phase").set_value("omk-2")
    at.button(key="funding_next").click().run()
    assert not at.exception
    assert "knelpunt uitgewerkt" in at.success[0].value
    headers = [h.value for h in at.subheader]
    assert "Knelpunt: Geen structurele bekostiging voor preventie" in headers
    assert any("wizard=funding" in c.value for c in at.code)


def test_followup_button_stores_pending_question() -> None:
    at = AppTest.from_function(_funding_app, default_timeout=60)
    at.query_params.update(
        {"wizard": "funding", "role": "coordinator", "laws": "zvw", "bottlenecks": "loonlijst", "phase": "omk-3"}
    )
    at.run()
    assert not at.exception
    assert "knelpunt uitgewerkt" in at.success[0].value
    at.button(key="funding_ask_loonlijst-found-0").click().run()
    question = at.session_state["pending_question"]
    assert "kassier" in question and "Onze situatie" in question
    assert "De vraag staat klaar in de chat." in [i.value for i in at.info]


def test_invalid_shared_link_shows_error_and_starts_fresh() -> None:
    at = AppTest.from_function(_funding_app, default_timeout=60)
    at.query_params.update({"wizard": "funding", "role": "piraat"})
    at.run()
    assert "De gedeelde link is ongeldig" in at.error[0].value
    assert at.radio(key="funding_q_role").value is None


def test_governance_wizard_reaches_result() -> None:
    at = AppTest.from_function(_governance_app, default_timeout=60).run()
    choices = [
        ("radio", "size", "klein"),
        ("multiselect", "partners", ["huisartsen"]),
        ("radio", "trust", "opbouw"),
        ("radio", "phase", "omk-1"),
        ("radio", "competences", "laag"),
        ("radio", "lead", "nee"),
        ("multiselect", "arrangements", []),
    ]
    for kind, step, value in choices:
        getattr(at, kind)(key=f"governance_q_{step}").set_value(value)
        _next(at, "governance")
        assert not at.error, at.error[0].value if at.error else ""
    assert "Zelfsturend netwerk" in at.success[0].value
    at.button(key="governance_restart").click().run()
    assert at.radio(key="governance_q_size").value is None


def test_assessment_sets_profile_phase() -> None:
    at = AppTest.from_function(_assessment_app, default_timeout=60).run()
    at.button(key="assessment_submit").click().run()
    assert "Beantwoord eerst de vraag" in at.error[0].value
    for radio in at.radio:
        radio.set_value(_second_option(radio))
    at.button(key="assessment_submit").click().run()
    assert "Experiment- en uitvoeringsfase" in at.success[0].value
    at.button(key="assessment_accept").click().run()
    assert at.session_state["profile_phase"] == "omk-2"


def _second_option(radio: object) -> str:
    from assistant.guidance.assessment import load_assessment

    question_id = radio.key.removeprefix("assessment_q_")  # type: ignore[attr-defined]
    question = next(q for q in load_assessment().questions if q.id == question_id)
    return question.options[1].id
