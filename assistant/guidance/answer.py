"""Phase-structured answers for the chat: recognise phase questions, detect a phase, build
now / watch / tools / next sections with verbatim citations.

These functions are pure (no retrieval, no LLM) and fast, so the chat answerer can call them
on every question: `is_phase_question` decides whether to add a phase block,
`detect_phase_in_text` reads a phase from the question (else the profile phase is used), and
`phase_answer` renders the block with citations numbered from a given start.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, Field

from assistant.corpus.cleaning import normalize_for_match
from assistant.guidance.phases import (
    GROUPS,
    equivalent_phases,
    get_model,
    get_phase,
    load_phase_models,
    phase_label,
)
from assistant.guidance.sources import CitationNumbering
from assistant.types import Citation, Language

SECTION_TITLES: dict[str, dict[str, str]] = {
    "nl": {
        "now": "Wat nu te doen",
        "watch": "Waar op te letten",
        "tools": "Instrumenten",
        "next": "Voorbereiden op de volgende fase",
    },
    "en": {
        "now": "What to do now",
        "watch": "What to watch out for",
        "tools": "Tools",
        "next": "Preparing for the next phase",
    },
}

_PHASE_QUESTION = [
    r"fase",
    r"\bphases?\b",
    r"\bstages?\b",
    r"\bstadium\b",
    r"ontwikkelfase",
    r"wat (moeten|kunnen|gaan) we (nu|hierna|als eerste|als volgende)",
    r"wat (is|zijn) (de |onze )?volgende stap",
    r"volgende stap(pen)?",
    r"waar staan we",
    r"hoe (nu )?verder",
    r"waar beginnen we",
    r"what (should|can|do) we do (now|next|first)",
    r"next steps?\b",
    r"where do we stand",
    r"where to (start|begin)",
    r"how to proceed",
]
_NUMBERED = re.compile(r"\b(?:fase|phase|stage|stadium)\s*([1-4])(?:\s*-\s*([1-4]))?\b")
_MODEL_HINTS = [
    ("rivm", re.compile(r"\brivm\b|\bdsv")),
    ("jvei", re.compile(r"\bjvei\b|jan van es|integratiefase|mate van integratie")),
    ("omk", re.compile(r"\bomk\b|ontwikkelingsmodel|\bdmic\b|ketenzorg|vilans")),
]


class GuidanceItem(BaseModel):
    """One piece of phase guidance with its citation and the phase whose data supplied it."""

    text: str
    citation: Citation
    phase_id: str


class PhaseAnswer(BaseModel):
    """A phase block ready for an `Answer`: Markdown with [n] markers, sections, citations."""

    phase_id: str
    label: str
    markdown: str
    sections: dict[str, list[str]] = Field(default_factory=dict)
    citations: list[Citation] = Field(default_factory=list)


def _norm(text: str) -> str:
    return normalize_for_match(text or "")


@lru_cache(maxsize=1)
def _phase_patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for model in load_phase_models().models:
        for phase in model.phases:
            out += [(phase.id, re.compile(k)) for k in phase.keywords]
    return out


def is_phase_question(question: str) -> bool:
    """True when the question is about phases or about what to do next (Dutch or English)."""
    text = _norm(question)
    if any(re.search(p, text) for p in _PHASE_QUESTION):
        return True
    return detect_phase_in_text(question) is not None


def _numbered_phase(text: str) -> tuple[int, str] | None:
    match = _NUMBERED.search(text)
    if not match:
        return None
    first, second = int(match.group(1)), match.group(2)
    model = next((m for m, rx in _MODEL_HINTS if rx.search(text)), None)
    if model is None:
        model = "rivm" if second else "omk"
    number = min(first, 3) if model == "rivm" else first
    return match.start(), f"{model}-{number}"


def detect_phase_in_text(question: str) -> str | None:
    """Phase id named or described in the text (e.g. 'experimentfase' -> omk-2), else None.

    Named phases ('verduurzamingsfase', 'we zijn net gestart') win over bare numbers
    ('fase 2'); a bare number is read in the model the text mentions, OMK by default.
    """
    text = _norm(question)
    best: tuple[int, int, str] | None = None
    for phase_id, pattern in _phase_patterns():
        match = pattern.search(text)
        if match:
            key = (match.start(), -(match.end() - match.start()), phase_id)
            best = key if best is None or key < best else best
    if best is not None:
        return best[2]
    numbered = _numbered_phase(text)
    return numbered[1] if numbered else None


def _items_for(
    phase_id: str, group: str, numbering: CitationNumbering, language: Language, limit: int
) -> list[GuidanceItem]:
    phase = get_phase(phase_id)
    return [
        GuidanceItem(text=item.text_for(language), citation=numbering.cite(item), phase_id=phase.id)
        for item in phase.group(group)[:limit]
    ]


def phase_sections(
    phase_id: str,
    language: Language = "nl",
    numbering: CitationNumbering | None = None,
    fill_from_equivalents: bool = True,
    limit: int = 6,
) -> dict[str, list[GuidanceItem]]:
    """now / watch / tools / next for a phase, each item with a verbatim citation.

    A group the phase's own source leaves empty is filled from the first equivalent phase
    (another model) that has items for it; `GuidanceItem.phase_id` tells where it came from.
    """
    phase = get_phase(phase_id)
    numbering = numbering or CitationNumbering()
    source = get_model(phase.id).source
    # Prefer equivalents from the same document: their wording fits the phase best.
    others = sorted(equivalent_phases(phase.id), key=lambda p: get_model(p).source != source)
    sections: dict[str, list[GuidanceItem]] = {}
    for group in GROUPS:
        items = _items_for(phase.id, group, numbering, language, limit)
        if not items and fill_from_equivalents:
            for other in others:
                items = _items_for(other, group, numbering, language, min(limit, 3))
                if items:
                    break
        sections[group] = items
    return sections


def _render(
    label: str, sections: dict[str, list[GuidanceItem]], language: Language, phase_id: str
) -> tuple[str, dict[str, list[str]]]:
    titles = SECTION_TITLES["en" if language == "en" else "nl"]
    lines = [f"**{label}**", ""]
    plain: dict[str, list[str]] = {}
    for group, items in sections.items():
        if not items:
            continue
        lines.append(f"**{titles[group]}**")
        plain[group] = []
        for item in items:
            via = "" if item.phase_id == phase_id else f" ({phase_label(item.phase_id, language)})"
            entry = f"{item.text}{via} [{item.citation.n}]"
            lines.append(f"- {entry}")
            plain[group].append(entry)
        lines.append("")
    return "\n".join(lines).strip(), plain


def phase_answer(phase_id: str, language: Language = "nl", first_n: int = 1) -> PhaseAnswer:
    """Markdown block with numbered citations starting at `first_n` (to follow other sources)."""
    numbering = CitationNumbering()
    sections = phase_sections(phase_id, language, numbering)
    offset = first_n - 1
    citations = [c.model_copy(update={"n": c.n + offset}) for c in numbering.citations]
    for items in sections.values():
        for item in items:
            item.citation = item.citation.model_copy(update={"n": item.citation.n + offset})
    label = phase_label(phase_id, language)
    markdown, plain = _render(label, sections, language, get_phase(phase_id).id)
    return PhaseAnswer(
        phase_id=get_phase(phase_id).id, label=label, markdown=markdown, sections=plain, citations=citations
    )
