"""BM25 over Dutch stems (tokens from assistant.text.tokens), saved beside the vector store."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.text.tokens import Decompounder, tokenize, words_of


class LexicalIndex:
    def __init__(self, chunk_ids: list[str], retriever, words: set[str]) -> None:  # noqa: ANN001
        self.chunk_ids = chunk_ids
        self._bm25 = retriever
        self.words = words
        self.compounds = Decompounder(words)

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str]) -> LexicalIndex:
        import bm25s

        words = {w for t in texts for w in words_of(t) if len(w) >= 4}
        compounds = Decompounder(words)
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index([tokenize(t, compounds=compounds) for t in texts], show_progress=False)
        return cls(chunk_ids, retriever, words)

    def save(self, folder: Path, name: str = "bm25") -> None:
        self._bm25.save(str(folder / name))
        (folder / f"{name}_ids.txt").write_text("\n".join(self.chunk_ids), encoding="utf-8")
        (folder / f"{name}_words.txt").write_text("\n".join(sorted(self.words)), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, name: str = "bm25") -> LexicalIndex:
        import bm25s

        ids = (folder / f"{name}_ids.txt").read_text(encoding="utf-8").split("\n")
        words = set((folder / f"{name}_words.txt").read_text(encoding="utf-8").split("\n"))
        retriever = bm25s.BM25.load(str(folder / name))
        # A truncated ids file would otherwise surface as an IndexError on some later question.
        rows = int(retriever.scores["num_docs"])
        if len(ids) != rows or len(set(ids)) != len(ids):
            raise ValueError(f"{name}_ids.txt heeft {len(ids)} regels ({len(set(ids))} uniek) voor {rows} BM25-rijen")
        return cls(ids, retriever, words)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        tokens = tokenize(query, expand=True, compounds=self.compounds)
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]
