"""Hybrid retrieval: dense (e5) and lexical (BM25) rankings fused by reciprocal rank.

With a knowledge base, two more rankings join the fusion: the claims found by their own
vectors and BM25 (nl + en text), each standing for the passage that holds its quote. The
fused claim ranking is returned too, for answers composed from claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.embedding.base import Embedder
from assistant.knowledge.model import Claim
from assistant.store.index import KnowledgeBase
from assistant.types import Chunk, RetrievedChunk


@dataclass
class RetrievedClaim:
    claim: Claim
    score: float  # fused claim score, higher is better
    chunk: Chunk  # the passage that holds the quote: a retrieved one where possible
    retrieved: bool  # whether that passage is among the retrieved passages
    dense: float = 0.0  # cosine of the question and the claim


@dataclass
class RetrievalResult:
    chunks: list[RetrievedChunk]
    top_dense: float  # best cosine similarity: how close the nearest passage is at all
    claims: list[RetrievedClaim] = field(default_factory=list)
    top_claim_dense: float = 0.0  # best cosine of the question and a claim
    top_lexical: float = 0.0  # best BM25 score of a passage
    query_vector: Any = None  # the embedded query (the gate compares it with labelled questions)


def rrf(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """Reciprocal rank fusion: score(d) = sum_i 1 / (k + rank_i(d))."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
    return scores


def mentioned_docs(query: str, kb: KnowledgeBase) -> set[str]:
    q = query.lower()
    found = set()
    for doc_id, doc in kb.documents.items():
        names = [a.lower() for a in doc.info.aliases]
        if any(re.search(rf"\b{re.escape(n)}\b", q) for n in names):
            found.add(doc_id)
    return found


# "dense" and "lexical" exist for benchmarks and tests that measure each list alone.
RetrievalMode = Literal["hybrid", "dense", "lexical"]


class HybridRetriever:
    def __init__(
        self,
        kb: KnowledgeBase,
        embedder: Embedder,
        candidates: int = 40,
        rrf_k: int = 60,
        mode: RetrievalMode = "hybrid",
        use_claims: bool = True,
    ) -> None:
        self.kb, self.embedder = kb, embedder
        self.candidates, self.rrf_k, self.mode = candidates, rrf_k, mode
        self.use_claims = use_claims and kb.claim_index is not None and mode == "hybrid"
        # A claim stands for the chunks that hold its quote (two where chunks overlap).
        self._claim_chunks: dict[str, list[str]] = {}
        if self.use_claims:
            for chunk in kb.chunks.values():
                for claim in kb.claims.in_chunk(chunk):
                    self._claim_chunks.setdefault(claim.id, []).append(chunk.id)

    def search(self, query: str, k: int = 8, prefer_docs: set[str] | None = None) -> RetrievalResult:
        vector = self.embedder.embed_query(query)
        dense = self.kb.vectors.search(vector, self.candidates) if self.mode != "lexical" else []
        lexical = self.kb.lexical.search(query, self.candidates) if self.mode != "dense" else []
        d_ids, l_ids = [c for c, _ in dense], [c for c, _ in lexical]
        rankings = [d_ids, l_ids]
        claim_scores: dict[str, float] = {}
        claim_dense: dict[str, float] = {}
        if self.use_claims and self.kb.claim_index is not None:
            cd = self.kb.claim_index.vectors.search(vector, self.candidates)
            cl = self.kb.claim_index.lexical.search(query, self.candidates)
            claim_dense = dict(cd)
            claim_scores = rrf([[c for c, _ in cd], [c for c, _ in cl]], self.rrf_k)
            rankings.append(self._as_chunks(sorted(claim_scores, key=lambda c: -claim_scores[c])))
        fused = rrf(rankings, self.rrf_k)
        if len(rankings) > 2:
            self._impute_claim_rank(fused, d_ids, l_ids)
        self._prefer(fused, query, prefer_docs)
        ranked = [c for c in sorted(fused, key=lambda c: -fused[c])[:k] if c in self.kb.chunks]
        d_rank = {c: i for i, c in enumerate(d_ids, 1)}
        l_rank = {c: i for i, c in enumerate(l_ids, 1)}
        chunks = [
            RetrievedChunk(
                chunk=self.kb.chunks[c], score=round(fused[c], 6), dense_rank=d_rank.get(c), lexical_rank=l_rank.get(c)
            )
            for c in ranked
        ]
        claims = self._claims(claim_scores, claim_dense, fused, set(ranked))
        return RetrievalResult(
            chunks,
            dense[0][1] if dense else 0.0,
            claims,
            max(claim_dense.values(), default=0.0),
            lexical[0][1] if lexical else 0.0,
            vector,
        )

    def _impute_claim_rank(self, fused: dict[str, float], d_ids: list[str], l_ids: list[str]) -> None:
        """A document without claims (one a user added) cannot appear in the claim ranking; its
        passages count their better passage rank there instead, so they are not pushed down."""
        covered = self.kb.claims.covered_docs()
        d_rank = {c: i for i, c in enumerate(d_ids, 1)}
        l_rank = {c: i for i, c in enumerate(l_ids, 1)}
        for cid in fused:
            if self.kb.chunks[cid].doc_id not in covered:
                fused[cid] += 1.0 / (self.rrf_k + min(d_rank.get(cid, 10**6), l_rank.get(cid, 10**6)))

    def _as_chunks(self, claim_ids: list[str]) -> list[str]:
        return list(dict.fromkeys(self._claim_chunks[c][0] for c in claim_ids if c in self._claim_chunks))

    def _prefer(self, fused: dict[str, float], query: str, prefer_docs: set[str] | None) -> None:
        named = mentioned_docs(query, self.kb)
        for cid in fused:
            doc = self.kb.chunks[cid].doc_id if cid in self.kb.chunks else ""
            # A named source ("volgens het RIVM") is what the user asks about: a strong preference.
            # A profile (e.g. the user's phase model) only nudges. Neither filters.
            if doc in named:
                fused[cid] *= 1.5
            elif prefer_docs and doc in prefer_docs:
                fused[cid] *= 1.15

    def _claims(
        self, scores: dict[str, float], dense: dict[str, float], fused: dict[str, float], top_chunks: set[str]
    ) -> list[RetrievedClaim]:
        """Claims by their own score plus the score of the passage that holds them."""
        out = []
        for cid, score in scores.items():
            claim = self.kb.claims.claims.get(cid)
            homes = self._claim_chunks.get(cid)
            if claim is None or not homes:
                continue
            home = next((h for h in homes if h in top_chunks), homes[0])
            out.append(
                RetrievedClaim(
                    claim,
                    score + max(fused.get(h, 0.0) for h in homes),
                    self.kb.chunks[home],
                    home in top_chunks,
                    dense.get(cid, 0.0),
                )
            )
        return sorted(out, key=lambda r: -r.score)
