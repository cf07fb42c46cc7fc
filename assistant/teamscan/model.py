"""Teamscan: several members of a network score the same statements 0-5; the result shows
the median per dimension, where members disagree, the phase the elements in place point to
beside the phase members say they are in, and a cited plan for the weakest dimensions.

Rules (documented in the README, tested in tests/test_teamscan.py):
- a member's dimension score is the mean of their statement scores; the dimension's score
  is the median over members (SCIROCCO-style: the median, not the mean, so one outlier does
  not move it);
- members disagree on a dimension when their scores lie 2 or more points apart (range for
  fewer than 4 members, interquartile range from 4 members on);
- an element is in place when the median of its statement is 3 ("deels geregeld") or more;
  the computed phase is the highest OMK phase whose own elements, and those of every earlier
  phase, are each at least two thirds in place (at least phase 1).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from assistant.guidance.phases import get_phase, phase_label
from assistant.guidance.sources import SourcedItem, load_yaml
from assistant.types import InputError

SPEC_FILE = Path(__file__).with_name("dimensions.yaml")
IN_PLACE = 3
DISAGREE_POINTS = 2.0
PHASES = ["omk-1", "omk-2", "omk-3", "omk-4"]


class TeamscanInputError(InputError):
    """An unusable answer or code; the Dutch message is shown to the user as is."""


class Statement(BaseModel):
    id: str
    text: str  # the element as it reads when in place ("We hebben ...")
    action: str  # the task that puts it in place, for the plan
    phase: str
    claim: str

    def source(self) -> SourcedItem:
        return SourcedItem(claim=self.claim)


class Dimension(BaseModel):
    id: str
    name: str
    topics: list[str]
    statements: list[Statement] = Field(min_length=1)


class TeamscanSpec(BaseModel):
    scale: dict[int, str]
    dimensions: list[Dimension]

    @model_validator(mode="after")
    def _check(self) -> TeamscanSpec:
        ids = [s.id for d in self.dimensions for s in d.statements]
        if len(ids) != len(set(ids)):
            raise ValueError("dimensions.yaml: stelling-id's moeten uniek zijn")
        for statement in self.statements():
            if statement.phase not in PHASES:
                raise ValueError(f"Stelling {statement.id}: onbekende fase {statement.phase}")
            statement.source()  # an unknown claim id fails here, at load
        return self

    def statements(self) -> list[Statement]:
        return [s for d in self.dimensions for s in d.statements]


@lru_cache(maxsize=2)
def _load(path: str) -> TeamscanSpec:
    return TeamscanSpec.model_validate(load_yaml(Path(path)))


def load_spec(path: Path | None = None) -> TeamscanSpec:
    return _load(str(path or SPEC_FILE))


def validate_scores(spec: TeamscanSpec, scores: Mapping[str, object]) -> dict[str, int]:
    """Every statement scored 0-5 (whole numbers); raises TeamscanInputError naming the first problem."""
    clean: dict[str, int] = {}
    for statement in spec.statements():
        value = scores.get(statement.id)
        if value is None or value == "":
            raise TeamscanInputError(f"Geef een score bij: '{statement.text}'")
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise TeamscanInputError(f"'{value}' is geen score bij '{statement.text}'; kies 0 tot en met 5.")
        if not 0 <= int(value) <= 5:
            raise TeamscanInputError(f"Score {value} bij '{statement.text}' ligt niet tussen 0 en 5.")
        clean[statement.id] = int(value)
    return clean


class Response(BaseModel):
    respondent: str
    role: str
    phase: str  # the phase this member thinks the network is in
    scores: dict[str, int]


class DimensionResult(BaseModel):
    id: str
    name: str
    median: float
    low: float
    high: float
    spread: float  # range (< 4 members) or interquartile range
    disagree: bool
    missing: list[str] = Field(default_factory=list)  # statements not in place (median < 3)


class TeamscanResult(BaseModel):
    respondents: int
    dimensions: list[DimensionResult]
    computed_phase: str
    self_rated_phase: str
    medians: dict[str, float]  # per statement
    in_place: dict[str, bool]

    def weakest(self, n: int = 3) -> list[DimensionResult]:
        """The n lowest medians; a tie goes to the dimension members disagree on more."""
        return sorted(self.dimensions, key=lambda d: (d.median, -d.spread))[:n]

    def labels(self) -> tuple[str, str]:
        return phase_label(self.computed_phase), phase_label(self.self_rated_phase)


def _spread(values: Sequence[float]) -> float:
    if len(values) < 4:
        return max(values) - min(values)
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[2] - q[0]


def computed_phase(spec: TeamscanSpec, in_place: Mapping[str, bool]) -> str:
    reached = PHASES[0]
    for phase in PHASES:
        own = [s.id for s in spec.statements() if s.phase == phase]
        if own and sum(in_place[s] for s in own) * 3 < len(own) * 2:
            break
        reached = phase
    return reached


def score(spec: TeamscanSpec, responses: Sequence[Response]) -> TeamscanResult:
    """The team's result; raises TeamscanInputError when nobody has answered yet."""
    if not responses:
        raise TeamscanInputError("Er zijn nog geen antwoorden: deel de code met de leden van uw netwerk.")
    medians = {s.id: statistics.median(r.scores[s.id] for r in responses) for s in spec.statements()}
    in_place = {sid: m >= IN_PLACE for sid, m in medians.items()}
    dimensions = []
    for d in spec.dimensions:
        per_member = [statistics.mean(r.scores[s.id] for s in d.statements) for r in responses]
        spread = _spread(per_member)
        dimensions.append(
            DimensionResult(
                id=d.id,
                name=d.name,
                median=round(statistics.median(per_member), 2),
                low=round(min(per_member), 2),
                high=round(max(per_member), 2),
                spread=round(spread, 2),
                disagree=spread >= DISAGREE_POINTS,
                missing=[s.id for s in d.statements if not in_place[s.id]],
            )
        )
    rated = round(statistics.median(get_phase(r.phase).number for r in responses))
    return TeamscanResult(
        respondents=len(responses),
        dimensions=dimensions,
        computed_phase=computed_phase(spec, in_place),
        self_rated_phase=f"omk-{min(max(rated, 1), 4)}",
        medians={sid: float(m) for sid, m in medians.items()},
        in_place=in_place,
    )
