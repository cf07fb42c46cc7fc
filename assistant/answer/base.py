"""One interface for both answer modes: answer a question that the service prepared once.

The service checks the input, retrieves once and runs the gate (`enrich.Context`); an
`Answerer` turns that context into an `Answer`, yielding text pieces as they arrive (the
generative mode streams, the default mode answers at once). Enrichment follows either.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Generator, Sequence

from assistant.answer.enrich import Context
from assistant.types import Answer, Mode, Turn


class Answerer(ABC):
    mode: Mode

    def condense(self, question: str, history: Sequence[Turn]) -> str | None:
        """A standalone retrieval query for a follow-up; None lets the service borrow the previous question."""
        return None

    @abstractmethod
    def stream(self, ctx: Context) -> Generator[str, None, Answer]:
        """Text pieces as they arrive; the generator's return value is the finished Answer."""
