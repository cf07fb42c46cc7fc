"""The chat page in generative mode: streamed text, verified answer, visible fallback.

The chat model is a deterministic fake that quotes the first sentence of passage [1];
the rest (retrieval, prompt, verification, UI) is the real code on the fake-embedder index.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from streamlit.testing.v1 import AppTest

from assistant.settings import ROOT, get_settings

APP = str(ROOT / "app.py")
QUESTION = "Wie treedt op als kassier voor de casemanagers in het dementienetwerk?"


class QuotingModel(FakeListChatModel):
    """Answers with the first sentence of passage [1], cited: a faithful model."""

    responses: list[str] = ["-"]

    def _reply(self, messages: list[BaseMessage]) -> str:
        prompt = str(messages[-1].content)
        passage = prompt.split("\n[1] ", 1)[1].split("\n", 1)[1] if "\n[1] " in prompt else prompt.split("[1] ", 1)[1]
        first = re.split(r"(?<=[.!?])\s", passage.strip(), maxsplit=1)[0]
        return f"{first} [1]"

    def _call(self, messages: list[BaseMessage], *args: Any, **kw: Any) -> str:  # type: ignore[override]
        return self._reply(messages)

    def _stream(self, messages: list[BaseMessage], *args: Any, **kw: Any) -> Any:  # type: ignore[override]
        self.responses, self.i = [self._reply(messages)], 0
        yield from super()._stream(messages, *args, **kw)


@pytest.fixture
def generative(monkeypatch: pytest.MonkeyPatch, fake_index: Path) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "fake")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(fake_index))
    monkeypatch.setenv("ASSISTANT_MODE", "generative")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _ask(question: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    return at.chat_input(key="chat_input").set_value(question).run()


def test_generative_answer_is_verified_and_shows_its_mode(generative: pytest.MonkeyPatch) -> None:
    generative.setattr("assistant.llm.chat.make_chat_model", lambda settings, **kw: QuotingModel())
    at = _ask(QUESTION)
    assert not at.exception
    [message] = at.session_state["chat_messages"]
    answer = message["answer"]
    assert answer.mode == "generative" and answer.citations and not answer.refused
    assert any("Modus: Generatief" in m.value for m in at.markdown)
    assert any(b.key.startswith(f"cite_{message['id']}_") for b in at.button)  # a chip per citation


def test_unreachable_backend_falls_back_with_a_notice(generative: pytest.MonkeyPatch) -> None:
    generative.setenv("ASSISTANT_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens on port 9
    generative.setenv("ASSISTANT_LLM_TIMEOUT_S", "5")
    get_settings.cache_clear()
    at = _ask(QUESTION)
    assert not at.exception and not at.error
    [message] = at.session_state["chat_messages"]
    answer = message["answer"]
    assert answer.mode == "extractive" and answer.citations  # the grounded default answer
    assert answer.notice and any(answer.notice in i.value for i in at.info)
