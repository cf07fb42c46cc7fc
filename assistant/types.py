"""Data that crosses module boundaries: documents, chunks, citations, answers."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Literal

from pydantic import BaseModel, Field

Language = Literal["nl", "en"]
Mode = Literal["extractive", "generative"]


class DocumentInfo(BaseModel):
    """A catalog entry: what the user sees as the source."""

    id: str
    file: str
    title: str
    publisher: str = ""
    year: str = ""
    kind: str = ""
    aliases: list[str] = Field(default_factory=list)  # names users call it by, e.g. "RIVM"


class Document(BaseModel):
    """A cleaned document. `text` is what citations quote and offsets point into."""

    info: DocumentInfo
    text: str
    # (char offset where the page starts, 1-based page number); empty for plain text.
    page_starts: list[tuple[int, int]] = Field(default_factory=list)
    top_headings: list[str] = Field(default_factory=list)  # chapter-level headings

    def page_at(self, offset: int) -> int | None:
        page = None
        for start, number in self.page_starts:
            if start > offset:
                break
            page = number
        return page


class Chunk(BaseModel):
    id: str
    doc_id: str
    title: str
    section: str  # heading path, " > " separated
    text: str  # exactly document.text[start:end]
    start: int
    end: int
    page: int | None = None


class RetrievedChunk(BaseModel):
    chunk: Chunk
    score: float  # fused score, higher is better
    dense_rank: int | None = None  # 1-based, None when not in that list
    lexical_rank: int | None = None


class Citation(BaseModel):
    """Numbered source of a claim. `quote` occurs verbatim in the document's cleaned text."""

    n: int
    chunk_id: str
    doc_id: str
    title: str
    section: str
    page: int | None = None
    quote: str
    start: int  # offsets of the quote in the cleaned document
    end: int


class Profile(BaseModel):
    role: str | None = None
    phase: str | None = None  # a phase id from the phase models, see assistant/guidance


class Turn(BaseModel):
    question: str
    answer: str = ""


class Answer(BaseModel):
    question: str
    text: str  # Markdown with [n] markers
    language: Language = "nl"
    mode: Mode = "extractive"
    refused: bool = False  # the corpus does not answer this question
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[RetrievedChunk] = Field(default_factory=list)
    notice: str | None = None  # e.g. fallback from generative mode, input trimmed
    sections: dict[str, list[str]] = Field(default_factory=dict)  # structured parts, e.g. "now"
    latency_ms: float = 0.0
    tokens: dict[str, int] = Field(default_factory=dict)  # prompt/completion where an LLM is used


class InputError(ValueError):
    """A user-facing problem with the input; the message is shown as is."""


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
