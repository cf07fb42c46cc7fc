"""What happens around either answerer: the prepared context, refusals that say why, and the
enrichment applied after an answer (phase block, the part of a question the corpus lacks).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.phase import add_phase_block
from assistant.answer.phrases import phrase
from assistant.gate.gate import GateDecision
from assistant.knowledge.model import vocabulary
from assistant.retrieval.hybrid import RetrievalResult
from assistant.types import Answer, Document, Language, Profile


@dataclass
class Context:
    """One question, prepared once: both modes answer from the same retrieval."""

    question: str
    language: Language
    query: str  # what was retrieved with (follow-ups borrow the previous question, phases their name)
    phase_id: str | None
    profile: Profile | None
    retrieval: RetrievalResult
    decision: GateDecision

    @property
    def answerable(self) -> bool:
        # A phase question is answered by the phase guidance even when the passages are weak.
        d = self.decision
        return d.answerable or (self.phase_id is not None and not d.intents and not d.unknown_terms)


def nearby_topics(retrieval: RetrievalResult, language: Language, n: int = 3) -> list[str]:
    """Topics of the best claims found: what the corpus does cover near the question."""
    vocab = vocabulary()
    topics: list[str] = []
    for rc in retrieval.claims[:10]:
        for t in rc.claim.topics:
            if t not in topics:
                topics.append(t)
    return [vocab.label("topics", t, language).lower() for t in topics[:n]]


def refusal(question: str, language: Language, decision: GateDecision, retrieval: RetrievalResult) -> Answer:
    """Why the documents do not answer, in the question's language, and what they cover nearby."""
    lines = [phrase(language, "refusal")]
    reason = next((i for i in sorted(decision.intents) if f"refusal_{i}" in _REASONS), None)
    if decision.unknown_terms:
        unique = {t.casefold(): t for t in reversed(decision.unknown_terms)}  # 'Wmo' and 'wmo' once
        terms = ", ".join(f"'{t}'" for t in reversed(list(unique.values())))
        lines.append(phrase(language, "refusal_terms", terms=terms))
    if reason:
        lines.append(phrase(language, f"refusal_{reason}"))
    elif not decision.unknown_terms:
        lines.append(phrase(language, "refusal_weak"))
    named = {t.casefold() for t in decision.unknown_terms}
    near = (
        [t for t in nearby_topics(retrieval, language) if t.casefold() not in named] if reason not in _NO_NEARBY else []
    )
    hint = phrase(language, "refusal_nearby", topics=", ".join(near)) if near else phrase(language, "refusal_hint")
    lines.append(hint)
    return Answer(
        question=question,
        text=" ".join(lines),
        language=language,
        refused=True,
        sections={"refusal_reason": [reason or ("terms" if decision.unknown_terms else "weak")]},
    )


_REASONS = {
    f"refusal_{i}"
    for i in (
        "contact",
        "opening_hours",
        "amount",
        "date_figure",
        "clinical",
        "legal_tax",
        "current_events",
        "creative",
        "off_task",
        "meta",
    )
}
_NO_NEARBY = {"creative", "off_task", "meta"}


def enrich(answer: Answer, ctx: Context) -> None:
    """After either answerer: the phase block, and a note on the part the corpus does not cover."""
    add_phase_block(answer, ctx.profile, ctx.phase_id)
    missing = [i for i in ctx.decision.unsupported if f"refusal_{i}" in _REASONS]
    if ctx.decision.answerable and missing:
        note = phrase(ctx.language, "partial", what=phrase(ctx.language, f"missing_{missing[0]}"))
        answer.notice = " ".join(n for n in (answer.notice, note) if n)
        answer.sections["not_covered"] = missing


def pin_pages(answer: Answer, documents: dict[str, Document]) -> None:
    """Each citation names the page its quote is on, not the page where its passage starts
    (a passage can run over a page break of a PDF)."""
    for c in answer.citations:
        doc = documents.get(c.doc_id)
        if doc is not None and doc.page_starts and doc.text[c.start : c.end] == c.quote:
            c.page = doc.page_at(c.start)
