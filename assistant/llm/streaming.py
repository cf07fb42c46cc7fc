"""Streaming plumbing: the iterable handed to the UI and token accounting."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

from langchain_core.messages import BaseMessage

from assistant.types import Answer


class Usage:
    def __init__(self) -> None:
        self.prompt = self.completion = 0
        self.reported = False
        self.chars_in = self.chars_out = 0

    def add(self, message: BaseMessage) -> None:
        meta = getattr(message, "usage_metadata", None)
        if meta:
            self.reported = True
            self.prompt += int(meta.get("input_tokens", 0))
            self.completion += int(meta.get("output_tokens", 0))

    def as_dict(self) -> dict[str, int]:
        if self.reported:
            return {"prompt": self.prompt, "completion": self.completion}
        # No usage from the backend (e.g. a fake model): ~4 characters per token.
        est = {"prompt": -(-self.chars_in // 4), "completion": -(-self.chars_out // 4)}
        return {**est, "estimated": 1}


def message_text(message: BaseMessage) -> str:
    content: Any = message.content
    if isinstance(content, str):
        return content
    return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content)


class AnswerStream:
    """Iterate for the text pieces (st.write_stream); `result()` for the final Answer.

    `result()` also finishes a stream whose iteration was abandoned halfway.
    """

    def __init__(self, gen: Generator[str, None, Answer]) -> None:
        self._gen = gen
        self._answer: Answer | None = None
        self.draft = ""  # what was streamed so far

    def __iter__(self) -> Iterator[str]:
        while self._answer is None:
            try:
                piece = next(self._gen)
            except StopIteration as stop:
                self._answer = stop.value
                return
            self.draft += piece
            yield piece

    def result(self) -> Answer:
        for _ in self:
            pass
        assert self._answer is not None
        return self._answer

    @property
    def changed(self) -> bool:
        """The verified text differs from the streamed draft (the UI should re-render)."""
        return self._answer is not None and self._answer.text.strip() != self.draft.strip()
