"""The default answerer: verified claims first, extractive sentences where no claim fits."""

from __future__ import annotations

from collections.abc import Callable, Generator

from assistant.answer.base import Answerer
from assistant.answer.claims import ClaimComposer, append_fill
from assistant.answer.enrich import Context
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.retrieval.hybrid import RetrievalResult
from assistant.types import Answer


class DefaultAnswerer(Answerer):
    mode = "extractive"

    def __init__(
        self,
        claims: ClaimComposer,
        extractive: ExtractiveAnswerer,
        covered_docs: Callable[[], set[str]],
        use_claims: bool = True,
    ) -> None:
        self.claims, self.extractive = claims, extractive
        self.covered_docs, self.use_claims = covered_docs, use_claims

    def stream(self, ctx: Context) -> Generator[str, None, Answer]:
        return self.answer(ctx)
        yield  # a generator that answers at once: no pieces before the Answer

    def answer(self, ctx: Context) -> Answer:
        # With a phase block the claims are supporting evidence: fewer, so the answer stays readable.
        answer = None
        if self.use_claims:
            answer = self.claims.compose(
                ctx.question, ctx.language, ctx.retrieval, max_points=4 if ctx.phase_id else None
            )
        if answer is None:
            return self.extractive.compose(
                ctx.question,
                ctx.query,
                ctx.language,
                ctx.retrieval,
                max_points=3 if ctx.phase_id else None,
                has_guidance=ctx.phase_id is not None,
            )
        # A document without claims (one a user added) still speaks through its sentences.
        covered = self.covered_docs()
        bare = [rc for rc in ctx.retrieval.chunks[:3] if rc.chunk.doc_id not in covered]
        if bare:
            part = RetrievalResult(bare, ctx.retrieval.top_dense)
            append_fill(answer, self.extractive.compose(ctx.question, ctx.query, ctx.language, part, max_points=2))
        return answer
