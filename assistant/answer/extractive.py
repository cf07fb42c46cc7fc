"""The default answer without an LLM: the best sentences of the best passages, quoted
verbatim, grouped for a decision (key points, what to do, what to watch), each cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.phrases import phrase
from assistant.answer.scope import ScopeChecker
from assistant.corpus.cleaning import normalize_for_match
from assistant.retrieval.hybrid import RetrievalResult
from assistant.text.lexicon import GLOSSARY
from assistant.text.sentences import sentence_offsets
from assistant.text.tokens import Decompounder, tokenize
from assistant.types import Answer, Citation, Language, RetrievedChunk

_WATCH = re.compile(
    r"\b(risico|valkuil|knelpunt|let op|probleem|lastig|moeilijk|barrière|belemmer|"
    r"onvoldoende|onderschat|gevaar|nadeel|nadelen|niet zonder|struikel|uitdaging)",
    re.I,
)
_DO = re.compile(
    r"\b(moet|moeten|belangrijk|zorg voor|zorg dat|aanbevel|advies|adviseer|raden|"
    r"kunnen|kan helpen|helpt|start|begin|maak|investeer|leg vast|regel|oplossing)",
    re.I,
)
# Signposts ("In hoofdstuk 3 bespreken we ...") describe the document, not the subject.
_SIGNPOST = re.compile(
    r"^(?:in\s+)?(?:(?:dit|deze|het|de)\s+(?:\w+\s+)?)?"
    r"(?:hoofdstuk|paragraaf|sectie|bijlage|leeswijzer)(?:ken|s)?\b",
    re.I,
)
MIN_SENTENCE, MAX_SENTENCE = 40, 700


@dataclass
class Candidate:
    retrieved: RetrievedChunk
    rank: int
    start: int  # absolute offsets in the cleaned document
    end: int
    text: str
    score: float


class ExtractiveAnswerer:
    def __init__(
        self,
        scope: ScopeChecker,
        max_points: int = 6,
        passages: int = 5,
        min_dense: float = 0.80,
        compounds: Decompounder | None = None,
    ) -> None:
        self.scope, self.max_points, self.passages, self.min_dense = scope, max_points, passages, min_dense
        self.compounds = compounds

    def refusal(self, question: str, language: Language, unknown: list[str], reason: str = "refusal_weak") -> Answer:
        lines = [phrase(language, "refusal")]
        lines.append(
            phrase(language, "refusal_terms", terms=", ".join(f"'{t}'" for t in unknown))
            if unknown
            else phrase(language, reason)
        )
        lines.append(phrase(language, "refusal_hint"))
        return Answer(question=question, text=" ".join(lines), language=language, refused=True)

    def _term_weights(self, query: str, language: Language) -> dict[str, float]:
        weights = {t: self.scope.idf(t) for t in tokenize(query, expand=True, compounds=self.compounds)}
        if language == "en":
            # English words also occur in the corpus's English reference lists; the Dutch
            # glossary terms are what the Dutch prose uses.
            dutch = set(tokenize(" ".join(GLOSSARY.get(w, "") for w in query.lower().split())))
            weights = {t: w if t in dutch else 0.3 * w for t, w in weights.items()}
        return weights

    def _candidates(self, query: str, language: Language, retrieval: RetrievalResult) -> list[Candidate]:
        weights = self._term_weights(query, language)
        total = sum(weights.values()) or 1.0
        out = []
        for rank, rc in enumerate(retrieval.chunks[: self.passages]):
            chunk = rc.chunk
            for a, b in sentence_offsets(chunk.text):
                text = chunk.text[a:b]
                if not is_quotable(text):
                    continue
                overlap = sum(weights.get(t, 0.0) for t in set(tokenize(text, compounds=self.compounds))) / total
                # Better-ranked passages win ties: the fused ranking already weighed meaning.
                score = overlap / (1 + 0.25 * rank)
                out.append(Candidate(rc, rank, chunk.start + a, chunk.start + b, text, score))
        return sorted(out, key=lambda c: -c.score)

    def _select(self, cands: list[Candidate], max_points: int) -> list[Candidate]:
        chosen: list[Candidate] = []
        per_chunk: dict[str, int] = {}
        seen: set[str] = set()
        for c in cands:
            key = normalize_for_match(c.text)[:80]
            cid = c.retrieved.chunk.id
            if key in seen or per_chunk.get(cid, 0) >= 2 or (chosen and c.score < 0.12):
                continue
            chosen.append(c)
            seen.add(key)
            per_chunk[cid] = per_chunk.get(cid, 0) + 1
            if len(chosen) == max_points:
                break
        # Read in document order within a passage: quotes then follow the author's argument.
        return sorted(chosen, key=lambda c: (c.rank, c.start))

    def compose(
        self,
        question: str,
        query: str,
        language: Language,
        retrieval: RetrievalResult,
        max_points: int | None = None,
        has_guidance: bool = False,
    ) -> Answer:
        """`has_guidance`: a phase block will follow, so weak passages give an empty lead, not a refusal."""
        weak = not retrieval.chunks or retrieval.top_dense < self.min_dense
        chosen = (
            [] if weak else self._select(self._candidates(query, language, retrieval), max_points or self.max_points)
        )
        if not chosen:
            if has_guidance:
                return Answer(question=question, text="", language=language)
            return self.refusal(question, language, [])
        citations, groups = self._group(chosen)
        text = render(language, groups)
        sections = {k: [line for line, _ in v] for k, v in groups.items() if v}
        return Answer(
            question=question,
            text=text,
            language=language,
            citations=citations,
            retrieved=retrieval.chunks,
            sections=sections,
        )

    def _group(self, chosen: list[Candidate]) -> tuple[list[Citation], dict[str, list[tuple[str, int]]]]:
        """Sort quotes into key points / what to do / what to watch; number in reading order."""
        kinds: dict[str, list[Candidate]] = {"core": [], "do": [], "watch": []}
        for c in chosen:
            kind = "watch" if _WATCH.search(c.text) else "do" if _DO.search(c.text) else "core"
            kinds["core" if not kinds["core"] else kind].append(c)  # the best statement always leads
        groups: dict[str, list[tuple[str, int]]] = {k: [] for k in kinds}
        citations: list[Citation] = []
        for kind, cands in kinds.items():
            for c in cands:
                n = len(citations) + 1
                ch = c.retrieved.chunk
                citations.append(
                    Citation(
                        n=n,
                        chunk_id=ch.id,
                        doc_id=ch.doc_id,
                        title=ch.title,
                        section=ch.section,
                        page=ch.page,
                        quote=c.text,
                        start=c.start,
                        end=c.end,
                    )
                )
                groups[kind].append((c.text, n))
        return citations, groups


def is_quotable(text: str) -> bool:
    """A sentence that can stand alone as a point: prose, not a question, signpost or fragment
    (a heading cut off at a line-break hyphen ends in "-")."""
    return (
        MIN_SENTENCE <= len(text) <= MAX_SENTENCE
        and is_prose(text)
        and not text.endswith(("?", "-"))
        and not _SIGNPOST.match(text)
        and not (text[0].islower() or text[0] in "(,;:)")
    )


def is_prose(text: str) -> bool:
    """Running text, not a search string, table row or reference: letters dominate, few quotes."""
    letters = sum(ch.isalpha() or ch.isspace() for ch in text)
    quotes = sum(text.count(q) for q in '"“”')
    operators = len(re.findall(r"\b(?:AND|OR)\b", text))
    return letters / max(1, len(text)) > 0.85 and quotes <= 4 and operators < 2


def _md(text: str) -> str:
    text = re.sub(r"^[•\-–]\s*", "", text.replace("\n", " "))
    return re.sub(r"([*_`#<>\[\]])", r"\\\1", text)


def render(language: Language, groups: dict[str, list[tuple[str, int]]]) -> str:
    parts = [phrase(language, "intro")]
    for key in ("core", "do", "watch"):
        if groups.get(key):
            parts.append(f"\n**{phrase(language, key)}**\n")
            parts += [f"- {_md(t)} [{n}]" for t, n in groups[key]]
    return "\n".join(parts)
