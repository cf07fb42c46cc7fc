"""The one questionnaire engine: steps as data, answers as a plain dict, points per option.

Wizards (funding, governance) and the 'Waar staan we?' self-assessment are question
sequences with single or multiple choice. The engine knows nothing about their content; it
validates answers with clear Dutch messages, moves forward and back without losing answers,
scores chosen options (`tally`, `best`), and serialises answers to a URL query string or
JSON so that every result can be reproduced and shared from its answers alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlencode

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.guidance.sources import load_yaml
from assistant.types import InputError

Answer = str | list[str]
Answers = dict[str, Answer]


class WizardInputError(InputError):
    """Missing or invalid answer; the Dutch message is meant for the user."""


class Option(BaseModel):
    id: str
    label: str


class Step(BaseModel):
    id: str
    question: str
    type: Literal["single", "multi"]
    options: list[Option]
    required: bool = True
    help: str = ""
    missing: str = "Kies een antwoord bij: '{question}'"  # message when a required step is empty

    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def label(self, option_id: str) -> str:
        return next((o.label for o in self.options if o.id == option_id), option_id)


class WizardSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    title: str
    intro: str = ""
    steps: list[Step]

    @model_validator(mode="after")
    def _unique(self) -> WizardSpec:
        ids = [s.id for s in self.steps]
        if len(ids) != len(set(ids)) or "wizard" in ids:
            raise ValueError(f"Wizard '{self.id}': stap-id's moeten uniek zijn (en niet 'wizard')")
        for step in self.steps:
            if len(step.option_ids()) != len(set(step.option_ids())):
                raise ValueError(f"Wizard '{self.id}', stap '{step.id}': dubbele optie-id's")
        return self

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise WizardInputError(f"Onbekende vraag '{step_id}' in {self.title}.")


class WizardState(BaseModel):
    """Where the user is (index into the steps) and what they answered so far."""

    index: int = 0
    answers: Answers = Field(default_factory=dict)


def load_spec(path: Path) -> WizardSpec:
    """Read the `wizard:` block of a wizard YAML file."""
    data = load_yaml(path)
    return WizardSpec.model_validate(data["wizard"])


def _as_list(value: object) -> list[object]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]


def validate(step: Step, value: object) -> Answer | None:
    """Normalised answer for a step; raises WizardInputError with a Dutch message.

    Single choice returns the option id; multiple choice a list in option order (duplicates
    dropped). An optional step left empty returns None for single and [] for multi.
    """
    if step.type == "single":
        if value in (None, "", []):
            if step.required:
                raise WizardInputError(step.missing.format(question=step.question))
            return None
        if not isinstance(value, str) or value not in step.option_ids():
            raise WizardInputError(f"'{value}' is geen geldig antwoord bij '{step.question}'. Kies een van de opties.")
        return value
    values = _as_list(value)
    unknown = [v for v in values if v not in step.option_ids()]
    if unknown:
        raise WizardInputError(f"Ongeldige keuze(s) bij '{step.question}': {', '.join(map(str, unknown))}.")
    if not values and step.required:
        raise WizardInputError(f"Kies minstens één antwoord bij: '{step.question}'")
    return [o for o in step.option_ids() if o in values]


def current_step(spec: WizardSpec, state: WizardState) -> Step | None:
    """The step to show, or None when all steps are answered (show the result)."""
    return spec.steps[state.index] if 0 <= state.index < len(spec.steps) else None


def next_step(spec: WizardSpec, state: WizardState, value: object) -> WizardState:
    """Validate and store the answer to the current step, then move one step forward."""
    step = current_step(spec, state)
    if step is None:
        return state
    answer = validate(step, value)
    answers = dict(state.answers)
    if answer is None:
        answers.pop(step.id, None)
    else:
        answers[step.id] = answer
    return WizardState(index=state.index + 1, answers=answers)


def back(spec: WizardSpec, state: WizardState) -> WizardState:
    """One step back; answers are kept so the user sees (and can change) what they chose."""
    index = min(state.index, len(spec.steps)) - 1
    return WizardState(index=max(index, 0), answers=dict(state.answers))


def validate_answers(spec: WizardSpec, answers: Mapping[str, object]) -> Answers:
    """Validate a complete answer set (e.g. from a shared link); unknown keys are ignored."""
    clean: Answers = {}
    for step in spec.steps:
        answer = validate(step, answers.get(step.id))
        if answer is not None:
            clean[step.id] = answer
    return clean


# Points per option: step id -> option id -> target (a governance form, a phase) -> points.
Points = Mapping[str, Mapping[str, Mapping[str, int]]]


def tally(points: Points, answers: Mapping[str, object], targets: Iterable[str]) -> dict[str, int]:
    """Total points per target over the chosen options (each chosen option of a multi step counts)."""
    totals = dict.fromkeys(targets, 0)
    for step_id, options in points.items():
        for option_id in _as_list(answers.get(step_id)):
            for target, n in options.get(str(option_id), {}).items():
                totals[target] += n
    return totals


def best(totals: Mapping[str, int], rank: Callable[[str], int]) -> str:
    """The target with the highest total; a tie goes to the lowest rank."""
    return max(totals, key=lambda target: (totals[target], -rank(target)))


def to_query(answers: Mapping[str, Answer], wizard_id: str | None = None) -> str:
    """URL query string of the answers; multiple choice joined with commas."""
    pairs = [("wizard", wizard_id)] if wizard_id else []
    for key, value in answers.items():
        pairs.append((key, ",".join(value) if isinstance(value, list) else value))
    return urlencode(pairs)


def from_query(query: str, spec: WizardSpec) -> Answers:
    """Answers from a query string made by `to_query`, validated against the wizard."""
    raw = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    parsed: dict[str, object] = {}
    for step in spec.steps:
        if step.id in raw:
            text = raw[step.id]
            parsed[step.id] = [v for v in text.split(",") if v] if step.type == "multi" else text
    return validate_answers(spec, parsed)


def to_json(answers: Mapping[str, Answer], wizard_id: str) -> str:
    return json.dumps({"wizard": wizard_id, "answers": dict(answers)}, ensure_ascii=False, sort_keys=True)


def from_json(text: str, spec: WizardSpec) -> Answers:
    """Answers from `to_json` output; rejects JSON made for another wizard."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WizardInputError(f"De gegevens zijn geen geldige JSON ({exc.msg}).") from exc
    if not isinstance(data, dict) or data.get("wizard") != spec.id:
        raise WizardInputError(f"Deze gegevens horen niet bij de {spec.title}.")
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise WizardInputError("De gegevens bevatten geen antwoorden.")
    return validate_answers(spec, answers)
