"""From a teamscan result to an action plan: cited actions for the weakest dimensions.

For each of the weakest dimensions, the elements not yet in place become actions (the
statement's task wording, citing its claim). Up to two more come from the phase guidance for
the computed phase ("now" and "next", including the other models' equivalent phases) and then
from knowledge-base advice, each matched to the dimension by its claim's topics. Owner, date
and status are the team's to fill in; `store.py` keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel

from assistant.guidance.phases import equivalent_phases, get_phase
from assistant.guidance.sources import CitationNumbering, SourcedItem
from assistant.knowledge.model import claims_by_id
from assistant.teamscan.model import Dimension, TeamscanResult, TeamscanSpec
from assistant.types import Citation

Status = Literal["open", "bezig", "klaar"]
Origin = Literal["element", "fase", "kennisbank"]
STATUSES: list[Status] = ["open", "bezig", "klaar"]
ORIGIN_LABELS: dict[Origin, str] = {
    "element": "ontbrekend element",
    "fase": "advies voor uw fase",
    "kennisbank": "kennisbank",
}
ADVICE_KINDS = {"advice", "enabler", "tool"}
EXTRA_PER_DIMENSION = 2


class Action(BaseModel):
    key: str  # dimension:claim, stable across re-scoring so edits stay attached
    dimension: str
    text: str
    citation: Citation
    origin: Origin = "element"
    owner: str = ""
    due: str = ""  # ISO date or empty
    status: Status = "open"


class Plan(BaseModel):
    actions: list[Action]
    citations: list[Citation]


def _topic_match(item: SourcedItem, dimension: Dimension) -> int:
    """How well an item's claim fits the dimension: 2 when its main topic is the dimension's, 1 for any shared."""
    topics = claims_by_id()[item.claim].topics
    if not set(topics) & set(dimension.topics):
        return 0
    return 2 if topics[0] in dimension.topics else 1


def _phase_items(phase: str) -> list[SourcedItem]:
    """The guidance for what to do now and what to prepare next, in this phase and its equivalents."""
    phases = [phase, *equivalent_phases(phase)]
    return [item for p in phases for group in ("now", "next") for item in get_phase(p).group(group) if item.claim]


def _advice_items(phase: str) -> list[SourcedItem]:
    """Knowledge-base advice for the phase (or any phase), as items worded by the claim itself."""
    phases = {phase, *equivalent_phases(phase)}
    claims = [c for c in claims_by_id().values() if c.kind in ADVICE_KINDS]
    ordered = [c for c in claims if set(c.phases) & phases] + [c for c in claims if not c.phases]
    return [SourcedItem(claim=c.id) for c in ordered]


def _best(items: Iterable[SourcedItem], dimension: Dimension, used: set[str], n: int) -> list[SourcedItem]:
    """The n best-fitting items on claims not used yet; a stable sort keeps the YAML's order among equals."""
    fitting: dict[str, SourcedItem] = {}  # the first item per claim
    for item in items:
        if item.claim not in used and item.claim not in fitting and _topic_match(item, dimension):
            fitting[item.claim] = item
    return sorted(fitting.values(), key=lambda item: -_topic_match(item, dimension))[:n]


def _targets(dimension: Dimension, missing: list[str], result: TeamscanResult) -> list[str]:
    """The statements to act on: those not in place, else the dimension's least developed one."""
    return missing or [min(dimension.statements, key=lambda s: result.medians[s.id]).id]


def build_plan(spec: TeamscanSpec, result: TeamscanResult, n_dimensions: int = 3) -> Plan:
    numbering = CitationNumbering()
    actions: list[Action] = []
    used = {s.claim for s in spec.statements()}  # extra advice never repeats an element's own claim
    by_id = {d.id: d for d in spec.dimensions}
    phase_items, advice_items = _phase_items(result.computed_phase), _advice_items(result.computed_phase)

    def add(dimension: Dimension, item: SourcedItem, text: str, origin: Origin) -> None:
        used.add(item.claim)
        actions.append(
            Action(
                key=f"{dimension.id}:{item.claim}",
                dimension=dimension.id,
                text=text,
                citation=numbering.cite(item),
                origin=origin,
            )
        )

    for weak in result.weakest(n_dimensions):
        dimension = by_id[weak.id]
        statements = {s.id: s for s in dimension.statements}
        for sid in _targets(dimension, weak.missing, result):
            add(dimension, statements[sid].source(), statements[sid].action, "element")
        guidance = _best(phase_items, dimension, used, EXTRA_PER_DIMENSION)
        for item in guidance:
            add(dimension, item, item.text, "fase")
        for item in _best(advice_items, dimension, used, EXTRA_PER_DIMENSION - len(guidance)):
            add(dimension, item, item.text, "kennisbank")
    return Plan(actions=actions, citations=list(numbering.citations))
