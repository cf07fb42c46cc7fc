"""Every option of every step of both wizards, walked through the engine to a cited result.

Answer sets are generated so that each option of each step is used at least once (plus
"everything selected" sets). Each result must be fully cited (quotes at their offsets),
numbered 1..N, contain the expected sections, and be reproducible from its query string.
"""

from __future__ import annotations

import pytest

from assistant.guidance.sources import cleaned_text
from assistant.wizards.engine import (
    Answers,
    WizardSpec,
    WizardState,
    current_step,
    from_json,
    from_query,
    next_step,
    to_json,
    to_query,
)
from assistant.wizards.governance import best_form, governance_knowledge, score_forms
from assistant.wizards.registry import build_result, get_spec, wizard_ids
from assistant.wizards.results import WizardResult, followup_question


def _answer_sets(spec: WizardSpec) -> list[Answers]:
    """Cover each option of each step at least once, plus 'all options' for multi steps."""
    width = max(len(step.options) for step in spec.steps)
    sets: list[Answers] = []
    for i in range(width):
        answers: Answers = {}
        for step in spec.steps:
            option = step.options[(i + len(step.id)) % len(step.options)].id
            answers[step.id] = [option] if step.type == "multi" else option
        sets.append(answers)
    everything: Answers = {s.id: (s.option_ids() if s.type == "multi" else s.option_ids()[-1]) for s in spec.steps}
    sets.append(everything)
    return sets


CASES = [(wid, i, answers) for wid in wizard_ids() for i, answers in enumerate(_answer_sets(get_spec(wid)))]


def _walk(spec: WizardSpec, answers: Answers) -> WizardState:
    state = WizardState()
    while (step := current_step(spec, state)) is not None:
        state = next_step(spec, state, answers.get(step.id))
    return state


def _check_result(result: WizardResult) -> None:
    assert [c.n for c in result.citations] == list(range(1, len(result.citations) + 1))
    for citation in result.citations:
        assert cleaned_text(citation.doc_id)[citation.start : citation.end] == citation.quote
        assert citation.title and citation.section
    keys = [item.key for item in result.items()]
    assert len(keys) == len(set(keys)), "item keys must be unique (UI buttons use them)"
    for item in result.items():
        assert item.citations, f"uncited item {item.key}"
        assert item.context
        assert item.text.rstrip(".") in followup_question(item)
    assert len(result.corpus_version) == 12 and result.created


def test_every_option_of_every_step_is_covered() -> None:
    for wid in wizard_ids():
        spec = get_spec(wid)
        used: set[tuple[str, str]] = set()
        for case_wizard, _, answers in CASES:
            if case_wizard != wid:
                continue
            for step in spec.steps:
                value = answers.get(step.id)
                for option in [value] if isinstance(value, str) else value or []:
                    used.add((step.id, option))
        for step in spec.steps:
            for option in step.option_ids():
                assert (step.id, option) in used, f"{wid}: {step.id}={option} never tested"


@pytest.mark.parametrize(("wizard_id", "case", "answers"), CASES, ids=[f"{w}-{i}" for w, i, _ in CASES])
def test_path_through_engine_gives_cited_reproducible_result(wizard_id: str, case: int, answers: Answers) -> None:
    spec = get_spec(wizard_id)
    state = _walk(spec, answers)
    result = build_result(wizard_id, state.answers)
    _check_result(result)
    replay = build_result(wizard_id, from_query(to_query(state.answers, wizard_id), spec))
    assert replay.model_dump(exclude={"created"}) == result.model_dump(exclude={"created"})
    assert from_json(to_json(result.answers, wizard_id), spec) == result.answers


@pytest.mark.parametrize("bottleneck", get_spec("funding").step("bottlenecks").option_ids())
def test_each_funding_bottleneck_gets_its_section(bottleneck: str) -> None:
    result = build_result(
        "funding", {"role": "coordinator", "laws": ["zvw"], "bottlenecks": [bottleneck], "phase": "omk-2"}
    )
    section = result.section(f"knelpunt-{bottleneck}")
    assert section is not None and len(section.items) >= 2
    assert result.section("regelingen") and result.section("rol")


@pytest.mark.parametrize("bottleneck", ["consultatie-wlz", "preventie", "gemeentebudget"])
def test_no_structural_solution_is_said_honestly(bottleneck: str) -> None:
    result = build_result(
        "funding", {"role": "gemeente", "laws": ["wmo"], "bottlenecks": [bottleneck], "phase": "omk-1"}
    )
    texts = " ".join(i.text for i in result.section(f"knelpunt-{bottleneck}").items)
    assert "Geen structurele oplossing gevonden" in texts


def test_funding_is_tailored_by_role() -> None:
    base = {"laws": ["zvw", "wmo"], "bottlenecks": ["overlegtijd"], "phase": "omk-3"}
    funder = build_result("funding", {**base, "role": "zorgverzekeraar"})
    network = build_result("funding", {**base, "role": "coordinator"})
    assert funder.section("financiers").title == "Wat u als financier kunt doen"
    ids = [s.id for s in funder.sections]
    assert ids.index("financiers") < ids.index("netwerk")
    ids = [s.id for s in network.sections]
    assert ids.index("netwerk") < ids.index("financiers")
    assert funder.section("rol").items[0].text != network.section("rol").items[0].text
    assert any(i.key == "wet-meerdere" for i in funder.section("wetten").items)


def test_funding_models_have_pros_and_cons() -> None:
    result = build_result(
        "funding",
        {
            "role": "coordinator",
            "laws": ["overig"],
            "bottlenecks": ["baten-elders", "overlegtijd"],
            "phase": "onbekend",
        },
    )
    texts = [i.text for i in result.section("modellen").items]
    assert any("Voordeel" in t for t in texts) and any("Risico" in t or "Nadeel" in t for t in texts)
    assert result.section("fase") is None
    assert any("zelfscan" in n for n in result.notices)


@pytest.mark.parametrize(
    ("answers", "form"),
    [
        ({"size": "klein", "trust": "opbouw", "phase": "omk-1", "competences": "laag", "lead": "nee"}, "zelfsturend"),
        ({"size": "middel", "trust": "hoog", "phase": "omk-3", "competences": "middel", "lead": "ja"}, "leidend"),
        ({"size": "groot", "trust": "hoog", "phase": "omk-4", "competences": "hoog", "lead": "gevoelig"}, "nao"),
    ],
)
def test_each_governance_form_is_reachable_with_reasons(answers: Answers, form: str) -> None:
    full = {**answers, "partners": ["gemeenten"], "arrangements": ["convenant"]}
    result = build_result("governance", full)
    kb = governance_knowledge()
    assert best_form(score_forms(full, kb)) == form
    assert result.headline.endswith(kb.forms[form].name)
    reasons = [i for i in result.section("advies").items if i.key.startswith("reden-")]
    assert len(reasons) >= 3
    blocks = {i.key: i.text for i in result.section("bouwstenen").items}
    assert "(aanwezig)" in blocks["bouwsteen-convenant"]
    assert "(nog te regelen)" in blocks["bouwsteen-juridisch"]


def test_governance_partner_specific_points() -> None:
    base = {
        "size": "klein",
        "trust": "deels",
        "phase": "omk-2",
        "competences": "laag",
        "lead": "ja",
        "arrangements": [],
    }
    without = build_result("governance", {**base, "partners": ["huisartsen"]})
    with_residents = build_result("governance", {**base, "partners": ["inwoners"]})
    keys_without = {i.key for i in without.section("partners").items}
    keys_with = {i.key for i in with_residents.section("partners").items}
    assert "partner-zonder-inwoners-0" in keys_without
    assert "partner-zonder-inwoners-0" not in keys_with
    assert "verantwoording" in [s.id for s in without.sections]
