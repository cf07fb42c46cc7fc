"""The teamscan page driven with AppTest: create, two members answer, result, plan, bad codes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.teamscan import store
from assistant.teamscan.model import load_spec, score
from assistant.teamscan.plan import build_plan

pytestmark = pytest.mark.slow


def page(db: str) -> None:
    from pathlib import Path

    from assistant.ui.teamscan import render_teamscan

    render_teamscan(Path(db))


def _answer(at: AppTest, code: str, name: str, value: int) -> AppTest:
    at.text_input(key="teamscan_answer_code").set_value(code)
    at.text_input(key="teamscan_name").set_value(name)
    at.selectbox(key="teamscan_role").set_value("gemeente")
    for statement in load_spec().statements():
        at.radio(key=f"teamscan_s_{statement.id}").set_value(value)
    return at.button(key="teamscan_submit").click().run()


def test_create_answer_and_see_the_team_result(tmp_path: Path) -> None:
    db = tmp_path / "app.sqlite3"
    at = AppTest.from_function(page, args=(str(db),), default_timeout=60).run()
    assert not at.exception
    at.text_input(key="teamscan_title").set_value("Netwerk Oost")
    at = at.button(key="teamscan_create").click().run()
    code = at.session_state["teamscan_code"]
    assert code in at.success[0].value
    at.text_input(key="teamscan_answer_code").set_value(code)
    at.text_input(key="teamscan_name").set_value("Anna")
    at = at.button(key="teamscan_submit").click().run()
    assert "Geef een score bij" in at.error[0].value  # nothing scored yet: nothing stored
    assert store.responses(db, code) == []
    at = _answer(at, code, "Anna", 4)
    assert "opgeslagen" in at.success[-1].value
    at = _answer(at, code, "Anna", 1)
    assert "al ingevuld" in at.error[0].value  # the second answer under one name is refused
    at = _answer(at, code.lower(), "Bart", 1)
    assert len(store.responses(db, code)) == 2
    at.text_input(key="teamscan_result_code").set_value(code)
    at = at.run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["Berekende fase", "Fase volgens de leden"]
    assert any("consensussessie" in w.value for w in at.warning)  # 4 versus 1: members disagree everywhere
    assert at.button(key="teamscan_save_plan")


def test_unknown_code_and_an_empty_scan_say_so(tmp_path: Path) -> None:
    db = tmp_path / "app.sqlite3"
    scan = store.create_scan(db, "Leeg")
    at = AppTest.from_function(page, args=(str(db),), default_timeout=60).run()
    at.text_input(key="teamscan_result_code").set_value("NOPE99")
    at = at.run()
    assert "geen teamscan met code" in at.warning[0].value
    at.text_input(key="teamscan_result_code").set_value(scan.code)
    at = at.run()
    assert "nog geen antwoorden" in at.warning[0].value


def test_a_shared_link_opens_the_scan_with_its_code(tmp_path: Path) -> None:
    db = tmp_path / "app.sqlite3"
    at = AppTest.from_function(page, args=(str(db),), default_timeout=60).run()
    at.text_input(key="teamscan_title").set_value("Netwerk Oost")
    at = at.button(key="teamscan_create").click().run()
    code = at.session_state["teamscan_code"]
    assert any(f"code={code}" in block.value for block in at.code)  # the link to share
    member = AppTest.from_function(page, args=(str(db),), default_timeout=60)
    member.query_params["code"] = code.lower()
    member = member.run()
    assert not member.exception
    assert member.text_input(key="teamscan_answer_code").value == code
    assert any("Netwerk Oost" in c.value for c in member.caption)
    stranger = AppTest.from_function(page, args=(str(db),), default_timeout=60)
    stranger.query_params["code"] = "NOPE99"
    stranger = stranger.run()
    assert any("geen teamscan met code" in w.value for w in stranger.warning)  # before any scoring


def test_the_plan_shows_each_action_in_full_and_saves_owner_date_and_status(tmp_path: Path) -> None:
    db = tmp_path / "app.sqlite3"
    scan = store.create_scan(db, "Netwerk West")
    spec = load_spec()
    store.submit(db, spec, scan.code, "Anna", "gemeente", "omk-1", {s.id: 1 for s in spec.statements()})
    at = AppTest.from_function(page, args=(str(db),), default_timeout=60).run()
    at.text_input(key="teamscan_result_code").set_value(scan.code)
    at = at.run()
    assert not at.exception
    plan = build_plan(spec, score(spec, store.responses(db, scan.code)))
    shown = " ".join(m.value for m in at.markdown)
    assert all(f"{a.text} [{a.citation.n}]" in shown for a in plan.actions)  # whole texts, each cited
    assert {"ontbrekend element", "advies voor uw fase"} <= {c.value for c in at.caption}
    first = plan.actions[0]
    at.text_input(key=f"teamscan_plan_{first.key}_owner").set_value("Bart")
    at.date_input(key=f"teamscan_plan_{first.key}_due").set_value(date(2027, 3, 1))
    at.selectbox(key=f"teamscan_plan_{first.key}_status").set_value("bezig")
    at = at.button(key="teamscan_save_plan").click().run()
    assert "Actieplan opgeslagen" in at.success[-1].value
    saved = store.load_actions(db, scan.code, plan.actions)[0]
    assert (saved.owner, saved.due, saved.status) == ("Bart", "2027-03-01", "bezig")
    reopened = AppTest.from_function(page, args=(str(db),), default_timeout=60).run()
    reopened.text_input(key="teamscan_result_code").set_value(scan.code)
    reopened = reopened.run()
    assert reopened.text_input(key=f"teamscan_plan_{first.key}_owner").value == "Bart"  # kept across sessions
