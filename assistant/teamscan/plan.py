"""From a teamscan result to an action plan: cited actions for the weakest dimensions.

For each of the weakest dimensions, the elements not yet in place become actions, each citing
the claim of its statement; advice from the knowledge base on the dimension's topics for the
computed phase (or without a phase) completes them. Owner, date and status are the team's to
fill in; `store.py` keeps them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from assistant.guidance.phases import equivalent_phases
from assistant.guidance.sources import CitationNumbering, SourcedItem
from assistant.knowledge.model import Claim, claims_by_id
from assistant.teamscan.model import Dimension, TeamscanResult, TeamscanSpec
from assistant.types import Citation

Status = Literal["open", "bezig", "klaar"]
STATUSES: list[Status] = ["open", "bezig", "klaar"]
ADVICE_KINDS = {"advice", "enabler", "tool"}
EXTRA_PER_DIMENSION = 2


class Action(BaseModel):
    key: str  # dimension:claim, stable across re-scoring so edits stay attached
    dimension: str
    text: str
    citation: Citation
    owner: str = ""
    due: str = ""  # ISO date or empty
    status: Status = "open"


class Plan(BaseModel):
    actions: list[Action]
    citations: list[Citation]


def _advice(dimension: Dimension, phase: str, used: set[str]) -> list[Claim]:
    """Knowledge-base advice on the dimension's topics that fits the phase (or any phase)."""
    phases = {phase, *equivalent_phases(phase)}
    fits = [
        c
        for c in claims_by_id().values()
        if c.kind in ADVICE_KINDS and set(c.topics) & set(dimension.topics) and c.id not in used
    ]
    for_phase = [c for c in fits if set(c.phases) & phases]
    general = [c for c in fits if not c.phases]
    return (for_phase + general)[:EXTRA_PER_DIMENSION]


def _targets(dimension: Dimension, missing: list[str], result: TeamscanResult) -> list[str]:
    """The statements to act on: those not in place, else the dimension's least developed one."""
    return missing or [min(dimension.statements, key=lambda s: result.medians[s.id]).id]


def build_plan(spec: TeamscanSpec, result: TeamscanResult, n_dimensions: int = 3) -> Plan:
    numbering = CitationNumbering()
    actions: list[Action] = []
    used: set[str] = set()
    by_id = {d.id: d for d in spec.dimensions}
    for weak in result.weakest(n_dimensions):
        dimension = by_id[weak.id]
        statements = {s.id: s for s in dimension.statements}
        used |= {s.claim for s in dimension.statements}  # advice adds to the statements, never repeats them
        for sid in _targets(dimension, weak.missing, result):
            statement = statements[sid]
            citation = numbering.cite(statement.source())
            actions.append(
                Action(
                    key=f"{dimension.id}:{statement.claim}",
                    dimension=dimension.id,
                    text=statement.text,
                    citation=citation,
                )
            )
        for claim in _advice(dimension, result.computed_phase, used):
            used.add(claim.id)
            citation = numbering.cite(SourcedItem(claim=claim.id))
            actions.append(
                Action(key=f"{dimension.id}:{claim.id}", dimension=dimension.id, text=claim.nl, citation=citation)
            )
    return Plan(actions=actions, citations=list(numbering.citations))
