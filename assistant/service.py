"""The one place that wires settings, embedder, index, retrieval and answering together."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator
from typing import Any

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.language import detect_language
from assistant.answer.phrases import phrase
from assistant.answer.scope import ScopeChecker
from assistant.embedding.base import Embedder, FakeEmbedder
from assistant.retrieval.hybrid import HybridRetriever
from assistant.settings import Settings, get_settings
from assistant.store.index import IndexMissing, KnowledgeBase, Progress, build_index, expected_manifest, open_index
from assistant.types import Answer, AnswerStream, Document, InputError, Profile, RetrievedChunk, Turn

log = logging.getLogger(__name__)
_FOLLOW_UP = re.compile(r"\b(dit|dat|die|deze|daar|daarvan|hiervan|hun|het model|zij|ze|it|this|that|these|"
                        r"those|they|them|there)\b", re.I)


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedder == "fake":
        return FakeEmbedder()
    from assistant.embedding.e5 import E5Embedder

    return E5Embedder(settings.model_path, settings.embedding_batch_size, dtype=settings.embedding_dtype)


def ensure_index(settings: Settings, embedder: Embedder, progress: Progress | None = None) -> KnowledgeBase:
    """Open the index; build it when missing or stale. A failed rebuild keeps the old index."""
    expected = expected_manifest(settings, embedder)
    try:
        kb = open_index(settings)
    except IndexMissing:
        build_index(settings, embedder, progress)
        return open_index(settings)
    if not kb.is_stale(expected):
        return kb
    try:
        build_index(settings, embedder, progress)
        return open_index(settings)
    except Exception as exc:  # keep serving the previous index rather than nothing
        log.error("Herbouwen van de index mislukt, de vorige index blijft in gebruik: %s", exc)
        kb.warnings.append(f"De index is verouderd en herbouwen mislukte ({exc}); de vorige index is in gebruik.")
        return kb


class Assistant:
    """Answers questions over the corpus. Build with `Assistant.create()`."""

    def __init__(self, settings: Settings, embedder: Embedder, kb: KnowledgeBase) -> None:
        self.settings, self.embedder, self.kb = settings, embedder, kb
        self.retriever = HybridRetriever(kb, embedder, settings.candidates, settings.rrf_k)
        self.scope = ScopeChecker([c.text for c in kb.chunks.values()])
        self.extractive = ExtractiveAnswerer(self.scope, min_dense=embedder.relevance_floor,
                                             compounds=kb.lexical.compounds)
        self._generative: Any = None  # built on first generative question (optional extra)

    @classmethod
    def create(cls, settings: Settings | None = None, progress: Progress | None = None) -> Assistant:
        settings = settings or get_settings()
        embedder = make_embedder(settings)
        return cls(settings, embedder, ensure_index(settings, embedder, progress))

    @property
    def documents(self) -> dict[str, Document]:
        return self.kb.documents

    def retrieve(self, query: str, k: int | None = None, profile: Profile | None = None) -> list[RetrievedChunk]:
        return self.retriever.search(query, k or self.settings.top_k, self._preferred_docs(profile)).chunks

    def _preferred_docs(self, profile: Profile | None) -> set[str] | None:
        if not profile or not profile.phase:
            return None
        from assistant.guidance.phases import phase_passages

        return {doc for doc, _, _ in phase_passages(profile.phase)}

    def check_question(self, question: str) -> tuple[str, str | None]:
        """Return the question to use and a notice; raise InputError for unusable input."""
        q = (question or "").strip()
        if not q or not re.search(r"\w", q):
            raise InputError("Stel een vraag: het invoerveld is leeg.")
        limit = self.settings.max_question_chars
        if len(q) > limit:
            return q[:limit], phrase(detect_language(q[:limit]), "trimmed", n=len(q), max=limit)
        return q, None

    @staticmethod
    def retrieval_query(question: str, history: list[Turn] | None) -> str:
        """Follow-ups ("en wat kost dat?") borrow the previous question's subject."""
        if not history:
            return question
        if len(question.split()) <= 12 or _FOLLOW_UP.search(question):
            return f"{history[-1].question} {question}"
        return question

    def ask(self, question: str, history: list[Turn] | None = None, profile: Profile | None = None,
            mode: str | None = None) -> Answer:
        return self.stream(question, history, profile, mode).result()

    def stream(self, question: str, history: list[Turn] | None = None, profile: Profile | None = None,
               mode: str | None = None) -> AnswerStream:
        """Like ask(), with the generative text in pieces as they arrive (for st.write_stream).

        Bad input (empty question, unknown phase) raises here, before any piece.
        """
        t0 = time.perf_counter()
        q, notice = self.check_question(question)
        if profile and profile.phase:
            from assistant.guidance.phases import get_phase

            get_phase(profile.phase)  # unknown phase: a clear error, not a silent default
        return AnswerStream(self._pieces(q, notice, history, profile, mode or self.settings.mode, t0))

    def _pieces(self, q: str, notice: str | None, history: list[Turn] | None, profile: Profile | None,
                mode: str, t0: float) -> Generator[str, None, Answer]:
        answer = self._ask_extractive(q, history, profile)
        # The generative mode refuses what the default refuses (terms the corpus never uses,
        # amounts no passage states), without spending ~30 s of model time on it.
        if mode == "generative" and not answer.refused:
            pieces = self._generative_answerer().stream(q, history or [], profile)
            yield from pieces
            answer = pieces.result()
        answer.notice = " ".join(n for n in (notice, answer.notice) if n) or None
        answer.latency_ms = round((time.perf_counter() - t0) * 1000, 1)
        return answer

    def _ask_extractive(self, q: str, history: list[Turn] | None, profile: Profile | None) -> Answer:
        from assistant.answer.phase import add_phase_block, phase_for

        language = detect_language(q)
        query = self.retrieval_query(q, history)
        phase_id = phase_for(q, profile)
        if phase_id:
            # Retrieve on the phase's own name too, and prefer the model that defines it.
            from assistant.guidance.phases import phase_label

            query = f"{query} {phase_label(phase_id)}"
            profile = Profile(role=profile.role if profile else None, phase=phase_id)
        result = self.retriever.search(query, self.settings.top_k, self._preferred_docs(profile))
        # With a phase block the quotes are supporting evidence: fewer, so the answer stays readable.
        answer = self.extractive.compose(q, query, language, result, max_points=3 if phase_id else None,
                                         has_guidance=phase_id is not None)
        if not answer.refused:
            add_phase_block(answer, profile, phase_id)
        answer.retrieved = result.chunks
        return answer

    def _generative_answerer(self):  # noqa: ANN202 - the llm package is imported lazily
        if self._generative is None:
            from assistant.llm.wiring import make_generative

            self._generative = make_generative(self)
        return self._generative
