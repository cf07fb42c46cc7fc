"""Bekostigingswizard: from role, laws, experienced bottlenecks and phase to cited advice.

The Nivel synthesis lists the bottlenecks networks run into, what was found in practice (or
honestly: that no structural solution was found), alternative payment models with their
pros and cons, and what funders versus networks themselves can do. This module selects and
orders that knowledge (funding.yaml) for one situation; it adds no claims of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from assistant.guidance.phases import phase_label
from assistant.guidance.sources import SourcedItem, load_yaml
from assistant.wizards.engine import Answers, WizardSpec, load_spec, validate_answers
from assistant.wizards.results import ResultBuilder, WizardResult

FUNDING_FILE = Path(__file__).with_name("funding.yaml")
FUNDER_ROLES = {"zorgverzekeraar", "gemeente"}
CARE_LAWS = {"zvw", "wmo", "wlz", "jeugdwet", "wpg"}
DATED_BOTTLENECKS = {"huisarts-bekostiging", "overlegtijd", "baten-elders"}


class Bottleneck(BaseModel):
    problem: SourcedItem
    found: list[SourcedItem] = Field(default_factory=list)
    proposed: list[SourcedItem] = Field(default_factory=list)
    context: list[SourcedItem] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)
    funder_actions: list[str] = Field(default_factory=list)
    network_actions: list[str] = Field(default_factory=list)
    routes: list[str] = Field(default_factory=list)


class PaymentModel(BaseModel):
    name: str
    section: str = "Alternatieve bekostigingsmodellen kunnen samenwerking bevorderen"
    items: list[SourcedItem]

    @model_validator(mode="after")
    def _default_sections(self) -> PaymentModel:
        for item in self.items:
            item.section = item.section or self.section
        return self


class Route(SourcedItem):
    laws: list[str] = Field(default_factory=list)


class FundingKnowledge(BaseModel):
    bottlenecks: dict[str, Bottleneck]
    models: dict[str, PaymentModel]
    model_caveats: list[SourcedItem]
    funder_actions: dict[str, SourcedItem]
    network_actions: dict[str, SourcedItem]
    routes: dict[str, Route]
    always_routes: list[str] = Field(default_factory=list)
    laws: dict[str, list[SourcedItem]]
    multi_law: SourcedItem
    roles: dict[str, list[SourcedItem]]
    phases: dict[str, list[SourcedItem]]
    closing: list[SourcedItem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> FundingKnowledge:
        for key, b in self.bottlenecks.items():
            for kind, ids, table in (
                ("model", b.models, self.models),
                ("funder_action", b.funder_actions, self.funder_actions),
                ("network_action", b.network_actions, self.network_actions),
                ("route", b.routes, self.routes),
            ):
                missing = [i for i in ids if i not in table]
                if missing:
                    raise ValueError(f"Knelpunt '{key}' verwijst naar onbekende {kind}: {missing}")
        if any(r not in self.routes for r in self.always_routes):
            raise ValueError("always_routes verwijst naar een onbekende regeling")
        return self


@lru_cache(maxsize=2)
def _load(path: str) -> tuple[WizardSpec, FundingKnowledge]:
    spec = load_spec(Path(path))
    knowledge = FundingKnowledge.model_validate(load_yaml(Path(path)))
    options = set(spec.step("bottlenecks").option_ids())
    if options != set(knowledge.bottlenecks):
        raise ValueError("Knelpunt-opties en kennis in funding.yaml lopen niet gelijk")
    if set(spec.step("role").option_ids()) != set(knowledge.roles):
        raise ValueError("Rollen in funding.yaml lopen niet gelijk met de kennis per rol")
    return spec, knowledge


def funding_spec() -> WizardSpec:
    return _load(str(FUNDING_FILE))[0]


def funding_knowledge() -> FundingKnowledge:
    return _load(str(FUNDING_FILE))[1]


def _context(spec: WizardSpec, answers: Answers) -> str:
    role = spec.step("role").label(str(answers["role"]))
    laws = ", ".join(spec.step("laws").label(v) for v in answers["laws"])
    phase = spec.step("phase").label(str(answers["phase"]))
    return f"rol: {role}; wetten: {laws}; fase: {phase}"


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _add_bottlenecks(rb: ResultBuilder, spec: WizardSpec, kb: FundingKnowledge, chosen: list[str]) -> None:
    for key in chosen:
        label = spec.step("bottlenecks").label(key)
        b = kb.bottlenecks[key]
        intro = "" if b.found else ("De kennisbronnen beschrijven hiervoor geen in de praktijk gevonden oplossing.")
        section = rb.section(f"knelpunt-{key}", f"Knelpunt: {label}", intro)
        context = f"{rb.context}; knelpunt: {label}"
        rb.add(section, f"{key}-probleem", [b.problem], context=context)
        for group in ("found", "proposed", "context"):
            for i, item in enumerate(getattr(b, group)):
                rb.add(section, f"{key}-{group}-{i}", [item], context=context)


def _add_models(rb: ResultBuilder, kb: FundingKnowledge, chosen: list[str]) -> None:
    model_ids = _unique([m for key in chosen for m in kb.bottlenecks[key].models])
    if not model_ids:
        return
    section = rb.section(
        "modellen",
        "Passende alternatieve bekostigingsmodellen",
        "Modellen die de bronnen noemen bij uw knelpunten, met voor- en nadelen.",
    )
    for model_id in model_ids:
        model = kb.models[model_id]
        for i, item in enumerate(model.items):
            rb.add(
                section,
                f"model-{model_id}-{i}",
                [item],
                text=f"{model.name} – {item.text}",
                context=f"{rb.context}; bekostigingsmodel: {model.name}",
            )
    caveats = rb.section("kanttekeningen", "Kanttekeningen bij alternatieve bekostiging")
    for i, item in enumerate(kb.model_caveats):
        rb.add(caveats, f"kanttekening-{i}", [item])


def _add_actions(rb: ResultBuilder, kb: FundingKnowledge, chosen: list[str], role: str) -> None:
    funder_ids = _unique([a for key in chosen for a in kb.bottlenecks[key].funder_actions])
    network_ids = _unique([a for key in chosen for a in kb.bottlenecks[key].network_actions])
    funder_title = (
        "Wat u als financier kunt doen" if role in FUNDER_ROLES else "Wat financiers en beleidsinstanties kunnen doen"
    )
    network_title = "Wat het netwerk zelf kan doen" if role in FUNDER_ROLES else "Wat uw netwerk zelf kan doen"
    order = [
        ("financiers", funder_title, funder_ids, kb.funder_actions),
        ("netwerk", network_title, network_ids, kb.network_actions),
    ]
    if role not in FUNDER_ROLES:
        order.reverse()
    for section_id, title, ids, table in order:
        section = rb.section(section_id, title)
        for action_id in ids:
            rb.add(section, f"{section_id}-{action_id}", [table[action_id]])


def _add_routes(rb: ResultBuilder, kb: FundingKnowledge, chosen: list[str], laws: list[str]) -> None:
    by_bottleneck = [r for key in chosen for r in kb.bottlenecks[key].routes]
    by_law = [rid for rid, route in kb.routes.items() if set(route.laws) & set(laws)]
    section = rb.section(
        "regelingen",
        "Bestaande routes en regelingen",
        "Instanties, regelingen en informatiebronnen die de bronnen noemen.",
    )
    for route_id in _unique(by_bottleneck + by_law + kb.always_routes):
        rb.add(section, f"regeling-{route_id}", [kb.routes[route_id]])


def _add_laws(rb: ResultBuilder, spec: WizardSpec, kb: FundingKnowledge, laws: list[str]) -> None:
    section = rb.section("wetten", "Wat dit betekent voor de gekozen wetten en domeinen")
    for law in laws:
        label = spec.step("laws").label(law)
        for i, item in enumerate(kb.laws.get(law, [])):
            rb.add(section, f"wet-{law}-{i}", [item], text=f"{label}: {item.text}")
    if len(set(laws) & CARE_LAWS) >= 2:
        rb.add(section, "wet-meerdere", [kb.multi_law])


def _add_role_and_phase(rb: ResultBuilder, spec: WizardSpec, kb: FundingKnowledge, answers: Answers) -> None:
    role, phase = str(answers["role"]), str(answers["phase"])
    section = rb.section("rol", f"Specifiek voor uw rol ({spec.step('role').label(role)})")
    for i, item in enumerate(kb.roles[role]):
        rb.add(section, f"rol-{role}-{i}", [item])
    if phase in kb.phases:
        section = rb.section("fase", f"Aandachtspunten in uw fase ({phase_label(phase)})")
        for i, item in enumerate(kb.phases[phase]):
            rb.add(section, f"fase-{phase}-{i}", [item])
    section = rb.section("tot-slot", "Tot slot")
    for i, item in enumerate(kb.closing):
        rb.add(section, f"slot-{i}", [item])


def _notices(answers: Answers) -> list[str]:
    notices = [
        (
            "De kennisbronnen noemen geen bedragen, tarieven of aanvraagprocedures "
            "(bijvoorbeeld voor IZA-transformatiemiddelen of SPUK-bedragen); "
            "controleer actuele regelingen bij de genoemde instanties."
        )
    ]
    if set(answers["bottlenecks"]) & DATED_BOTTLENECKS:
        notices.append(
            "Een deel van het advies komt uit de Parkstad-studie (interviews 2013–2014, "
            "o.a. GEZ-gelden en M&I-modules); die regelingen kunnen inmiddels zijn "
            "veranderd."
        )
    return notices


def build_funding_result(answers: Mapping[str, object], corpus_dir: Path | None = None) -> WizardResult:
    """Cited funding advice for a complete set of answers (validated here)."""
    spec, kb = _load(str(FUNDING_FILE))
    clean = validate_answers(spec, answers)
    chosen = list(clean["bottlenecks"])
    laws = list(clean["laws"])
    rb = ResultBuilder(context=_context(spec, clean), corpus_dir=corpus_dir)
    _add_bottlenecks(rb, spec, kb, chosen)
    _add_models(rb, kb, chosen)
    _add_actions(rb, kb, chosen, str(clean["role"]))
    _add_routes(rb, kb, chosen, laws)
    _add_laws(rb, spec, kb, laws)
    _add_role_and_phase(rb, spec, kb, clean)
    count = len(chosen)
    headline = (
        f"{count} knelpunt{'en' if count != 1 else ''} uitgewerkt voor de rol "
        f"{spec.step('role').label(str(clean['role'])).lower()}"
    )
    return rb.build(spec, clean, headline=headline, notices=_notices(clean))
