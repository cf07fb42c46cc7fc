"""'Waar staan we?': a short multiple-choice self-assessment that places a network in an
OMK development phase (and the corresponding RIVM phase).

Users rarely know the phase vocabulary of the corpus, but they can say whether they run a
pilot or have a coordinator. Each answer option carries the corpus characteristic it
matches, so the result explains itself with verbatim quotes. The questions are a scored
spec of the wizard engine, which validates the answers and totals the weights (see
assessment.yaml for the weights and the tie rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from assistant.guidance.answer import GuidanceItem
from assistant.guidance.phases import (
    equivalent_phases,
    get_model,
    get_phase,
    phase_label,
)
from assistant.guidance.sources import CitationNumbering, SourcedItem, load_yaml
from assistant.types import Citation
from assistant.wizards.engine import Option, Points, Step, WizardInputError, WizardSpec, best, tally
from assistant.wizards.engine import validate_answers as validate_all

ASSESSMENT_FILE = Path(__file__).with_name("assessment.yaml")


# Missing or invalid answers; the Dutch message is shown to the user as is.
AssessmentInputError = WizardInputError


class AssessmentOption(BaseModel):
    id: str
    label: str
    phase: str
    weight: int = Field(gt=0)
    signal: SourcedItem


class AssessmentQuestion(BaseModel):
    id: str
    question: str
    options: list[AssessmentOption]

    def option(self, option_id: str) -> AssessmentOption | None:
        return next((o for o in self.options if o.id == option_id), None)


class Assessment(BaseModel):
    version: int = 1
    model: str
    questions: list[AssessmentQuestion]

    @model_validator(mode="after")
    def _check(self) -> Assessment:
        for question in self.questions:
            for option in question.options:
                get_phase(option.phase)  # raises for unknown phases
                if not option.signal.section:
                    option.signal.section = get_phase(option.phase).section or get_model(option.phase).section
        return self

    def spec(self) -> WizardSpec:
        """The questions as single-choice steps of the wizard engine."""
        steps = [
            Step(
                id=q.id,
                question=q.question,
                type="single",
                options=[Option(id=o.id, label=o.label) for o in q.options],
                missing="Beantwoord eerst de vraag: '{question}'",
            )
            for q in self.questions
        ]
        return WizardSpec(id="zelfscan", title="zelfscan ‘Waar staan we?’", steps=steps)

    def points(self) -> Points:
        return {q.id: {o.id: {o.phase: o.weight} for o in q.options} for q in self.questions}

    def phases(self) -> list[str]:
        ordered: list[str] = []
        for question in self.questions:
            for option in question.options:
                if option.phase not in ordered:
                    ordered.append(option.phase)
        return sorted(ordered, key=lambda pid: get_phase(pid).number)


class AssessmentReason(BaseModel):
    question: str
    answer: str
    text: str
    citation: Citation


class AssessmentResult(BaseModel):
    """Best-fitting phase with the reasons (chosen answers) and the phase characteristics."""

    phase_id: str
    phase_label: str
    rivm_phase_id: str | None = None
    rivm_phase_label: str | None = None
    scores: dict[str, int]
    answers: dict[str, str]
    reasons: list[AssessmentReason] = Field(default_factory=list)
    characteristics: list[GuidanceItem] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


@lru_cache(maxsize=2)
def _load(path: str) -> Assessment:
    return Assessment.model_validate(load_yaml(Path(path)))


def load_assessment(path: Path | None = None) -> Assessment:
    return _load(str(path or ASSESSMENT_FILE))


def validate_answers(answers: Mapping[str, str], assessment: Assessment | None = None) -> None:
    """Raise AssessmentInputError naming the first unanswered or invalid question."""
    assessment = assessment or load_assessment()
    validate_all(assessment.spec(), answers)


def score(answers: Mapping[str, str], assessment: Assessment | None = None) -> dict[str, int]:
    """Total weight per phase for a complete, valid set of answers."""
    assessment = assessment or load_assessment()
    validate_answers(answers, assessment)
    return tally(assessment.points(), answers, assessment.phases())


def best_phase(totals: Mapping[str, int]) -> str:
    """Highest total; ties go to the earlier phase (revisiting beats skipping a phase)."""
    return best(totals, lambda pid: get_phase(pid).number)


def _rivm_equivalent(phase_id: str) -> str | None:
    return next((p for p in equivalent_phases(phase_id) if get_model(p).id == "rivm"), None)


def _characteristics(phase_ids: list[str], numbering: CitationNumbering) -> list[GuidanceItem]:
    return [
        GuidanceItem(text=item.text, citation=numbering.cite(item), phase_id=pid)
        for pid in phase_ids
        for item in get_phase(pid).characteristics
    ]


def assess(answers: Mapping[str, str], assessment: Assessment | None = None) -> AssessmentResult:
    """Place the network in a phase; deterministic for a given set of answers."""
    assessment = assessment or load_assessment()
    totals = score(answers, assessment)
    winner = best_phase(totals)
    rivm = _rivm_equivalent(winner)
    numbering = CitationNumbering()
    reasons = []
    for question in assessment.questions:
        option = question.option(answers[question.id])
        if option is not None and option.phase == winner:
            reasons.append(
                AssessmentReason(
                    question=question.question,
                    answer=option.label,
                    text=option.signal.text,
                    citation=numbering.cite(option.signal),
                )
            )
    characteristics = _characteristics([winner] + ([rivm] if rivm else []), numbering)
    return AssessmentResult(
        phase_id=winner,
        phase_label=phase_label(winner),
        rivm_phase_id=rivm,
        rivm_phase_label=phase_label(rivm) if rivm else None,
        scores=totals,
        answers={q.id: answers[q.id] for q in assessment.questions},
        reasons=reasons,
        characteristics=characteristics,
        citations=list(numbering.citations),
    )
