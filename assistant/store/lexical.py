"""BM25 over Dutch stems, with a small English-to-Dutch glossary for English questions."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

# Function words carry no topic; the corpus is Dutch, questions may be English.
STOPWORDS = frozenset(Path(__file__).with_name("stopwords.txt").read_text(encoding="utf-8").split())

# Domain terms users write in English, mapped to the words the Dutch corpus uses.
GLOSSARY: dict[str, str] = {
    "funding": "bekostiging financiering",
    "financing": "financiering bekostiging",
    "finance": "financiering bekostiging",
    "payment": "bekostiging betaaltitel",
    "insurer": "zorgverzekeraar",
    "insurers": "zorgverzekeraars",
    "municipality": "gemeente",
    "municipalities": "gemeenten",
    "phase": "fase",
    "phases": "fasen",
    "stage": "fase",
    "network": "netwerk samenwerkingsverband",
    "governance": "governance besturing",
    "supervision": "toezicht",
    "accountability": "verantwoording",
    "prevention": "preventie",
    "evaluation": "evaluatie",
    "monitoring": "monitoring",
    "trust": "vertrouwen",
    "collaboration": "samenwerking",
    "cooperation": "samenwerking",
    "partners": "partners",
    "savings": "besparingen",
    "shared": "gedeelde",
    "budget": "budget",
    "capitation": "capitatie",
    "bundled": "bundel",
    "population": "populatie",
    "care": "zorg",
    "elderly": "ouderen",
    "dementia": "dementie",
    "prevention-funding": "preventie",
    "lead": "leidende",
    "organisation": "organisatie",
    "organization": "organisatie",
    "self-governing": "zelfsturend",
    "regional": "regionale",
    "housing": "woningcorporaties wonen",
    "schools": "onderwijs scholen",
    "data": "data gegevens",
    "goals": "doelen",
    "target": "doelgroep",
    "outcome": "uitkomst",
    "process": "proces",
    "laggards": "achterblijvers",
    "innovators": "vernieuwers",
    "integration": "integratie",
    "chronic": "chronische",
    "routes": "regelingen",
    "coordination": "coördinatie",
    "costs": "kosten",
}


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202
    import Stemmer

    return Stemmer.Stemmer("dutch")


class Decompounder:
    """Split Dutch compounds into corpus words: "procesevaluatie" also counts as "proces" + "evaluatie".

    A split needs both parts (at least 4 letters, a linking s/e allowed) to occur as words in
    the corpus, so invented splits are rare.
    """

    def __init__(self, words: set[str]) -> None:
        self.words = words
        self._cache: dict[str, list[str]] = {}

    def split(self, word: str) -> list[str]:
        if len(word) < 9 or word.isdigit():
            return []
        if word not in self._cache:
            self._cache[word] = self._split(word)
        return self._cache[word]

    def _split(self, word: str) -> list[str]:
        for i in range(4, len(word) - 3):  # shortest head first: "zorg" + "verzekeraar"
            head, tail = word[:i], word[i:]
            if tail not in self.words:
                continue
            for h in (head[:-1] if head[-1] in "se" else None, head):
                if h and len(h) >= 4 and h in self.words:
                    return [h, tail]
        return []


def words_of(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-zà-ÿ0-9]+", text.lower()) if w not in STOPWORDS and len(w) > 1]


def tokenize(text: str, expand: bool = False, compounds: Decompounder | None = None) -> list[str]:
    words = words_of(text)
    if expand:
        words += [g for w in list(words) if w in GLOSSARY for g in GLOSSARY[w].split()]
    if compounds:
        words += [part for w in list(words) for part in compounds.split(w)]
    return list(_stemmer().stemWords(words))


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
            raise ValueError(f"{name}_ids.txt heeft {len(ids)} regels ({len(set(ids))} uniek) "
                             f"voor {rows} BM25-rijen")
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
