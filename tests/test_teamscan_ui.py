"""The teamscan page driven with AppTest: create, two members answer, result, plan, bad codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.teamscan import store
from assistant.teamscan.model import load_spec

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
