"""The generative pipeline with deterministic fake chat models: no server, no network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from pydantic import Field

from assistant.answer.generative.pipeline import (
    NOTICES,
    REFUSAL,
    GenerationConfig,
    GenerativeAnswerer,
    classify,
)
from assistant.answer.generative.verify import Verifier
from assistant.settings import Settings
from assistant.types import Answer, Chunk, Document, DocumentInfo, RetrievedChunk, Turn

P1 = (
    "In een volgende fase voeren de betrokkenen gezamenlijke experimenten uit. De "
    "samenwerking krijgt concreet vorm op kleine schaal, bijvoorbeeld door een pilot te "
    "beginnen op een aantal locaties. Er is afstemming tussen samenwerkingspartners door een "
    "netwerkoverleg en er is een persoon met een coördinerende rol benoemd."
)
P2 = (
    "Bovendien is er een groeiend tekort aan zorgpersoneel (WHO, 2017). Het wordt steeds "
    "moeilijker om goede zorg te leveren die betaalbaar en toegankelijk is."
)
GOOD = (
    "In de experimentfase begint de samenwerking met een pilot op een aantal locaties [1]. "
    "Er is een netwerkoverleg en een persoon met een coördinerende rol [1]."
)
TEXT = "Inleiding\n\n" + P1 + "\n\n" + P2 + "\n"
DOC = Document(info=DocumentInfo(id="d", file="d.txt", title="Doc"), text=TEXT)


def _chunk(i: int, para: str) -> Chunk:
    start = TEXT.index(para)
    return Chunk(id=f"d:{i}", doc_id="d", title="Doc", section="Fase 2", text=para, start=start, end=start + len(para))


CHUNKS = [_chunk(0, P1), _chunk(1, P2)]


class Recorder(FakeListChatModel):
    """FakeListChatModel that remembers the messages of every call."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def _call(self, messages: list[BaseMessage], *args: Any, **kw: Any) -> str:  # type: ignore[override]
        self.seen.append(messages)
        return super()._call(messages, *args, **kw)

    def _stream(self, messages: list[BaseMessage], *args: Any, **kw: Any) -> Any:  # type: ignore[override]
        self.seen.append(messages)
        yield from super()._stream(messages, *args, **kw)


class Calls:
    def __init__(self) -> None:
        self.queries: list[str] = []
        self.fallbacks: list[tuple[str, list[Turn]]] = []

    def retrieve(self, query: str, k: int) -> list[RetrievedChunk]:
        self.queries.append(query)
        return [RetrievedChunk(chunk=c, score=1.0 / (i + 1)) for i, c in enumerate(CHUNKS)][:k]

    def fallback(self, question: str, history: Sequence[Turn]) -> Answer:
        self.fallbacks.append((question, list(history)))
        return Answer(question=question, text="Extractief antwoord.", mode="extractive")


def make(model: FakeListChatModel, calls: Calls, **cfg: Any) -> GenerativeAnswerer:
    return GenerativeAnswerer(
        model,
        calls.retrieve,
        calls.fallback,
        verifier=Verifier(documents={"d": DOC}),
        config=GenerationConfig(**cfg),
    )


def test_streams_pieces_and_returns_a_verified_answer() -> None:
    calls, model = Calls(), Recorder(responses=[GOOD])
    run = make(model, calls).stream("Wat regel je in de experimentfase?")
    pieces = list(run)
    assert len(pieces) > 10 and "".join(pieces) == GOOD  # streamed piece by piece
    answer = run.result()
    assert answer.mode == "generative" and not answer.refused and answer.notice is None
    assert answer.language == "nl" and answer.text.count("[") == 2
    assert [c.chunk_id for c in answer.citations] == ["d:0", "d:0"]
    for c in answer.citations:
        assert DOC.text[c.start : c.end] == c.quote
    assert answer.tokens["completion"] > 0 and answer.tokens["prompt"] > 0
    assert answer.latency_ms > 0 and len(answer.retrieved) == 2
    assert calls.queries == ["Wat regel je in de experimentfase?"]  # no history: no condensation
    assert len(model.seen) == 1
    system, user = (str(m.content) for m in model.seen[0])
    assert "[1] Doc (Fase 2)" in user and "[2] Doc (Fase 2)" in user
    assert REFUSAL["nl"] in system and "Dutch" in system


def test_answer_is_the_stream_drained() -> None:
    answer = make(FakeListChatModel(responses=[GOOD]), Calls()).answer("Wat regel je?")
    assert answer.mode == "generative" and len(answer.citations) == 2


def test_history_is_condensed_before_retrieval() -> None:
    calls = Calls()
    model = Recorder(responses=["Wat regel je in fase 2 van het OMK?\nextra uitleg", GOOD])
    history = [Turn(question="Wat is het OMK?", answer="Een model met vier fases.")]
    answer = make(model, calls).answer("En in fase 2?", history)
    assert calls.queries == ["Wat regel je in fase 2 van het OMK?"]
    assert "Wat is het OMK?" in str(model.seen[0][0].content)
    assert answer.sections["standalone_question"] == ["Wat regel je in fase 2 van het OMK?"]
    assert answer.question == "En in fase 2?" and answer.mode == "generative"


def test_malformed_condensation_keeps_the_question() -> None:
    calls = Calls()
    make(FakeListChatModel(responses=["  ", GOOD]), calls).answer("En in fase 2?", [Turn(question="q", answer="a")])
    assert calls.queries == ["En in fase 2?"]


def test_refusal_defers_to_the_extractive_answer_by_default() -> None:
    calls = Calls()
    answer = make(FakeListChatModel(responses=[REFUSAL["nl"]]), calls).answer("Wat kost dat?")
    _assert_fallback(answer, calls, "refused")


def test_refusal_sentence_gives_a_refused_answer_when_configured() -> None:
    model = FakeListChatModel(responses=[REFUSAL["nl"]])
    answer = make(model, Calls(), defer_refusals=False).answer("Wat kost dat?")
    assert answer.refused and answer.text == REFUSAL["nl"] and answer.mode == "generative"
    assert not answer.citations


def test_english_question_gets_english_refusal_prompt() -> None:
    model = Recorder(responses=[REFUSAL["en"]])
    answer = make(model, Calls(), defer_refusals=False).answer("What does the network cost per year?")
    assert answer.language == "en" and answer.refused and answer.text == REFUSAL["en"]
    assert REFUSAL["en"] in str(model.seen[0][0].content)


def test_refusal_next_to_supported_claims_is_dropped() -> None:
    answer = make(FakeListChatModel(responses=[GOOD + " " + REFUSAL["nl"]]), Calls()).answer("Wat?")
    assert answer.mode == "generative" and REFUSAL["nl"] not in answer.text
    assert answer.notice is None and len(answer.citations) == 2


def test_unsupported_claims_are_removed_with_a_notice() -> None:
    text = GOOD + " Het netwerk moet een stichting oprichten met een raad van toezicht [2]."
    answer = make(FakeListChatModel(responses=[text]), Calls()).answer("Wat regel je?")
    assert answer.mode == "generative" and "stichting" not in answer.text
    assert answer.notice and "1 bewering" in answer.notice
    assert answer.sections["unsupported"][0].startswith("Het netwerk moet een stichting")


def _assert_fallback(answer: Answer, calls: Calls, kind: str) -> None:
    assert answer.mode == "extractive" and answer.text == "Extractief antwoord."
    assert answer.notice is not None and answer.notice.startswith(NOTICES[kind].split("{")[0][:30])
    assert len(calls.fallbacks) == 1


def test_nothing_supported_falls_back() -> None:
    calls = Calls()
    text = "De gemeente betaalt alles [1]. Het kost 5 miljoen euro [2]."
    answer = make(FakeListChatModel(responses=[text]), calls).answer("Wie betaalt?")
    _assert_fallback(answer, calls, "unsupported")
    assert answer.tokens["completion"] > 0  # what the model spent is still reported


@pytest.mark.parametrize("output", ["", "   \n", "```\n```"])
def test_empty_or_malformed_output_falls_back(output: str) -> None:
    calls = Calls()
    answer = make(FakeListChatModel(responses=[output or " "]), calls).answer("Wat regel je?")
    _assert_fallback(answer, calls, "malformed")


def test_exception_mid_stream_falls_back_and_stream_does_not_raise() -> None:
    calls = Calls()
    model = FakeListChatModel(responses=[GOOD], error_on_chunk_number=5)
    run = make(model, calls).stream("Wat regel je?")
    assert "".join(run) == GOOD[:5]
    _assert_fallback(run.result(), calls, "error")


def test_slow_model_times_out() -> None:
    calls = Calls()
    model = FakeListChatModel(responses=[GOOD], sleep=0.05)
    answer = make(model, calls, timeout_s=0.3).answer("Wat regel je?")
    _assert_fallback(answer, calls, "timeout")
    assert "0 seconden" in (answer.notice or "")


def test_unreachable_server_falls_back_quickly() -> None:
    import socket

    with socket.socket() as s:  # a free port that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(llm_base_url=f"http://127.0.0.1:{port}/v1", llm_timeout_s=5)
    calls = Calls()
    answerer = GenerativeAnswerer.from_settings(calls.retrieve, calls.fallback, settings=settings)
    answer = answerer.answer("Wat regel je in de experimentfase?")
    _assert_fallback(answer, calls, "unreachable")
    assert answer.latency_ms < 5000


def test_failing_fallback_still_returns_an_answer() -> None:
    def broken(question: str, history: Sequence[Turn]) -> Answer:
        raise RuntimeError("index missing")

    model = FakeListChatModel(responses=[GOOD], error_on_chunk_number=0)
    answerer = GenerativeAnswerer(model, Calls().retrieve, broken)
    answer = answerer.answer("Wat regel je?")
    assert answer.refused and answer.notice


def test_no_passages_refuses_without_calling_the_model() -> None:
    model = Recorder(responses=[GOOD])
    answerer = GenerativeAnswerer(model, lambda q, k: [], Calls().fallback)
    answer = answerer.answer("Wat regel je?")
    assert answer.refused and not model.seen


def test_classify_by_exception_type() -> None:
    import httpx
    import openai

    req = httpx.Request("POST", "http://127.0.0.1/v1")
    assert classify(openai.APIConnectionError(request=req)) == "unreachable"  # type: ignore[arg-type]
    assert classify(openai.APITimeoutError(request=req)) == "timeout"  # type: ignore[arg-type]
    assert classify(httpx.ConnectError("refused")) == "unreachable"
    assert classify(TimeoutError()) == "timeout"
    assert classify(ValueError("x")) == "error"


def test_backend_choice_from_settings() -> None:
    from assistant.llm.chat import make_chat_model

    openai_model = make_chat_model(Settings(llm_base_url="http://127.0.0.1:9/v1"))
    assert type(openai_model).__name__ == "ChatOpenAI"
    assert str(openai_model.openai_api_base) == "http://127.0.0.1:9/v1"  # type: ignore[attr-defined]
    pytest.importorskip("langchain_ollama")
    ollama = make_chat_model(Settings(llm_backend="ollama", llm_base_url="http://127.0.0.1:11434/v1"))
    assert type(ollama).__name__ == "ChatOllama"
    assert ollama.base_url == "http://127.0.0.1:11434"  # type: ignore[attr-defined]


def test_wiring_uses_the_assistants_parts() -> None:
    from types import SimpleNamespace

    from assistant.answer.generative.wiring import make_generative

    calls = Calls()
    asked: list[str] = []

    def ask(question: str, history: list[Turn], mode: str) -> Answer:
        asked.append(mode)
        return calls.fallback(question, history)

    fake = SimpleNamespace(
        settings=Settings(llm_base_url="http://127.0.0.1:9/v1", llm_timeout_s=2),
        retrieve=calls.retrieve,
        ask=ask,
        documents={"d": DOC},
        embedder=SimpleNamespace(name="fake-hash-256"),
    )
    answerer = make_generative(fake)
    assert answerer.verifier.semantic is None and answerer.verifier.documents == {"d": DOC}
    answer = answerer.answer("Wat regel je?")  # nothing listens on port 9: extractive
    assert asked == ["extractive"] and answer.notice and calls.queries == ["Wat regel je?"]
