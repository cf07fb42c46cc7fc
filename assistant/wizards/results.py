"""Result objects shared by the wizards, plus the builder that numbers their citations.

A result is self-contained: it holds the answers it was computed from, the date, the corpus
version and every citation, so an exported Markdown/PDF or a shared link can be traced back
and reproduced. Each recommendation carries enough context to become a chat question.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.guidance.sources import CitationNumbering, SourcedItem, corpus_version
from assistant.types import Citation
from assistant.wizards.engine import Answers, WizardSpec

UNKNOWN_PHASE = (
    "U koos ‘weet ik niet’ bij de fase; de zelfscan ‘Waar staan we?’ helpt uw fase te "
    "bepalen, waarna het advies per fase wordt aangevuld."
)


class ResultItem(BaseModel):
    """One recommendation: text, the citations behind it and a one-line context for follow-up."""

    key: str
    text: str
    citations: list[Citation] = Field(default_factory=list)
    context: str = ""


class ResultSection(BaseModel):
    id: str
    title: str
    intro: str = ""
    items: list[ResultItem] = Field(default_factory=list)


class WizardResult(BaseModel):
    wizard_id: str
    title: str
    headline: str = ""
    answers: Answers
    answer_summary: list[tuple[str, str]] = Field(default_factory=list)  # (question, answer)
    sections: list[ResultSection] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    scores: dict[str, int] = Field(default_factory=dict)  # when a wizard ranks options
    created: str
    corpus_version: str

    def items(self) -> list[ResultItem]:
        return [item for section in self.sections for item in section.items]

    def section(self, section_id: str) -> ResultSection | None:
        return next((s for s in self.sections if s.id == section_id), None)


def followup_question(item: ResultItem) -> str:
    """A chat question that carries the recommendation and its context.

    The UI stores it as the pending chat question, so the user can ask "how do we do this?"
    about a specific recommendation without retyping the situation.
    """
    question = f"Ik wil meer weten over dit advies: '{item.text.rstrip('.')}'."
    if item.context:
        question += f" Onze situatie: {item.context}."
    return question + " Wat kunnen wij concreet doen, en wat zeggen de bronnen hierover?"


def summarise_answers(spec: WizardSpec, answers: Answers) -> list[tuple[str, str]]:
    """(question, chosen labels) pairs, in step order, for display and export."""
    summary = []
    for step in spec.steps:
        value = answers.get(step.id)
        if value is None:
            label = "–"
        elif isinstance(value, list):
            label = ", ".join(step.label(v) for v in value) or "–"
        else:
            label = step.label(value)
        summary.append((step.question, label))
    return summary


class ResultBuilder:
    """Collects sections and items while numbering citations once per result."""

    def __init__(self, context: str = "", corpus_dir: Path | None = None) -> None:
        self.numbering = CitationNumbering(corpus_dir=corpus_dir)
        self.sections: list[ResultSection] = []
        self.context = context
        self.corpus_dir = corpus_dir

    def section(self, section_id: str, title: str, intro: str = "") -> ResultSection:
        found = next((s for s in self.sections if s.id == section_id), None)
        if found is None:
            found = ResultSection(id=section_id, title=title, intro=intro)
            self.sections.append(found)
        return found

    def add(
        self,
        section: ResultSection,
        key: str,
        sources: list[SourcedItem],
        text: str | None = None,
        context: str | None = None,
    ) -> ResultItem:
        """Add an item citing `sources`; its text defaults to the first source's text."""
        if not sources:
            raise ValueError(f"Item '{key}' heeft geen bron; elk advies moet geciteerd zijn")
        item = ResultItem(
            key=key,
            text=text or sources[0].text,
            citations=[self.numbering.cite(s) for s in sources],
            context=self.context if context is None else context,
        )
        section.items.append(item)
        return item

    def build(
        self, spec: WizardSpec, answers: Answers, headline: str = "", notices: list[str] | None = None
    ) -> WizardResult:
        return WizardResult(
            wizard_id=spec.id,
            title=spec.title,
            headline=headline,
            answers=answers,
            answer_summary=summarise_answers(spec, answers),
            sections=[s for s in self.sections if s.items],
            notices=(notices or []) + ([UNKNOWN_PHASE] if answers.get("phase") == "onbekend" else []),
            citations=list(self.numbering.citations),
            created=date.today().isoformat(),
            corpus_version=corpus_version(self.corpus_dir),
        )
