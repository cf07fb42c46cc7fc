"""Generative answers: condense → retrieve → prompt → stream → verify, else extractive.

    answerer = GenerativeAnswerer.from_settings(retriever=assistant.retrieve,
                                                fallback=lambda q, h: assistant.ask(q, history=h),
                                                documents=assistant.documents)
    run = answerer.stream(question, history)      # iterable of text pieces
    with placeholder: st.write_stream(run)         # the draft, as it is generated
    answer = run.result()                          # verified Answer (or the fallback)
    placeholder.markdown(answer.text)              # replace the draft by the verified text

Nothing here raises to the caller: an unreachable or slow server, an exception, an empty
or unsupported answer all end in the injected extractive answer with a Dutch `notice`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.answer.generative import prompts
from assistant.answer.generative.verify import Verification, Verifier
from assistant.llm.streaming import Usage, message_text
from assistant.text.language import detect_language
from assistant.text.sentences import sentence_spans
from assistant.text.tokens import words
from assistant.types import Answer, AnswerStream, Chunk, Language, Profile, RetrievedChunk, Turn

log = logging.getLogger(__name__)

Retriever = Callable[[str, int], Sequence[RetrievedChunk]]
Fallback = Callable[[str, Sequence[Turn]], Answer]
# (standalone query, retrieved passages, the passages as the prompt shows them)
Context = Callable[[Usage], tuple[str, list[RetrievedChunk], list[Chunk]]]

REFUSAL: dict[Language, str] = {
    "nl": "De bronnen geven geen antwoord op deze vraag.",
    "en": "The sources do not answer this question.",
}
LANGUAGE_NAME: dict[Language, str] = {"nl": "Dutch (Nederlands)", "en": "English"}
_TAIL = "; hieronder staat het extractieve antwoord uit de bronnen."
NOTICES = {
    "unreachable": "Het taalmodel is niet bereikbaar" + _TAIL,
    "timeout": "Het taalmodel antwoordde niet binnen {seconds:.0f} seconden" + _TAIL,
    "malformed": "Het taalmodel gaf een onbruikbaar antwoord" + _TAIL,
    "unsupported": "De bronnen ondersteunden het gegenereerde antwoord niet" + _TAIL,
    "refused": "Het taalmodel vond het antwoord niet in de passages" + _TAIL,
    "error": "Het genereren van een antwoord mislukte ({detail})" + _TAIL,
}
PARTIAL = "{n} bewering(en) uit het gegenereerde antwoord weggelaten: niet gevonden in de bronnen."
_FENCE = re.compile(r"^\s*```.*$", re.MULTILINE)
_LEAD = re.compile(r"^\s*(?:antwoord|answer)\s*:\s*", re.IGNORECASE)


class Rejected(Exception):
    """The model's output cannot be used; `kind` is a key of NOTICES."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class GenerationConfig:
    # passages in the prompt; each costs ~300 prompt tokens, ~4 s on 2 cores
    k: int = 4
    max_passage_chars: int = 1200
    max_sentences: int = 6
    history_turns: int = 3
    timeout_s: float = 90.0  # whole request: condensation + generation
    max_answer_chars: int = 3000  # stop a runaway generation
    # The 1.5B model refuses answerable questions often: on a refusal, defer to the
    # extractive answerer (its calibrated refusal decides). False: return the refusal.
    defer_refusals: bool = True


def classify(exc: BaseException) -> str:
    """NOTICES key for an exception, by class name so no client package is imported."""
    if isinstance(exc, Rejected):
        return exc.kind
    names = {c.__name__ for c in type(exc).__mro__}
    if isinstance(exc, TimeoutError) or any("Timeout" in n for n in names):
        return "timeout"
    if names & {
        "APIConnectionError",
        "ConnectError",
        "ConnectionError",
        "ResponseError",
    }:
        return "unreachable"
    return "error"


def clip(text: str, limit: int) -> str:
    """A prefix of `text` of at most `limit` characters, cut after a sentence if possible."""
    if len(text) <= limit:
        return text
    ends = [s.end for s in sentence_spans(text[:limit]) if s.end < limit - 1]
    return text[: ends[-1]] if ends and ends[-1] > limit // 2 else text[:limit]


def is_refusal(text: str) -> bool:
    got = " ".join(words(text))
    return any(" ".join(words(r)) in got for r in REFUSAL.values())


class GenerativeAnswerer:
    """Answers with a chat model, cites only verified passages, falls back to extractive."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        retriever: Retriever,
        fallback: Fallback,
        *,
        verifier: Verifier | None = None,
        config: GenerationConfig | None = None,
    ) -> None:
        self.chat_model = chat_model
        self.retriever = retriever
        self.fallback = fallback
        self.verifier = verifier or Verifier()
        self.config = config or GenerationConfig()

    @classmethod
    def from_settings(
        cls,
        retriever: Retriever,
        fallback: Fallback,
        *,
        settings: Any = None,
        documents: Any = None,
        embedder: Any = None,
        **overrides: Any,
    ) -> GenerativeAnswerer:
        """Chat model from settings (backend, URL, key, model, timeout); e5 `embedder` optional."""
        from assistant.answer.generative.verify import SemanticScorer
        from assistant.llm.chat import make_chat_model
        from assistant.settings import get_settings

        s = settings or get_settings()
        config = GenerationConfig(**{"timeout_s": s.llm_timeout_s, **overrides})
        semantic = SemanticScorer(embedder) if embedder is not None else None
        verifier = Verifier(semantic=semantic, documents=documents)
        return cls(make_chat_model(s), retriever, fallback, verifier=verifier, config=config)

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        profile: Profile | None = None,
    ) -> AnswerStream:
        """Condense, retrieve with the injected retriever, generate, verify."""
        hist = list(history)
        return AnswerStream(
            self._run(
                question, profile, lambda u: self._retrieve(question, hist, u), lambda: self.fallback(question, hist)
            )
        )

    def stream_prepared(
        self,
        question: str,
        passages: Sequence[Chunk],
        retrieved: Sequence[RetrievedChunk],
        fallback: Callable[[], Answer],
        profile: Profile | None = None,
    ) -> AnswerStream:
        """Generate from passages the caller already retrieved (the service retrieves once)."""
        return AnswerStream(
            self._run(question, profile, lambda u: (question, list(retrieved), list(passages)), fallback)
        )

    def condense(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone retrieval query for a follow-up question (the question itself without history)."""
        return self._condense(question, list(history), detect_language(question), Usage())

    def answer(
        self,
        question: str,
        history: Sequence[Turn] = (),
        profile: Profile | None = None,
    ) -> Answer:
        return self.stream(question, history, profile).result()

    # -- the run ---------------------------------------------------------------------

    def _run(
        self, question: str, profile: Profile | None, context: Context, fallback: Callable[[], Answer]
    ) -> Generator[str, None, Answer]:
        t0 = time.perf_counter()
        usage = Usage()
        try:
            answer = yield from self._generate(question, profile, context, t0, usage)
        except Exception as exc:  # every failure becomes the fallback
            unexpected = classify(exc) == "error"  # timeouts and refusals need no traceback
            log.warning("generative answer not used: %r", exc, exc_info=unexpected)
            return self._fallback(question, fallback, exc, t0, usage)
        return answer

    def _retrieve(
        self, question: str, history: list[Turn], usage: Usage
    ) -> tuple[str, list[RetrievedChunk], list[Chunk]]:
        query = self._condense(question, history, detect_language(question), usage)
        retrieved = list(self.retriever(query, self.config.k))[: self.config.k]
        return query, retrieved, [self._clipped(r.chunk) for r in retrieved]

    def _generate(
        self, question: str, profile: Profile | None, context: Context, t0: float, usage: Usage
    ) -> Generator[str, None, Answer]:
        language = detect_language(question)
        deadline = t0 + self.config.timeout_s
        query, retrieved, passages = context(usage)
        base = Answer(
            question=question,
            text="",
            language=language,
            mode="generative",
            retrieved=retrieved,
        )
        if query != question:
            base.sections["standalone_question"] = [query]
        if not passages:
            return self._refused(base, usage, t0)
        messages = self._messages(query, passages, language, profile)
        usage.chars_in += sum(len(message_text(m)) for m in messages)
        parts: list[str] = []
        for piece in self._stream_model(messages, deadline, usage):
            parts.append(piece)
            usage.chars_out += len(piece)
            yield piece
        return self._finish(base, "".join(parts), passages, usage, t0)

    def _condense(self, question: str, history: list[Turn], language: Language, u: Usage) -> str:
        turns = history[-self.config.history_turns :]
        if not turns:
            return question
        lines = [f"User: {t.question}\nAssistant: {clip(t.answer, 400)}" for t in turns]
        prompt = prompts.cached("condense").render(
            history="\n".join(lines),
            question=question,
            language_name=LANGUAGE_NAME[language],
        )
        u.chars_in += len(prompt)
        reply = self.chat_model.invoke([HumanMessage(prompt)])
        u.add(reply)
        text = message_text(reply).strip()
        u.chars_out += len(text)
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        first = re.sub(r"^(?:standalone question|vraag)\s*:\s*", "", first, flags=re.IGNORECASE)
        first = first.strip("\"'“”` ")
        if len(first) < 5 or len(first) > 3 * len(question) + 300:
            return question  # malformed: retrieve with the question as asked
        return first

    def _clipped(self, chunk: Chunk) -> Chunk:
        text = clip(chunk.text, self.config.max_passage_chars)
        return chunk.model_copy(update={"text": text, "end": chunk.start + len(text)})

    def _messages(
        self,
        question: str,
        passages: list[Chunk],
        language: Language,
        profile: Profile | None,
    ) -> list[BaseMessage]:
        passage = prompts.cached("passage")
        blocks = [
            passage.render(n=i, title=c.title, section=c.section or "-", text=c.text) for i, c in enumerate(passages, 1)
        ]
        lang = LANGUAGE_NAME[language]
        # The same system prompt for every question: llama.cpp keeps it in its prompt cache.
        system = prompts.cached("answer_system").render(
            max_sentences=self.config.max_sentences,
            refusal_nl=REFUSAL["nl"],
            refusal_en=REFUSAL["en"],
        )
        user = prompts.cached("answer").render(
            language_name=lang,
            passages="\n\n".join(blocks),
            question=question,
            audience=_audience(profile),
        )
        return [SystemMessage(system), HumanMessage(user)]

    def _stream_model(self, messages: list[BaseMessage], deadline: float, usage: Usage) -> Iterator[str]:
        total = 0
        for chunk in self.chat_model.stream(messages):
            if time.perf_counter() > deadline:
                raise TimeoutError("generation passed the deadline")
            usage.add(chunk)
            piece = message_text(chunk)
            if piece:
                total += len(piece)
                yield piece
            if total > self.config.max_answer_chars:
                break

    def _finish(self, base: Answer, raw: str, passages: list[Chunk], usage: Usage, t0: float) -> Answer:
        text = _LEAD.sub("", _FENCE.sub("", raw)).strip()
        if not text:
            raise Rejected("malformed")
        refusal = is_refusal(text)
        if refusal:
            text = " ".join(s.text for s in sentence_spans(text) if not is_refusal(s.text))
        v = self.verifier.verify(text, passages) if text else Verification("", [])
        if not v.supported:
            if refusal and not self.config.defer_refusals:
                return self._refused(base, usage, t0)
            raise Rejected("refused" if refusal else "unsupported")
        dropped = [c.claim.text for c in v.unsupported]
        update: dict[str, Any] = {
            "text": v.text,
            "citations": v.citations,
            "tokens": usage.as_dict(),
            "latency_ms": (time.perf_counter() - t0) * 1000,
        }
        if dropped:
            update["notice"] = PARTIAL.format(n=len(dropped))
            update["sections"] = {**base.sections, "unsupported": dropped}
        return base.model_copy(update=update)

    def _refused(self, base: Answer, usage: Usage, t0: float) -> Answer:
        return base.model_copy(
            update={
                "text": REFUSAL[base.language],
                "refused": True,
                "tokens": usage.as_dict(),
                "latency_ms": (time.perf_counter() - t0) * 1000,
            }
        )

    def _fallback(
        self, question: str, fallback: Callable[[], Answer], exc: Exception, t0: float, usage: Usage
    ) -> Answer:
        kind = classify(exc)
        notice = NOTICES[kind].format(seconds=self.config.timeout_s, detail=type(exc).__name__)
        try:
            answer = fallback()
        except Exception:  # the UI must get an Answer whatever happens
            log.exception("extractive fallback failed too")
            answer = Answer(
                question=question,
                text="Er kon geen antwoord worden gemaakt.",
                language=detect_language(question),
                refused=True,
            )
        if answer.notice:
            notice = f"{notice} {answer.notice}"
        update: dict[str, Any] = {"notice": notice, "latency_ms": (time.perf_counter() - t0) * 1000}
        if usage.chars_in and not answer.tokens:  # the LLM tokens spent before falling back
            update["tokens"] = usage.as_dict()
        return answer.model_copy(update=update)


def _audience(profile: Profile | None) -> str:
    if profile is None or not (profile.role or profile.phase):
        return ""
    bits = [
        f"role: {profile.role}" if profile.role else "",
        f"phase: {profile.phase}" if profile.phase else "",
    ]
    return "About the user (" + ", ".join(b for b in bits if b) + ").\n\n"


__all__ = [
    "REFUSAL",
    "AnswerStream",
    "Fallback",
    "GenerationConfig",
    "GenerativeAnswerer",
    "Retriever",
    "classify",
]
