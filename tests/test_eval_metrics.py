"""Each metric on hand-made cases, including the edge cases."""

from __future__ import annotations

import pytest

from assistant.types import Answer, Chunk, Citation, RetrievedChunk
from eval.metrics import (
    QUALITY_METRICS,
    RETRIEVAL_METRICS,
    Result,
    citation_validity,
    doc_hit_at_k,
    evaluate,
    evidence_hit_at_k,
    evidence_recall_at_k,
    evidence_support,
    false_refusal,
    keypoint_coverage,
    latency_ms,
    mrr,
    refusal_accuracy,
    tokens_used,
)
from eval.questions import Case

DOCS = {
    "a": "Er is een netwerkoverleg. Er is een persoon met een coördinerende rol benoemd.",
    "b": "De kassier int de gelden van de zorg-\nverzekeraar voor netwerkfuncties.",
    "c": "Over iets heel anders.",
}


def chunk(cid: str, doc: str, text: str) -> RetrievedChunk:
    start = DOCS[doc].find(text)
    return RetrievedChunk(
        chunk=Chunk(id=cid, doc_id=doc, title=doc, section="", text=text, start=start, end=start + len(text)), score=1.0
    )


RETRIEVED = [
    chunk("c1", "c", "Over iets heel anders."),
    chunk("a1", "a", "Er is een netwerkoverleg."),
    chunk("b1", "b", "De kassier int de gelden van de zorg-\nverzekeraar voor netwerkfuncties."),
]
CASE = Case(
    id="q",
    question="Hoe verrekenen we?",
    kind="funding",
    expected_docs=["b"],
    evidence=["int de gelden van de zorgverzekeraar", "staat nergens"],
    key_points=["De kassier int de gelden", "Casemanagers blijven in dienst"],
)
OOS = Case(id="o", question="Metformine?", kind="out_of_scope")


def cite(n: int, cid: str, doc: str, quote: str) -> Citation:
    return Citation(n=n, chunk_id=cid, doc_id=doc, title=doc, section="", quote=quote, start=0, end=len(quote))


def result(
    citations: list[Citation] | None = None,
    retrieved: list[RetrievedChunk] | None = None,
    refused: bool = False,
    text: str = "",
    latency: float = 0.0,
    tokens: dict[str, int] | None = None,
) -> Result:
    answer = Answer(
        question="q",
        text=text,
        refused=refused,
        citations=citations or [],
        retrieved=RETRIEVED if retrieved is None else retrieved,
        latency_ms=latency,
        tokens=tokens or {},
    )
    return Result(answer=answer, wall_ms=12.0, doc_texts=DOCS)


def test_retrieval_metrics_use_rank_order_and_normalised_spans() -> None:
    r = result()
    assert [doc_hit_at_k(CASE, r, k) for k in (1, 3)] == [0.0, 1.0]
    # the span crosses a hyphenated line break in the chunk: normalised match finds it
    assert [evidence_hit_at_k(CASE, r, k) for k in (1, 2, 3, 10)] == [0.0, 0.0, 1.0, 1.0]
    assert evidence_recall_at_k(CASE, r, 3) == 0.5
    assert mrr(CASE, r) == pytest.approx(1 / 3)


def test_retrieval_metrics_when_nothing_relevant_or_nothing_retrieved() -> None:
    assert mrr(CASE, result(retrieved=RETRIEVED[:2])) == 0.0
    empty = result(retrieved=[])
    assert doc_hit_at_k(CASE, empty, 5) == 0.0
    assert evidence_recall_at_k(CASE, empty, 5) == 0.0


def test_mrr_only_looks_at_the_top_ten() -> None:
    filler = [chunk(f"f{i}", "c", "Over iets heel anders.") for i in range(10)]
    assert mrr(CASE, result(retrieved=[*filler, RETRIEVED[2]])) == 0.0
    assert mrr(CASE, result(retrieved=[*filler[:9], RETRIEVED[2]])) == pytest.approx(0.1)


def test_retrieval_and_answer_metrics_skip_out_of_scope_and_spanless_cases() -> None:
    no_evidence = CASE.model_copy(update={"evidence": []})
    r = result()
    for fn in RETRIEVAL_METRICS.values():
        assert fn(OOS, r) is None
    assert evidence_hit_at_k(no_evidence, r, 5) is None
    assert doc_hit_at_k(no_evidence, r, 5) == 1.0
    assert evidence_support(OOS, r) is None
    assert keypoint_coverage(OOS, r) is None


def test_citation_validity_checks_verbatim_quote_and_retrieved_chunk() -> None:
    good = cite(1, "a1", "a", "Er is een netwerkoverleg.")
    not_verbatim = cite(2, "a1", "a", "Er is een netwerk overleg.")
    not_retrieved = cite(3, "a9", "a", "Er is een netwerkoverleg.")
    wrong_doc = cite(4, "b1", "b", "Er is een netwerkoverleg.")
    no_chunk = cite(5, "", "a", "een persoon met een coördinerende rol")
    unknown_doc = cite(6, "", "zzz", "Er is")
    r = result([good, not_verbatim, not_retrieved, wrong_doc, no_chunk, unknown_doc])
    assert citation_validity(CASE, r) == pytest.approx(2 / 6)


def test_citation_validity_edge_cases() -> None:
    assert citation_validity(CASE, result([])) is None
    assert citation_validity(CASE, result([cite(1, "", "a", "   ")])) == 0.0
    assert citation_validity(OOS, result([cite(1, "a1", "a", "Er is")])) == 1.0


def test_evidence_support_via_quote_or_cited_chunk() -> None:
    via_quote = cite(1, "", "b", "De kassier int de gelden van de zorg-\nverzekeraar")
    via_chunk = cite(1, "b1", "b", "De kassier")
    unrelated = cite(1, "a1", "a", "Er is een netwerkoverleg.")
    assert evidence_support(CASE, result([via_quote])) == 1.0
    assert evidence_support(CASE, result([via_chunk])) == 1.0
    assert evidence_support(CASE, result([unrelated])) == 0.0
    assert evidence_support(CASE, result([], refused=True)) == 0.0


def test_keypoint_coverage_counts_text_and_quotes() -> None:
    quote = cite(1, "b1", "b", "De kassier int de gelden")
    assert keypoint_coverage(CASE, result([], text="Geen idee.")) == 0.0
    assert keypoint_coverage(CASE, result([quote], text="Zie bron [1].")) == 0.5
    both = "De kassier int de gelden; casemanagers blijven in dienst van hun organisatie."
    assert keypoint_coverage(CASE, result([], text=both)) == 1.0
    stopwords_only = CASE.model_copy(update={"key_points": ["de het een"]})
    assert keypoint_coverage(stopwords_only, result([], text="iets")) is None


def test_refusal_metrics_split_by_scope() -> None:
    assert refusal_accuracy(OOS, result(refused=True)) == 1.0
    assert refusal_accuracy(OOS, result(refused=False)) == 0.0
    assert refusal_accuracy(CASE, result(refused=True)) is None
    assert false_refusal(CASE, result(refused=True)) == 1.0
    assert false_refusal(CASE, result(refused=False)) == 0.0
    assert false_refusal(OOS, result(refused=True)) is None


def test_cost_metrics() -> None:
    assert latency_ms(CASE, result()) == 12.0  # falls back to measured wall time
    assert latency_ms(CASE, result(latency=30.5)) == 30.5
    assert tokens_used(CASE, result()) is None
    assert tokens_used(CASE, result(tokens={"prompt": 100, "completion": 20})) == 120.0


def test_evaluate_returns_every_metric_and_docstrings_define_them() -> None:
    values = evaluate(CASE, result())
    assert set(QUALITY_METRICS) | {"latency_ms", "tokens"} == set(values)
    for name, fn in QUALITY_METRICS.items():
        assert fn.__doc__ and len(fn.__doc__) > 40, name
    assert "top 5" in (QUALITY_METRICS["evidence_hit@5"].__doc__ or "")
