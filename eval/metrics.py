"""Metrics: plain functions `metric(case, result) -> float | None` (None = not applicable).

Evidence matching: a span is *found* in a text when `normalize_for_match(span)` is a substring
of `normalize_for_match(text)` (case, whitespace, hyphenation and extraction artefacts do not
count). Spans are matched per chunk: a span that straddles two chunks, or is longer than a
chunk, is not found. Retrieval metrics use `answer.retrieved` in rank order (best first); when
fewer than k chunks were retrieved, "top k" is all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

from assistant.corpus.cleaning import normalize_for_match
from assistant.types import Answer
from eval.keypoints import DEFAULT_THRESHOLD, answer_material, keypoint_score
from eval.questions import Case

Metric = Callable[[Case, "Result"], float | None]
KS = (1, 3, 5, 10)
MRR_DEPTH = 10


@dataclass
class Result:
    """What one question produced: the answer plus what the metrics need around it."""

    answer: Answer
    wall_ms: float = 0.0  # measured around `ask`
    doc_texts: Mapping[str, str] | None = None  # cleaned text per doc id (verbatim checks)
    error: str | None = None  # exception text when `ask` failed

    @cached_property
    def chunk_norms(self) -> list[str]:
        return [normalize_for_match(r.chunk.text) for r in self.answer.retrieved]


def _spans(case: Case) -> list[str]:
    return [normalize_for_match(s) for s in case.evidence]


def _found(span: str, norms: list[str]) -> bool:
    return any(span in text for text in norms)


def _retrieval_case(case: Case) -> bool:
    return case.in_scope and bool(case.evidence)


def doc_hit_at_k(case: Case, result: Result, k: int) -> float | None:
    """1 if any of the top k retrieved chunks comes from one of `case.expected_docs`, else 0.
    In-scope questions only (None for out_of_scope)."""
    if not case.in_scope:
        return None
    top = result.answer.retrieved[:k]
    return float(any(r.chunk.doc_id in case.expected_docs for r in top))


def evidence_hit_at_k(case: Case, result: Result, k: int) -> float | None:
    """1 if any evidence span is found in any of the top k chunks, else 0.
    In-scope questions with evidence only."""
    if not _retrieval_case(case):
        return None
    norms = result.chunk_norms[:k]
    return float(any(_found(span, norms) for span in _spans(case)))


def evidence_recall_at_k(case: Case, result: Result, k: int) -> float | None:
    """Share of the evidence spans that are found in at least one of the top k chunks.
    In-scope questions with evidence only."""
    if not _retrieval_case(case):
        return None
    norms = result.chunk_norms[:k]
    spans = _spans(case)
    return sum(_found(span, norms) for span in spans) / len(spans)


def mrr(case: Case, result: Result) -> float | None:
    """1/rank of the first retrieved chunk (1-based) that contains any evidence span; 0 when
    none of the top 10 does. In-scope questions with evidence only."""
    if not _retrieval_case(case):
        return None
    spans = _spans(case)
    for rank, text in enumerate(result.chunk_norms[:MRR_DEPTH], start=1):
        if any(span in text for span in spans):
            return 1.0 / rank
    return 0.0


def citation_valid(answer: Answer, doc_texts: Mapping[str, str], index: int) -> bool:
    """Whether citation `index` quotes its document verbatim and cites a retrieved chunk."""
    cit = answer.citations[index]
    text = doc_texts.get(cit.doc_id)
    if not cit.quote.strip() or text is None or cit.quote not in text:
        return False
    return not cit.chunk_id or cit.chunk_id in {r.chunk.id for r in answer.retrieved}


def citation_validity(case: Case, result: Result) -> float | None:
    """Share of citations that are valid: the quote is non-empty and occurs verbatim (exact
    substring) in the cleaned text of the citation's doc_id, and its chunk_id is one of the
    retrieved chunks' ids (citations with an empty chunk_id: only the verbatim check).
    None when the answer has no citations. All questions, including out_of_scope."""
    n = len(result.answer.citations)
    if n == 0:
        return None
    texts = result.doc_texts or {}
    return sum(citation_valid(result.answer, texts, i) for i in range(n)) / n


def evidence_support(case: Case, result: Result) -> float | None:
    """1 if any citation's quote, or the retrieved chunk it cites (by chunk_id), contains an
    evidence span (normalised match), else 0 (also 0 without citations or when refused).
    In-scope questions with evidence only."""
    if not _retrieval_case(case):
        return None
    chunks = {r.chunk.id: r.chunk.text for r in result.answer.retrieved}
    texts = [c.quote for c in result.answer.citations]
    texts += [chunks[c.chunk_id] for c in result.answer.citations if c.chunk_id in chunks]
    norms = [normalize_for_match(t) for t in texts]
    return float(any(_found(span, norms) for span in _spans(case)))


def keypoint_coverage(case: Case, result: Result) -> float | None:
    """Share of `case.key_points` covered by the answer text plus its cited quotes, where
    covered means keypoint_score >= DEFAULT_THRESHOLD (see eval.keypoints). Key points without
    content words are skipped. In-scope questions with key points only."""
    if not case.in_scope:
        return None
    material = answer_material(result.answer.text, [c.quote for c in result.answer.citations])
    scores = [keypoint_score(kp, material) for kp in case.key_points]
    known = [s for s in scores if s is not None]
    if not known:
        return None
    return sum(s >= DEFAULT_THRESHOLD for s in known) / len(known)


def refusal_accuracy(case: Case, result: Result) -> float | None:
    """1 if an out_of_scope question was refused (answer.refused), else 0. None when in scope."""
    return float(result.answer.refused) if not case.in_scope else None


def false_refusal(case: Case, result: Result) -> float | None:
    """1 if an in-scope question was refused, else 0 (its mean is the false-refusal rate;
    lower is better). None for out_of_scope."""
    return float(result.answer.refused) if case.in_scope else None


def latency_ms(case: Case, result: Result) -> float | None:
    """answer.latency_ms when the assistant reports it (> 0), else the measured wall time."""
    return result.answer.latency_ms if result.answer.latency_ms > 0 else result.wall_ms


def tokens_used(case: Case, result: Result) -> float | None:
    """Sum of answer.tokens values (prompt + completion); None when no LLM was used."""
    return float(sum(result.answer.tokens.values())) if result.answer.tokens else None


def _at(fn: Callable[[Case, Result, int], float | None], k: int) -> Metric:
    def metric(case: Case, result: Result) -> float | None:
        return fn(case, result, k)

    metric.__name__ = f"{fn.__name__.removesuffix('_at_k')}_at_{k}"
    metric.__doc__ = (fn.__doc__ or "").replace("top k", f"top {k}")
    return metric


RETRIEVAL_METRICS: dict[str, Metric] = {
    **{f"doc_hit@{k}": _at(doc_hit_at_k, k) for k in KS},
    **{f"evidence_hit@{k}": _at(evidence_hit_at_k, k) for k in KS},
    **{f"evidence_recall@{k}": _at(evidence_recall_at_k, k) for k in KS},
    "mrr": mrr,
}
ANSWER_METRICS: dict[str, Metric] = {
    "citation_validity": citation_validity,
    "evidence_support": evidence_support,
    "keypoint_coverage": keypoint_coverage,
    "refusal_accuracy": refusal_accuracy,
    "false_refusal": false_refusal,
}
COST_METRICS: dict[str, Metric] = {"latency_ms": latency_ms, "tokens": tokens_used}
QUALITY_METRICS: dict[str, Metric] = {**RETRIEVAL_METRICS, **ANSWER_METRICS}
LOWER_IS_BETTER = frozenset({"false_refusal", "latency_ms", "tokens"})


def evaluate(case: Case, result: Result) -> dict[str, float | None]:
    """All quality and cost metric values for one question."""
    metrics = {**QUALITY_METRICS, **COST_METRICS}
    return {name: fn(case, result) for name, fn in metrics.items()}
