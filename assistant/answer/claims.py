"""The default answer from the knowledge base: the best claims for the question, in the
question's language, chosen for relevance and diversity, grouped by kind, each cited [n] to
its verbatim quote. Passages without claims (a document a user added) are filled in with
extractive sentences.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.answer.phrases import phrase
from assistant.knowledge.store import claim_citation
from assistant.retrieval.hybrid import RetrievalResult, RetrievedClaim
from assistant.text.lexicon import GLOSSARY
from assistant.text.tokens import content_stems
from assistant.types import Answer, Chunk, Citation, Document, Language, RetrievedChunk

KIND_GROUP = {
    "definition": "core",
    "model": "core",
    "finding": "core",
    "advice": "do",
    "enabler": "do",
    "barrier": "watch",
    "tool": "tools",
    "example": "examples",
}
GROUPS = ("core", "do", "watch", "tools", "examples")
SUPPORTING = frozenset({"tools", "examples"})
LIST_KINDS = frozenset({"model", "tool", "definition"})
# "Which payment models ...", "welke vormen ...": the user wants the list, so more points.
_LIST_QUESTION = re.compile(
    r"\b(welke|wat zijn de|noem|overzicht|soorten|vormen|which|what are the|list|kinds|"
    r"types|options|mogelijkheden)\b",
    re.I,
)


def is_list_question(question: str) -> bool:
    return bool(_LIST_QUESTION.search(question))


class ClaimComposer:
    def __init__(
        self,
        documents: Mapping[str, Document],
        # About two points per group. Chosen on the dev set (7 -> 10 points: key points 0.59 -> 0.64; 5: 0.52),
        # held-out 0.60 -> 0.66. A phase answer keeps 4 (default.py), so its screen stays one page.
        max_points: int = 10,
        list_points: int = 12,
        diversity: float = 0.5,
        cutoff: float = 0.35,
        list_boost: float = 1.3,
    ) -> None:
        self.documents = documents
        self.max_points, self.list_points, self.list_boost = max_points, list_points, list_boost
        self.diversity, self.cutoff = diversity, cutoff

    def select(self, question: str, retrieval: RetrievalResult, max_points: int) -> list[RetrievedClaim]:
        """Maximal marginal relevance over the retrieved claims."""
        cands = retrieval.claims[:60]
        if not cands:
            return []
        q = _question_stems(question)
        top = cands[0].score
        stems = {c.claim.id: content_stems(c.claim.nl) for c in cands}
        # "Which models/instruments ...": the items of the list are models, tools and definitions.
        listing = LIST_KINDS if is_list_question(question) else frozenset()
        rel = {}
        for c in cands:
            overlap = len(q & content_stems(f"{c.claim.nl} {c.claim.en}")) / len(q) if q else 0.0
            rel[c.claim.id] = (c.score / top) * (0.5 + overlap) * (self.list_boost if c.claim.kind in listing else 1.0)
        best = max(rel.values())
        chosen: list[RetrievedClaim] = []
        pool = [c for c in cands if rel[c.claim.id] >= self.cutoff * best]
        while pool and len(chosen) < max_points:

            def mmr(c: RetrievedClaim) -> float:
                sim = max((_jaccard(stems[c.claim.id], stems[s.claim.id]) for s in chosen), default=0.0)
                return rel[c.claim.id] - self.diversity * best * sim

            pick = max(pool, key=mmr)
            pool.remove(pick)
            if any(pick.claim.quote == s.claim.quote for s in chosen):
                continue
            chosen.append(pick)
        return chosen

    def compose(
        self, question: str, language: Language, retrieval: RetrievalResult, max_points: int | None = None
    ) -> Answer | None:
        """An answer from claims, or None when no claim was retrieved."""
        limit = max_points or (self.list_points if is_list_question(question) else self.max_points)
        chosen = self.select(question, retrieval, limit)
        if not chosen:
            return None
        groups: dict[str, list[RetrievedClaim]] = {g: [] for g in GROUPS}
        lead = leading_point(chosen)
        for c in chosen:
            groups["core" if c is lead else KIND_GROUP[c.claim.kind]].append(c)
        citations: list[Citation] = []
        lines = [phrase(language, "intro_claims")]
        sections: dict[str, list[str]] = {}
        for group in GROUPS:
            if not groups[group]:
                continue
            lines.append(f"\n**{phrase(language, group)}**\n")
            for c in groups[group]:
                n = len(citations) + 1
                citations.append(claim_citation(n, c.claim, self.documents, c.chunk))
                text = c.claim.text(language)
                lines.append(f"- {_md(text)} [{n}]")
                sections.setdefault(group, []).append(text)
        # A claim found by its own key cites a passage below the top k: it was retrieved through the claim.
        via_claims = list({c.chunk.id: c.chunk for c in chosen if not c.retrieved}.values())
        retrieved = retrieval.chunks + [RetrievedChunk(chunk=ch, score=0.0) for ch in via_claims]
        return Answer(
            question=question,
            text="\n".join(lines),
            language=language,
            citations=citations,
            retrieved=retrieved,
            sections=sections,
        )


def leading_point(chosen: list[RetrievedClaim]) -> RetrievedClaim:
    """The best substantive point leads the answer. A pointer to a tool or an example ("de
    publicatie X geeft meer informatie") is not an answer, so it leads only when nothing else was chosen."""
    return next((c for c in chosen if KIND_GROUP[c.claim.kind] not in SUPPORTING), chosen[0])


def claim_passage(rc: RetrievedClaim) -> Chunk:
    """A claim as a short prompt passage: its verbatim quote, at the quote's offsets."""
    at = rc.chunk.text.find(rc.claim.quote)
    start = rc.chunk.start + at if at >= 0 else rc.claim.start
    return rc.chunk.model_copy(update={"text": rc.claim.quote, "start": start, "end": start + len(rc.claim.quote)})


def append_fill(answer: Answer, fill: Answer) -> None:
    """Extractive points from passages without claims, renumbered after the claims."""
    if fill.refused or not fill.citations:
        return
    offset = len(answer.citations)
    lines = [f"\n**{phrase(answer.language, 'extra')}**\n"]
    for c in fill.citations:
        answer.citations.append(c.model_copy(update={"n": c.n + offset}))
        lines.append(f"- {_md(c.quote)} [{c.n + offset}]")
        answer.sections.setdefault("extra", []).append(c.quote)
    answer.text += "\n" + "\n".join(lines)


def _question_stems(question: str) -> set[str]:
    extra = " ".join(GLOSSARY.get(w, "") for w in re.findall(r"[a-z-]+", question.lower()))
    return content_stems(f"{question} {extra}")


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _md(text: str) -> str:
    return re.sub(r"([*_`#<>\[\]])", r"\\\1", text)
