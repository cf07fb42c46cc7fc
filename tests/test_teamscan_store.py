"""Teamscan storage: answers survive a restart, concurrent answers are both kept, bad input loses nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.teamscan import store
from assistant.teamscan.model import TeamscanInputError, load_spec, score
from assistant.teamscan.plan import build_plan

SPEC = load_spec()
IDS = [s.id for s in SPEC.statements()]


def scores(value: int) -> dict[str, object]:
    return dict.fromkeys(IDS, value)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "app.sqlite3"


def test_answers_survive_a_restart(db: Path) -> None:
    scan = store.create_scan(db, "Netwerk Oost")
    store.submit(db, SPEC, scan.code, "Anna", "coordinator", "omk-2", scores(4))
    # a new process opens the same file: nothing is lost, the code is found in any spelling
    assert [r.respondent for r in store.responses(db, scan.code.lower())] == ["Anna"]
    assert store.get_scan(db, f" {scan.code[:3]}-{scan.code[3:]} ").title == "Netwerk Oost"


def test_concurrent_answers_are_both_kept(db: Path) -> None:
    scan = store.create_scan(db, "Netwerk Oost")
    errors: list[BaseException] = []

    def answer(name: str) -> None:
        try:
            store.submit(db, SPEC, scan.code, name, "huisarts", "omk-1", scores(2))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(f"lid {i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(r.respondent for r in store.responses(db, scan.code)) == sorted(f"lid {i}" for i in range(8))


def test_a_member_answering_twice_keeps_the_first_answers(db: Path) -> None:
    scan = store.create_scan(db, "Netwerk Oost")
    store.submit(db, SPEC, scan.code, "Anna de Vries", "gemeente", "omk-2", scores(4))
    with pytest.raises(TeamscanInputError, match="al ingevuld; de eerdere antwoorden blijven staan"):
        store.submit(db, SPEC, scan.code, "anna  de vries", "gemeente", "omk-3", scores(1))
    (only,) = store.responses(db, scan.code)
    assert only.phase == "omk-2" and set(only.scores.values()) == {4}


def test_unknown_code_missing_name_and_empty_scan_are_clear(db: Path) -> None:
    with pytest.raises(TeamscanInputError, match="geen teamscan met code 'XYZ'"):
        store.responses(db, "XYZ")
    scan = store.create_scan(db, "Netwerk Oost")
    with pytest.raises(TeamscanInputError, match="Vul uw naam in"):
        store.submit(db, SPEC, scan.code, "  ", "gemeente", "omk-2", scores(3))
    with pytest.raises(TeamscanInputError, match="Kies de fase"):
        store.submit(db, SPEC, scan.code, "Bart", "gemeente", "fase-9", scores(3))
    with pytest.raises(TeamscanInputError, match="nog geen antwoorden"):
        score(SPEC, store.responses(db, scan.code))
    with pytest.raises(TeamscanInputError, match="Geef de teamscan een naam"):
        store.create_scan(db, " ")
    with pytest.raises(TeamscanInputError, match="geen teamscan met code"):
        store.create_scan(db, "Herhaling", previous="NOPE")


def test_plan_edits_are_saved_per_action_and_validated(db: Path) -> None:
    scan = store.create_scan(db, "Netwerk Oost")
    store.submit(db, SPEC, scan.code, "Anna", "coordinator", "omk-2", {**scores(3), "bekostiging-structureel": 0})
    plan = build_plan(SPEC, score(SPEC, store.responses(db, scan.code)))
    first = plan.actions[0]
    store.save_action(db, scan.code, first.key, "Anna", "2027-03-01", "bezig")
    reloaded = store.load_actions(db, scan.code, plan.actions)
    assert (reloaded[0].owner, reloaded[0].due, reloaded[0].status) == ("Anna", "2027-03-01", "bezig")
    assert reloaded[1].status == "open"
    with pytest.raises(TeamscanInputError, match="geen datum"):
        store.save_action(db, scan.code, first.key, "Anna", "morgen", "bezig")
    with pytest.raises(TeamscanInputError, match="Onbekende status"):
        store.save_action(db, scan.code, first.key, "Anna", "", "half")
    assert store.load_actions(db, scan.code, plan.actions)[0].status == "bezig"


def test_a_repeat_scan_names_the_previous_one(db: Path) -> None:
    first = store.create_scan(db, "Netwerk Oost 2026")
    again = store.create_scan(db, "Netwerk Oost 2027", previous=first.code.lower())
    assert store.get_scan(db, again.code).previous == first.code
