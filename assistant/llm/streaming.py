"""Streaming plumbing: the iterable handed to the UI and token accounting."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import BaseMessage


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
