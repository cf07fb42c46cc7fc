"""The one place that wires settings, embedder, index, retrieval and answering together."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator

from assistant.answer.base import Answerer
from assistant.answer.claims import ClaimComposer
from assistant.answer.default import DefaultAnswerer
from assistant.answer.enrich import Context, enrich, pin_pages, refusal
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.phase import phase_context, preferred_docs
from assistant.answer.phrases import phrase
from assistant.answer.scope import ScopeChecker
from assistant.embedding.base import Embedder, FakeEmbedder
from assistant.gate.gate import AnswerabilityGate
from assistant.knowledge.model import known_roles
from assistant.retrieval.hybrid import HybridRetriever
from assistant.settings import Settings, get_settings
from assistant.store.index import (
    IndexBusy,
    KnowledgeBase,
    Progress,
    build_index,
    expected_manifest,
    open_index,
    open_with_fallback,
)
from assistant.text.language import detect_language
from assistant.types import Answer, AnswerStream, Document, InputError, Mode, Profile, RetrievedChunk, Turn

log = logging.getLogger(__name__)
_FOLLOW_UP = re.compile(
    r"\b(dit|dat|die|deze|daar|daarvan|hiervan|hun|het model|zij|ze|it|this|that|these|"
    r"those|they|them|there)\b",
    re.I,
)


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedder == "fake":
        return FakeEmbedder()
    from assistant.embedding.e5 import E5Embedder

    return E5Embedder(settings.model_path, settings.embedding_batch_size, dtype=settings.embedding_dtype)


def ensure_index(
    settings: Settings, embedder: Embedder, progress: Progress | None = None, *, background: bool = False
) -> KnowledgeBase:
    """Open the index; build it when missing or stale. A failed rebuild keeps the old index.

    A damaged active build falls back to the newest complete one (with a warning for the user);
    with `background` (the app) a new build then starts in a thread while the fallback serves.
    With no index at all this waits for another process's build; with a stale one it serves the
    old index meanwhile, so simultaneous starts build once.
    """
    expected = expected_manifest(settings, embedder)
    kb = open_with_fallback(settings)
    if kb is None:
        build_index(settings, embedder, progress, if_stale=True)
        return open_index(settings)
    if kb.fallback_reason and background:
        from assistant.store.background import rebuild_in_background

        rebuild_in_background(settings, embedder)
        kb.warnings.append("Een nieuwe index wordt op de achtergrond gebouwd; de app gebruikt hem zodra hij klaar is.")
        return kb
    if not kb.is_stale(expected):
        return kb
    try:
        build_index(settings, embedder, progress, if_stale=True, wait=False)
        return open_index(settings)
    except IndexBusy:
        kb.warnings.append(
            "De index is verouderd; een ander proces bouwt hem nu opnieuw. De vorige index is in gebruik."
        )
        return kb
    except Exception as exc:  # keep serving the previous index rather than nothing
        log.error("Herbouwen van de index mislukt, de vorige index blijft in gebruik: %s", exc)
        kb.warnings.append(f"De index is verouderd en herbouwen mislukte ({exc}); de vorige index is in gebruik.")
        return kb


class Assistant:
    """Answers questions over the corpus. Build with `Assistant.create()`."""

    def __init__(self, settings: Settings, embedder: Embedder, kb: KnowledgeBase) -> None:
        self.settings, self.embedder, self.kb = settings, embedder, kb
        self.retriever = HybridRetriever(
            kb, embedder, settings.candidates, settings.rrf_k, use_claims=settings.claim_retrieval
        )
        self.claims = ClaimComposer(kb.documents)
        self.scope = ScopeChecker([c.text for c in kb.chunks.values()])
        self.gate = AnswerabilityGate.load(self.scope, embedder.name, embedder.relevance_floor)
        self.extractive = ExtractiveAnswerer(
            self.scope, min_dense=embedder.relevance_floor, compounds=kb.lexical.compounds
        )
        self.default = DefaultAnswerer(
            self.claims, self.extractive, kb.claims.covered_docs, use_claims=self.retriever.use_claims
        )
        self._generative: Answerer | None = None  # built on first generative question

    @classmethod
    def create(cls, settings: Settings | None = None, progress: Progress | None = None) -> Assistant:
        settings = settings or get_settings()
        embedder = make_embedder(settings)
        return cls(settings, embedder, ensure_index(settings, embedder, progress))

    @property
    def documents(self) -> dict[str, Document]:
        return self.kb.documents

    def retrieve(self, query: str, k: int | None = None, profile: Profile | None = None) -> list[RetrievedChunk]:
        return self.retriever.search(query, k or self.settings.top_k, preferred_docs(profile)).chunks

    def check_question(self, question: str) -> tuple[str, str | None]:
        """Return the question to use and a notice; raise InputError for unusable input."""
        # Lone surrogates (from a broken paste or JSON "\\ud83d") cannot be encoded: U+FFFD instead;
        # a proper pair becomes the character it stands for.
        q = (question or "").encode("utf-16", "surrogatepass").decode("utf-16", "replace").strip()
        if not q:
            raise InputError("Stel een vraag: het invoerveld is leeg.")
        if not re.search(r"[^\W_]", q):
            raise InputError(
                "Uw vraag bevat geen woorden. Stel de vraag in woorden, bijvoorbeeld: "
                "‘Welke bekostigingsmodellen zijn er?’"
            )
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

    def ask(
        self, question: str, history: list[Turn] | None = None, profile: Profile | None = None, mode: Mode | None = None
    ) -> Answer:
        return self.stream(question, history, profile, mode).result()

    def stream(
        self, question: str, history: list[Turn] | None = None, profile: Profile | None = None, mode: Mode | None = None
    ) -> AnswerStream:
        """Like ask(), with the generative text in pieces as they arrive (for st.write_stream).

        Bad input (empty question, unknown phase) raises here, before any piece.
        """
        t0 = time.perf_counter()
        q, notice = self.check_question(question)
        if profile and profile.role and profile.role not in known_roles():
            raise InputError(f"Onbekende rol '{profile.role}'. Kies uit: {', '.join(known_roles())}.")
        if profile and profile.phase:
            from assistant.guidance.phases import get_phase

            get_phase(profile.phase)  # unknown phase: a clear error, not a silent default
        return AnswerStream(self._pieces(q, notice, history, profile, mode or self.settings.mode, t0))

    def prepare(self, q: str, history: list[Turn] | None, profile: Profile | None, query: str | None = None) -> Context:
        """Everything both modes answer from: language, phase, retrieval query, passages, claims.

        `query`: a standalone query for a follow-up (the generative mode condenses with the model).
        """
        language = detect_language(q)
        query, profile, phase_id = phase_context(q, query or self.retrieval_query(q, history), profile)
        retrieval = self.retriever.search(query, self.settings.top_k, preferred_docs(profile))
        return Context(q, language, query, phase_id, profile, retrieval, self.gate.decide(q, language, retrieval))

    def gate_signals(self, question: str) -> dict[str, float]:
        """The gate's signals for a question (what `python -m eval fit-gate` fits on)."""
        ctx = self.prepare(question, None, None)
        return self.gate.signals(question, ctx.language, ctx.retrieval)[0]

    def _pieces(
        self, q: str, notice: str | None, history: list[Turn] | None, profile: Profile | None, mode: Mode, t0: float
    ) -> Generator[str, None, Answer]:
        answerer = self.answerer(mode)
        standalone = answerer.condense(q, history) if history else None
        ctx = self.prepare(q, history, profile, standalone)
        if ctx.answerable:
            answer = yield from answerer.stream(ctx)
        else:
            answer = refusal(ctx.question, ctx.language, ctx.decision, ctx.retrieval)
        if not answer.refused:
            enrich(answer, ctx)
            pin_pages(answer, self.kb.documents)
        answer.retrieved = answer.retrieved or ctx.retrieval.chunks
        answer.notice = " ".join(n for n in (notice, answer.notice) if n) or None
        answer.latency_ms = round((time.perf_counter() - t0) * 1000, 1)
        return answer

    def answerer(self, mode: Mode) -> Answerer:
        """The answerer of a mode; the generative one (and its model client) is built on first use."""
        if mode != "generative":
            return self.default
        if self._generative is None:
            from assistant.answer.generative.answerer import PreparedGenerative
            from assistant.answer.generative.wiring import make_generative

            use = self.retriever.use_claims and self.settings.llm_context == "claims"
            self._generative = PreparedGenerative(
                make_generative(self), self.claims, self.default, use_claims=use, n_claims=self.settings.llm_claims
            )
        return self._generative
