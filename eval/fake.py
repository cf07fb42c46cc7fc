"""A small deterministic stand-in for the Assistant: lexical retrieval, one extractive quote.

It answers through the same `ask` signature, so the harness can be tested (and smoke-run with
`python -m eval run --fake`) without an index, embeddings or an LLM. Its scores say nothing
about the real assistant.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.types import Answer, Chunk, Citation, Mode, Profile, RetrievedChunk, Turn
from eval.keypoints import content_stems

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass(frozen=True)
class FakeDocument:
    text: str
    title: str


class FakeAssistant:
    """Fixed-size chunks ranked by shared content stems with the question."""

    def __init__(
        self, texts: Mapping[str, str], chunk_chars: int = 600, top_k: int = 10, min_overlap: float = 0.3
    ) -> None:
        self.documents = {d: FakeDocument(t, d) for d, t in texts.items()}
        self.top_k = top_k
        self.min_overlap = min_overlap
        self.chunks = [c for d, t in texts.items() for c in self._chunk(d, t, chunk_chars)]
        self.stems = [content_stems(c.text) for c in self.chunks]

    @staticmethod
    def _chunk(doc_id: str, text: str, size: int) -> list[Chunk]:
        return [
            Chunk(
                id=f"{doc_id}#{i}",
                doc_id=doc_id,
                title=doc_id,
                section="",
                text=text[start : start + size],
                start=start,
                end=min(start + size, len(text)),
            )
            for i, start in enumerate(range(0, len(text), size))
        ]

    def _retrieve(self, question: str) -> list[RetrievedChunk]:
        q = content_stems(question)
        scored = [(len(q & s) / max(len(q), 1), i) for i, s in enumerate(self.stems)]
        scored.sort(key=lambda p: (-p[0], p[1]))
        return [RetrievedChunk(chunk=self.chunks[i], score=score) for score, i in scored[: self.top_k]]

    def _cite(self, hit: RetrievedChunk) -> Citation:
        chunk = hit.chunk
        match = max(_SENTENCE.finditer(chunk.text), key=lambda m: len(m.group(0).strip()))
        quote = match.group(0).strip()
        start = chunk.start + chunk.text.index(quote)
        return Citation(
            n=1,
            chunk_id=chunk.id,
            doc_id=chunk.doc_id,
            title=chunk.title,
            section="",
            quote=quote,
            start=start,
            end=start + len(quote),
        )

    def ask(
        self, question: str, history: list[Turn] | None = None, profile: Profile | None = None, mode: Mode | None = None
    ) -> Answer:
        start = time.perf_counter()
        retrieved = self._retrieve(question)
        refused = not retrieved or retrieved[0].score < self.min_overlap
        citations = [] if refused else [self._cite(retrieved[0])]
        text = "De documenten beantwoorden deze vraag niet." if refused else (f"{citations[0].quote} [1]")
        tokens = {"prompt": 40 * len(retrieved), "completion": len(text) // 4} if mode == "generative" else {}
        return Answer(
            question=question,
            text=text,
            refused=refused,
            citations=citations,
            retrieved=retrieved,
            mode="generative" if tokens else "extractive",
            latency_ms=(time.perf_counter() - start) * 1000,
            tokens=tokens,
        )
