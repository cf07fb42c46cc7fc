"""Governancewizard: which network governance form fits, and what to arrange around it.

The RIVM synthesis describes three forms (Provan & Kenis): a self-governed network, a lead
organisation and a network administrative organisation, with the circumstances in which
each fits. Answers add points to forms; every point comes with the passage that justifies
it, so the advice shows its reasons. Scale, the JVEI formal building blocks and
accountability/supervision points complete the result. Knowledge lives in governance.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from assistant.guidance.phases import phase_label
from assistant.guidance.sources import SourcedItem, load_yaml
from assistant.wizards.engine import Answers, WizardSpec, best, load_spec, tally, validate_answers
from assistant.wizards.results import ResultBuilder, WizardResult

GOVERNANCE_FILE = Path(__file__).with_name("governance.yaml")
NOTICE = (
    "De kennisbronnen vergelijken geen rechtsvormen (zoals stichting, coöperatie of bv) en "
    "geven geen fiscale of juridische afweging; vraag daarvoor juridisch advies."
)


class Form(BaseModel):
    name: str
    description: SourcedItem
    when: SourcedItem
    caveats: list[SourcedItem] = Field(default_factory=list)


class ScoreRule(BaseModel):
    points: dict[str, int] = Field(default_factory=dict)
    reason: SourcedItem | None = None


class Block(BaseModel):
    id: str
    name: str
    item: SourcedItem


class BuildingBlocks(BaseModel):
    intro: SourcedItem
    blocks: list[Block]
    agreements: list[Block] = Field(default_factory=list)


class GovernanceKnowledge(BaseModel):
    forms: dict[str, Form]
    scoring: dict[str, dict[str, ScoreRule]]
    scale: list[SourcedItem]
    building_blocks: BuildingBlocks
    accountability: list[SourcedItem]
    partners: dict[str, list[SourcedItem]]
    phases: dict[str, list[SourcedItem]]

    @model_validator(mode="after")
    def _forms_known(self) -> GovernanceKnowledge:
        for step_id, rules in self.scoring.items():
            for option_id, rule in rules.items():
                unknown = set(rule.points) - set(self.forms)
                if unknown:
                    raise ValueError(f"Scoring {step_id}={option_id}: onbekende vorm {unknown}")
        return self


@lru_cache(maxsize=2)
def _load(path: str) -> tuple[WizardSpec, GovernanceKnowledge]:
    spec = load_spec(Path(path))
    kb = GovernanceKnowledge.model_validate(load_yaml(Path(path)))
    for step_id, rules in kb.scoring.items():
        if set(rules) != set(spec.step(step_id).option_ids()):
            raise ValueError(f"Scoring voor '{step_id}' dekt niet precies de opties van die stap")
    blocks = {b.id for b in kb.building_blocks.blocks + kb.building_blocks.agreements}
    if not blocks <= set(spec.step("arrangements").option_ids()):
        raise ValueError("Bouwstenen in governance.yaml horen bij opties van 'arrangements'")
    return spec, kb


def governance_spec() -> WizardSpec:
    return _load(str(GOVERNANCE_FILE))[0]


def governance_knowledge() -> GovernanceKnowledge:
    return _load(str(GOVERNANCE_FILE))[1]


def score_forms(answers: Answers, kb: GovernanceKnowledge) -> dict[str, int]:
    """Points per governance form for validated answers."""
    points = {step: {option: rule.points for option, rule in rules.items()} for step, rules in kb.scoring.items()}
    return tally(points, answers, kb.forms)


def best_form(totals: Mapping[str, int]) -> str:
    """Highest score; ties go to the lighter form (the order in governance.yaml)."""
    return best(totals, list(totals).index)


def _context(spec: WizardSpec, answers: Answers, form_name: str) -> str:
    size = spec.step("size").label(str(answers["size"]))
    phase = spec.step("phase").label(str(answers["phase"]))
    return f"netwerk met {size.lower()} organisaties; fase: {phase}; advies: {form_name}"


def _add_advice(rb: ResultBuilder, kb: GovernanceKnowledge, answers: Answers, winner: str) -> None:
    form = kb.forms[winner]
    section = rb.section(
        "advies", f"Passende bestuursvorm: {form.name}", "Waarom deze vorm past, op basis van uw antwoorden:"
    )
    rb.add(section, "vorm-omschrijving", [form.description])
    rb.add(section, "vorm-wanneer", [form.when])
    for step_id, rules in kb.scoring.items():
        rule = rules.get(str(answers.get(step_id)))
        if rule and rule.reason and rule.points.get(winner, 0) > 0:
            rb.add(section, f"reden-{step_id}", [rule.reason])
    caveats = rb.section("aandachtspunten", f"Aandachtspunten bij deze vorm ({form.name})")
    for i, item in enumerate(form.caveats):
        rb.add(caveats, f"aandachtspunt-{i}", [item])
    others = rb.section("alternatieven", "De andere bestuursvormen")
    for form_id, other in kb.forms.items():
        if form_id != winner:
            rb.add(
                others,
                f"alternatief-{form_id}",
                [other.description, other.when],
                text=f"{other.name}: {other.description.text} {other.when.text}",
            )


def _add_blocks(rb: ResultBuilder, kb: GovernanceKnowledge, answers: Answers) -> None:
    present = set(answers.get("arrangements", []))
    bb = kb.building_blocks
    section = rb.section("bouwstenen", "Formele bouwstenen", bb.intro.text)
    for block in bb.blocks + bb.agreements:
        status = "aanwezig" if block.id in present else "nog te regelen"
        rb.add(section, f"bouwsteen-{block.id}", [block.item], text=f"{block.name} ({status}): {block.item.text}")


def _add_accountability(rb: ResultBuilder, kb: GovernanceKnowledge, answers: Answers) -> None:
    has_agreements = "verantwoording" in answers.get("arrangements", [])
    intro = (
        "U heeft al afspraken over verantwoording en toezicht; toets ze aan deze punten."
        if has_agreements
        else "U heeft nog geen afspraken over verantwoording en toezicht."
    )
    section = rb.section("verantwoording", "Verantwoording en toezicht", intro)
    for i, item in enumerate(kb.accountability):
        rb.add(section, f"verantwoording-{i}", [item])


def _add_partners_scale_phase(rb: ResultBuilder, kb: GovernanceKnowledge, answers: Answers) -> None:
    section = rb.section("schaal", "Schaalkeuzes")
    for i, item in enumerate(kb.scale):
        rb.add(section, f"schaal-{i}", [item])
    kinds = list(answers["partners"])
    keys = kinds + ([] if "inwoners" in kinds else ["zonder-inwoners"]) + ["algemeen"]
    section = rb.section("partners", "Aandachtspunten bij uw partners")
    for key in keys:
        for i, item in enumerate(kb.partners.get(key, [])):
            rb.add(section, f"partner-{key}-{i}", [item])
    phase = str(answers["phase"])
    if phase in kb.phases:
        section = rb.section("fase", f"Volgende governancestappen in uw fase ({phase_label(phase)})")
        for i, item in enumerate(kb.phases[phase]):
            rb.add(section, f"fase-{phase}-{i}", [item])


def build_governance_result(answers: Mapping[str, object], corpus_dir: Path | None = None) -> WizardResult:
    """Cited governance advice for a complete set of answers (validated here)."""
    spec, kb = _load(str(GOVERNANCE_FILE))
    clean = validate_answers(spec, answers)
    totals = score_forms(clean, kb)
    winner = best_form(totals)
    rb = ResultBuilder(context=_context(spec, clean, kb.forms[winner].name), corpus_dir=corpus_dir)
    _add_advice(rb, kb, clean, winner)
    _add_blocks(rb, kb, clean)
    _add_accountability(rb, kb, clean)
    _add_partners_scale_phase(rb, kb, clean)
    result = rb.build(spec, clean, headline=f"Passende bestuursvorm: {kb.forms[winner].name}", notices=[NOTICE])
    result.scores = totals
    return result
