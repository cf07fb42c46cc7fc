"""Generic wizard engine: validation messages, navigation and reproducible serialisation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.types import InputError
from assistant.wizards.engine import (
    Step,
    WizardInputError,
    WizardSpec,
    WizardState,
    back,
    current_step,
    from_json,
    from_query,
    next_step,
    to_json,
    to_query,
    validate,
    validate_answers,
)

SPEC = WizardSpec.model_validate(
    {
        "id": "demo",
        "title": "Demowizard",
        "steps": [
            {
                "id": "kleur",
                "question": "Welke kleur?",
                "type": "single",
                "options": [{"id": "rood", "label": "Rood"}, {"id": "blauw", "label": "Blauw"}],
            },
            {
                "id": "dieren",
                "question": "Welke dieren?",
                "type": "multi",
                "options": [
                    {"id": "kat", "label": "Kat"},
                    {"id": "hond", "label": "Hond"},
                    {"id": "vis", "label": "Vis, zoet water"},
                ],
            },
            {
                "id": "extra",
                "question": "Extra's?",
                "type": "multi",
                "required": False,
                "options": [{"id": "a", "label": "A"}],
            },
        ],
    }
)


def _step(step_id: str) -> Step:
    return SPEC.step(step_id)


def test_missing_single_answer_has_dutch_message() -> None:
    with pytest.raises(WizardInputError, match="Kies een antwoord bij: 'Welke kleur\\?'"):
        validate(_step("kleur"), None)


def test_missing_multi_answer_has_dutch_message() -> None:
    with pytest.raises(WizardInputError, match="Kies minstens één antwoord"):
        validate(_step("dieren"), [])


@pytest.mark.parametrize("value", ["groen", 3, ["rood"]])
def test_invalid_single_answer(value: object) -> None:
    with pytest.raises(WizardInputError, match="geen geldig antwoord"):
        validate(_step("kleur"), value)


def test_invalid_multi_answer_names_the_bad_choice() -> None:
    with pytest.raises(WizardInputError, match="Ongeldige keuze\\(s\\) bij 'Welke dieren\\?': koe"):
        validate(_step("dieren"), ["kat", "koe"])


def test_multi_answers_are_normalised_to_option_order_without_duplicates() -> None:
    assert validate(_step("dieren"), ["vis", "kat", "vis"]) == ["kat", "vis"]
    assert validate(_step("dieren"), "hond") == ["hond"]


def test_optional_multi_may_stay_empty() -> None:
    assert validate(_step("extra"), None) == []


def test_errors_are_user_facing_input_errors() -> None:
    assert issubclass(WizardInputError, InputError)
    assert issubclass(WizardInputError, ValueError)


def test_next_and_back_keep_answers() -> None:
    state = next_step(SPEC, WizardState(), "blauw")
    state = next_step(SPEC, state, ["hond"])
    assert current_step(SPEC, state).id == "extra"
    state = back(SPEC, state)
    assert current_step(SPEC, state).id == "dieren"
    assert state.answers == {"kleur": "blauw", "dieren": ["hond"]}
    state = back(SPEC, back(SPEC, state))
    assert state.index == 0 and state.answers["kleur"] == "blauw"


def test_invalid_answer_does_not_advance() -> None:
    state = WizardState()
    with pytest.raises(WizardInputError):
        next_step(SPEC, state, None)
    assert state.index == 0


def test_complete_state_has_no_current_step_and_back_returns_to_last() -> None:
    state = WizardState()
    for value in ("rood", ["kat"], []):
        state = next_step(SPEC, state, value)
    assert current_step(SPEC, state) is None
    assert current_step(SPEC, back(SPEC, state)).id == "extra"
    assert next_step(SPEC, state, "ignored") == state


def test_query_round_trip() -> None:
    answers = validate_answers(SPEC, {"kleur": "rood", "dieren": ["kat", "vis"], "extra": []})
    query = to_query(answers, "demo")
    assert query.startswith("wizard=demo&")
    assert from_query(query, SPEC) == answers
    assert from_query("?" + query, SPEC) == answers


def test_query_with_invalid_value_is_rejected() -> None:
    with pytest.raises(WizardInputError):
        from_query("kleur=paars&dieren=kat", SPEC)


def test_json_round_trip_and_wrong_wizard() -> None:
    answers = {"kleur": "blauw", "dieren": ["hond"], "extra": ["a"]}
    assert from_json(to_json(answers, "demo"), SPEC) == answers
    with pytest.raises(WizardInputError, match="horen niet bij de Demowizard"):
        from_json(to_json(answers, "ander"), SPEC)
    with pytest.raises(WizardInputError, match="geen geldige JSON"):
        from_json("{kapot", SPEC)


def test_spec_rejects_duplicate_ids() -> None:
    with pytest.raises(ValidationError):
        WizardSpec.model_validate(
            {
                "id": "x",
                "title": "X",
                "steps": [
                    {"id": "a", "question": "?", "type": "single", "options": [{"id": "o", "label": "O"}]},
                    {"id": "a", "question": "?", "type": "single", "options": [{"id": "o", "label": "O"}]},
                ],
            }
        )


def test_unknown_step_lookup_is_a_dutch_error() -> None:
    with pytest.raises(WizardInputError, match="Onbekende vraag"):
        SPEC.step("bestaat-niet")
