"""Hybrid retrieval: dense (e5) and lexical (BM25) rankings fused by reciprocal rank."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.embedding.base import Embedder
from assistant.store.index import KnowledgeBase
from assistant.types import RetrievedChunk


@dataclass
class RetrievalResult:
    chunks: list[RetrievedChunk]
    top_dense: float  # best cosine similarity: how close the nearest passage is at all
    lexical_coverage: float  # share of query terms that occur in the best lexical hits


def rrf(rankings: list[list[str]], k: int = 60, weights: list[float] | None = None) -> dict[str, float]:
    """Reciprocal rank fusion: score(d) = sum_i w_i / (k + rank_i(d))."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + w / (k + rank)
    return scores


def mentioned_docs(query: str, kb: KnowledgeBase) -> set[str]:
    q = query.lower()
    found = set()
    for doc_id, doc in kb.documents.items():
        names = [a.lower() for a in doc.info.aliases]
        if any(re.search(rf"\b{re.escape(n)}\b", q) for n in names):
            found.add(doc_id)
    return found


class HybridRetriever:
    def __init__(self, kb: KnowledgeBase, embedder: Embedder, candidates: int = 40, rrf_k: int = 60,
                 mode: str = "hybrid", dense_weight: float = 1.0) -> None:
        self.kb, self.embedder = kb, embedder
        self.candidates, self.rrf_k, self.mode, self.dense_weight = candidates, rrf_k, mode, dense_weight

    def search(self, query: str, k: int = 8, prefer_docs: set[str] | None = None) -> RetrievalResult:
        dense = self.kb.vectors.search(self.embedder.embed_query(query), self.candidates) \
            if self.mode != "lexical" else []
        lexical = self.kb.lexical.search(query, self.candidates) if self.mode != "dense" else []
        d_ids, l_ids = [c for c, _ in dense], [c for c, _ in lexical]
        fused = rrf([d_ids, l_ids], self.rrf_k, [self.dense_weight, 1.0])
        named = mentioned_docs(query, self.kb)
        for cid in fused:
            doc = self.kb.chunks[cid].doc_id
            # A named source ("volgens het RIVM") is what the user asks about: a strong preference.
            # A profile (e.g. the user's phase model) only nudges. Neither filters.
            if doc in named:
                fused[cid] *= 1.5
            elif prefer_docs and doc in prefer_docs:
                fused[cid] *= 1.15
        ranked = sorted(fused, key=lambda c: -fused[c])[:k]
        d_rank = {c: i for i, c in enumerate(d_ids, 1)}
        l_rank = {c: i for i, c in enumerate(l_ids, 1)}
        chunks = [RetrievedChunk(chunk=self.kb.chunks[c], score=round(fused[c], 6), dense_rank=d_rank.get(c),
                                 lexical_rank=l_rank.get(c)) for c in ranked if c in self.kb.chunks]
        return RetrievalResult(chunks, dense[0][1] if dense else 0.0, self._coverage(query, l_ids[:5]))

    def _coverage(self, query: str, top_ids: list[str]) -> float:
        from assistant.store.lexical import tokenize

        terms = set(tokenize(query))
        if not terms or not top_ids:
            return 0.0
        found: set[str] = set()
        for cid in top_ids:
            found |= terms & set(tokenize(self.kb.chunks[cid].text))
        return len(found) / len(terms)
