"""The generative mode behind the `Answerer` interface: the model writes from the prepared context.

The prompt holds the quotes of the best claims (short), or clipped passages where no claim fits;
any failure falls back to the default answerer on the same context (no second retrieval).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

from assistant.answer.base import Answerer
from assistant.answer.claims import ClaimComposer, claim_passage
from assistant.answer.default import DefaultAnswerer
from assistant.answer.enrich import Context
from assistant.answer.generative.pipeline import GenerativeAnswerer
from assistant.types import Answer, Chunk, Turn


class PreparedGenerative(Answerer):
    mode = "generative"

    def __init__(
        self,
        model: GenerativeAnswerer,
        claims: ClaimComposer,
        fallback: DefaultAnswerer,
        *,
        use_claims: bool = True,
        n_claims: int = 6,
    ) -> None:
        self.model, self.claims, self.fallback = model, claims, fallback
        self.use_claims, self.n_claims = use_claims, n_claims

    def condense(self, question: str, history: Sequence[Turn]) -> str | None:
        return self.model.condense(question, history)

    def stream(self, ctx: Context) -> Generator[str, None, Answer]:
        pieces = self.model.stream_prepared(
            ctx.question,
            self.prompt_passages(ctx),
            ctx.retrieval.chunks,
            lambda: self.fallback.answer(ctx),
            ctx.profile,
        )
        yield from pieces
        return pieces.result()

    def prompt_passages(self, ctx: Context) -> list[Chunk]:
        """The prompt's context: the best claims' quotes (short), else clipped passages."""
        chosen = self.claims.select(ctx.question, ctx.retrieval, self.n_claims) if self.use_claims else []
        if not chosen:
            return [rc.chunk.model_copy(update={"text": rc.chunk.text[:1200]}) for rc in ctx.retrieval.chunks[:4]]
        return [claim_passage(c) for c in chosen]
