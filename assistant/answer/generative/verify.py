"""Check a generated answer against the passages it was given, claim by claim.

Each sentence of the answer is a claim. Its [n] markers must name passages that were
given, and the claim must be supported by one of them: a deterministic lexical test
(share of the claim's content-word stems found in the passage, Dutch and English
stopwords removed, 6-character prefix stems) plus a hard rule that every number in the
claim occurs in the passage. The lexical test cannot see across languages, so an
optional embedder (multilingual e5) adds a semantic test for claims that are not in
Dutch (the corpus language). Thresholds are calibrated on the labelled pairs in
tests/data/verify_pairs.json: `python scripts/calibrate_verify.py [--e5]`.

The verified text keeps only supported claims; every citation quotes the passage
sentence that overlaps the claim most, verbatim, with offsets into the cleaned document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.text.language import detect_language
from assistant.text.sentences import ABBREVIATION, Span, sentence_spans
from assistant.text.tokens import content_stems, numbers
from assistant.types import Chunk, Citation, Document

# Calibrated on tests/data/verify_pairs.json (Dutch accuracy plateau 0.55-0.70).
LEXICAL_THRESHOLD = 0.6
# e5-small cosine of claim (query:) and passage sentence (passage:); non-Dutch claims only.
SEMANTIC_THRESHOLD = 0.86
MIN_QUOTE_CHARS = 25

_MARKER = re.compile(r"\[\s*(\d+(?:\s*(?:,|;|-|–|en|and)\s*\d+)*)\s*\]")
_CLAIM_END = re.compile(r"(?<=[.!?])((?:\s*\[[^\]\n]{1,20}\])*)(?:[ \t]+|$)")
_LIST_PREFIX = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")


class SemanticScorer:
    """Optional: cosine between a claim and passage sentences (e.g. the e5 embedder).

    `embedder` has embed_query(text) and embed_passages(texts) returning normalised
    vectors (assistant.embedding.E5Embedder). Passage sentence vectors are cached.
    """

    def __init__(self, embedder: Any, cache_size: int = 256) -> None:
        self.embedder = embedder
        self._cache: dict[tuple[str, ...], Any] = {}
        self._cache_size = cache_size

    def best(self, claim: str, sentences: Sequence[str]) -> float:
        import numpy as np

        if not sentences:
            return 0.0
        key = tuple(sentences)
        if key not in self._cache:
            if len(self._cache) >= self._cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = np.asarray(self.embedder.embed_passages(list(sentences)))
        q = np.asarray(self.embedder.embed_query(claim))
        return float((self._cache[key] @ q).max())


@dataclass
class Claim:
    text: str  # the sentence without its markers
    cited: list[int]  # passage numbers as written
    prefix: str = ""  # list bullet, kept in the output
    line: int = 0


@dataclass
class ClaimCheck:
    claim: Claim
    supported: bool
    score: float
    passage: int | None = None  # supporting passage number (1-based)
    quote: Span | None = None
    reason: str = ""


@dataclass
class Verification:
    text: str
    citations: list[Citation]
    checks: list[ClaimCheck] = field(default_factory=list)

    @property
    def supported(self) -> list[ClaimCheck]:
        return [c for c in self.checks if c.supported and c.passage is not None]

    @property
    def unsupported(self) -> list[ClaimCheck]:
        return [c for c in self.checks if not c.supported]


def parse_markers(text: str) -> list[int]:
    nums: list[int] = []
    for m in _MARKER.finditer(text):
        for a, sep, b in re.findall(r"(\d+)\s*(-|–)?\s*(\d+)?", m.group(1)):
            if sep and b and 0 < int(b) - int(a) < 10:
                nums.extend(range(int(a), int(b) + 1))
            else:
                nums.extend(int(x) for x in (a, b) if x)
    return list(dict.fromkeys(nums))


def split_claims(answer: str) -> list[Claim]:
    """Sentences of the answer with their [n] markers; markers after a full stop count."""
    claims: list[Claim] = []
    for i, line in enumerate(answer.splitlines()):
        m = _LIST_PREFIX.match(line)
        prefix, body = (m.group(0).strip() + " ", line[m.end() :]) if m else ("", line)
        pos = 0
        ends = [e.end() for e in _CLAIM_END.finditer(body) if e.group(1) or not ABBREVIATION.search(body[: e.start()])]
        for end in [*ends, len(body)]:
            sentence = body[pos:end].strip()
            pos = end
            if not sentence:
                continue
            text = re.sub(r"\s+([.,;:!?])", r"\1", _MARKER.sub("", sentence)).strip()
            if not text.strip(".!?;: ") and claims and claims[-1].line == i:
                claims[-1].cited += parse_markers(sentence)  # markers left on their own
                continue
            claims.append(Claim(text, parse_markers(sentence), prefix, i))
            prefix = ""
    return claims


def is_connective(text: str) -> bool:
    """No content words, or an introduction to what follows ('Volgens de bronnen:')."""
    return not content_stems(text) or text.rstrip().endswith(":")


def lexical_support(claim: str, passage: str) -> float:
    """Share of the claim's content stems that occur in the passage (0 when none)."""
    c = content_stems(claim)
    return len(c & content_stems(passage)) / len(c) if c else 0.0


def numbers_ok(claim: str, passage: str) -> bool:
    return numbers(claim) <= numbers(passage)


def best_sentence(claim: str, chunk: Chunk) -> Span | None:
    """The passage sentence sharing most content stems with the claim (a quotable one)."""
    spans = sentence_spans(chunk.text)
    quotable = [s for s in spans if len(s.text) >= MIN_QUOTE_CHARS] or spans
    if not quotable:
        return None
    c = content_stems(claim)

    def key(s: Span) -> tuple[float, float]:
        p = content_stems(s.text)
        inter = len(c & p)
        return (inter / len(c) if c else 0.0, inter / len(c | p) if c | p else 0.0)

    return max(quotable, key=key)


class Verifier:
    def __init__(
        self,
        *,
        threshold: float = LEXICAL_THRESHOLD,
        semantic: SemanticScorer | None = None,
        semantic_threshold: float = SEMANTIC_THRESHOLD,
        documents: Mapping[str, Document] | None = None,
    ) -> None:
        self.threshold = threshold
        self.semantic = semantic
        self.semantic_threshold = semantic_threshold
        self.documents = documents

    def supports(self, claim: str, chunk: Chunk) -> tuple[bool, float]:
        """Is `claim` supported by `chunk`? Returns (decision, lexical score)."""
        score = lexical_support(claim, chunk.text)
        if not numbers_ok(claim, chunk.text):
            return False, score
        if score >= self.threshold:
            return True, score
        if self.semantic is not None and detect_language(claim) != "nl":
            sentences = [s.text for s in sentence_spans(chunk.text)]
            similarity = self.semantic.best(claim, sentences)
            return similarity >= self.semantic_threshold, score
        return False, score

    def check(self, claim: Claim, passages: Sequence[Chunk]) -> ClaimCheck:
        valid = [n for n in claim.cited if 1 <= n <= len(passages)]
        if is_connective(claim.text):
            return ClaimCheck(claim, True, 1.0, valid[0] if valid else None, reason="connective")
        # The cited passages first; when none supports the claim (small models often
        # cite the wrong number, or none) the other passages: a claim keeps only a
        # citation that was verified, whichever passage it names.
        best = self._best(claim.text, passages, valid)
        others = [n for n in range(1, len(passages) + 1) if n not in valid]
        if not best.supported and others:
            found = self._best(claim.text, passages, others)
            if found.supported:
                found.reason = "citation corrected" if valid else "citation added"
                best = found
        best.claim = claim
        if best.supported and best.passage is not None:
            best.quote = best_sentence(claim.text, passages[best.passage - 1])
        return best

    def _best(self, claim: str, passages: Sequence[Chunk], candidates: list[int]) -> ClaimCheck:
        best = ClaimCheck(Claim(claim, []), False, 0.0, reason="not supported")
        for n in candidates:
            ok, score = self.supports(claim, passages[n - 1])
            if ok and (not best.supported or score > best.score):
                best = ClaimCheck(best.claim, True, score, n, reason="cited")
            elif not best.supported and score > best.score:
                best.score = score
        return best

    def verify(self, answer: str, passages: Sequence[Chunk]) -> Verification:
        checks = [self.check(c, passages) for c in split_claims(answer)]
        return self._assemble(checks, passages)

    def _assemble(self, checks: list[ClaimCheck], passages: Sequence[Chunk]) -> Verification:
        citations: list[Citation] = []
        index: dict[tuple[str, int], int] = {}
        lines: dict[int, list[str]] = {}
        for c in checks:
            if not c.supported:
                continue
            marker = ""
            if c.passage is not None and c.quote is not None:
                chunk = passages[c.passage - 1]
                key = (chunk.id, c.quote.start)
                if key not in index:
                    cit = self._citation(len(citations) + 1, chunk, c.quote)
                    if cit is not None:
                        citations.append(cit)
                        index[key] = cit.n
                marker = f" [{index[key]}]" if key in index else ""
            lines.setdefault(c.claim.line, []).append(c.claim.prefix + _with_marker(c.claim.text, marker))
        text = "\n".join(" ".join(parts) for _, parts in sorted(lines.items()))
        return Verification(text, citations, checks)

    def _citation(self, n: int, chunk: Chunk, quote: Span) -> Citation | None:
        start, end = chunk.start + quote.start, chunk.start + quote.end
        doc = self.documents.get(chunk.doc_id) if self.documents is not None else None
        if doc is not None and doc.text[start:end] != quote.text:
            found = doc.text.find(quote.text, max(0, chunk.start - 50))
            if found < 0:
                return None
            start, end = found, found + len(quote.text)
        page = doc.page_at(start) if doc is not None and doc.page_starts else chunk.page
        return Citation(
            n=n,
            chunk_id=chunk.id,
            doc_id=chunk.doc_id,
            title=chunk.title,
            section=chunk.section,
            page=page,
            quote=quote.text,
            start=start,
            end=end,
        )


def _with_marker(text: str, marker: str) -> str:
    """'Zin.' + ' [1]' -> 'Zin [1].'"""
    if marker and text[-1:] in ".!?":
        return text[:-1] + marker + text[-1]
    return text + marker
