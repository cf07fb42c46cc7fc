"""Build the generative answerer for `assistant.service.Assistant` (mode="generative")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.answer.generative.pipeline import GenerativeAnswerer
from assistant.types import Answer, RetrievedChunk, Turn

if TYPE_CHECKING:
    from assistant.service import Assistant


def make_generative(assistant: Assistant) -> GenerativeAnswerer:
    """Retrieval, extractive fallback, documents and embedder all come from `assistant`.

    The e5 embedder also checks claims that are not in Dutch (see verify.SemanticScorer);
    a fake (hashing) embedder would only add noise, so it is left out.
    """

    def retrieve(query: str, k: int) -> list[RetrievedChunk]:
        return list(assistant.retrieve(query, k))

    def fallback(question: str, history: Sequence[Turn]) -> Answer:
        return assistant.ask(question, history=list(history), mode="extractive")

    embedder = assistant.embedder
    semantic = embedder if str(getattr(embedder, "name", "")).startswith("multilingual-e5") else None
    return GenerativeAnswerer.from_settings(
        retrieve,
        fallback,
        settings=assistant.settings,
        documents=assistant.documents,
        embedder=semantic,
    )
