"""Phase models of the corpus (OMK, RIVM, RIVM transformation, JVEI) loaded from phases.yaml.

Networks ask "what should we do now?"; the honest answer depends on their phase, and the
corpus describes phases in four different models. Keeping them as data (with verbatim
quotes) lets the chat, the self-assessment and the wizards give the same, cited guidance.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from assistant.guidance.sources import (
    CitationNumbering,
    SourcedItem,
    load_yaml,
    quote_span,
)
from assistant.types import Citation, Language

PHASES_FILE = Path(__file__).with_name("phases.yaml")
GROUPS: tuple[str, ...] = ("now", "watch", "tools", "next")
Group = Literal["characteristics", "now", "watch", "tools", "next"]


class UnknownPhaseError(ValueError):
    """A phase id that is not in phases.yaml; the message is Dutch and lists valid ids."""


class Phase(BaseModel):
    id: str
    number: int
    name: str
    name_en: str
    section: str = ""
    keywords: list[str] = Field(default_factory=list)  # regexes for detect_phase_in_text
    characteristics: list[SourcedItem] = Field(default_factory=list)
    now: list[SourcedItem] = Field(default_factory=list)
    watch: list[SourcedItem] = Field(default_factory=list)
    tools: list[SourcedItem] = Field(default_factory=list)
    next: list[SourcedItem] = Field(default_factory=list)

    def group(self, name: str) -> list[SourcedItem]:
        if name not in ("characteristics", *GROUPS):
            raise ValueError(f"Onbekende groep '{name}'")
        items: list[SourcedItem] = getattr(self, name)
        return items

    def all_items(self) -> list[SourcedItem]:
        return [item for name in ("characteristics", *GROUPS) for item in self.group(name)]


class PhaseModel(BaseModel):
    id: str
    name: str
    name_en: str
    short: str
    source: str
    section: str = ""
    description: str
    description_quote: str
    phases: list[Phase]

    def description_item(self) -> SourcedItem:
        return SourcedItem(text=self.description, quote=self.description_quote, doc=self.source, section=self.section)


class PhaseCatalog(BaseModel):
    """All phase models plus the (symmetric, non-transitive) equivalences between phases."""

    version: int = 1
    models: list[PhaseModel]
    equivalences: list[tuple[str, str]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> PhaseCatalog:
        seen: set[str] = set()
        for model in self.models:
            for phase in model.phases:
                if phase.id in seen:
                    raise ValueError(f"Dubbele fase-id '{phase.id}' in phases.yaml")
                seen.add(phase.id)
                _apply_default_sections(phase, phase.section or model.section)
        for a, b in self.equivalences:
            if a not in seen or b not in seen:
                raise ValueError(f"Equivalentie verwijst naar onbekende fase: {a} ~ {b}")
        return self

    def phase_ids(self) -> list[str]:
        return [p.id for m in self.models for p in m.phases]

    def find(self, phase_id: str) -> tuple[PhaseModel, Phase]:
        key = (phase_id or "").strip().lower()
        for model in self.models:
            for phase in model.phases:
                if phase.id == key:
                    return model, phase
        raise UnknownPhaseError(f"Onbekende fase '{phase_id}'. Kies een van: {', '.join(self.phase_ids())}.")


def _apply_default_sections(phase: Phase, default: str) -> None:
    for item in phase.all_items():
        if not item.section:
            item.section = default


@lru_cache(maxsize=4)
def _load(path: str) -> PhaseCatalog:
    return PhaseCatalog.model_validate(load_yaml(Path(path)))


def load_phase_models(path: Path | None = None) -> PhaseCatalog:
    """Parsed and validated phase models (cached; the YAML ships with the package)."""
    return _load(str(path or PHASES_FILE))


def get_phase(phase_id: str) -> Phase:
    """The phase with this id; raises UnknownPhaseError (a ValueError) otherwise."""
    return load_phase_models().find(phase_id)[1]


def get_model(phase_id: str) -> PhaseModel:
    """The model a phase belongs to."""
    return load_phase_models().find(phase_id)[0]


def all_phase_ids() -> list[str]:
    return load_phase_models().phase_ids()


def phase_label(phase_id: str, language: Language = "nl") -> str:
    """Human label, e.g. 'OMK fase 2 – Experiment- en uitvoeringsfase'."""
    model, phase = load_phase_models().find(phase_id)
    if language == "en":
        return f"{model.short} phase {phase.number} – {phase.name_en}"
    if phase.name.lower().startswith("fase"):
        return f"{model.short} {phase.name}"
    return f"{model.short} fase {phase.number} – {phase.name}"


def equivalent_phases(phase_id: str) -> list[str]:
    """Phases of other models that correspond to this one, in the order listed in the YAML."""
    catalog = load_phase_models()
    key = catalog.find(phase_id)[1].id
    out: list[str] = []
    for a, b in catalog.equivalences:
        other = b if a == key else a if b == key else None
        if other and other not in out:
            out.append(other)
    return out


def phase_citations(
    phase_id: str,
    groups: tuple[str, ...] = ("characteristics", *GROUPS),
    numbering: CitationNumbering | None = None,
) -> list[Citation]:
    """Citations for the items of a phase, numbered consistently via `numbering`.

    Pass a shared CitationNumbering when combining several phases or sources in one answer,
    so that repeated quotes keep their number.
    """
    phase = get_phase(phase_id)
    numbering = numbering or CitationNumbering()
    out: list[Citation] = []
    for name in groups:
        for item in phase.group(name):
            citation = numbering.cite(item)
            if citation not in out:
                out.append(citation)
    return out


def phase_passages(phase_id: str, include_equivalents: bool = True) -> list[tuple[str, int, int]]:
    """(doc_id, start, end) spans behind a phase's guidance, for boosting retrieval.

    The chat can prefer chunks overlapping these spans when a user's phase is known; the
    equivalences add passages from corresponding phases of the other models.
    """
    ids = [get_phase(phase_id).id]
    if include_equivalents:
        ids += equivalent_phases(phase_id)
    spans: list[tuple[str, int, int]] = []
    for pid in ids:
        for item in get_phase(pid).all_items():
            start, end = quote_span(item.doc, item.quote)
            span = (item.doc, start, end)
            if span not in spans:
                spans.append(span)
    return spans
