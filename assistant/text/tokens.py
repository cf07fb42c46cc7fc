"""Tokens: accent folding, prefix stems for evidence, Snowball stems and compounds for BM25.

Two tokenisers on purpose. `content_stems` (6-letter prefixes, no stemmer) is what the
support check of every claim and generated sentence is calibrated on. `tokenize` (Snowball
Dutch stems, glossary expansion for English, compound splitting) is what BM25 and the
scope check index and match with. Changing either moves calibrated numbers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.text.lexicon import FUNCTION_WORDS, GLOSSARY, STOPWORDS

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
STEM_CHARS = 6


def fold(text: str) -> str:
    """Lowercase and drop accents (één → een, geïndiceerd → geindiceerd)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lowercased, accent-folded words without punctuation."""
    return [w.replace("’", "'") for w in _WORD.findall(fold(text))]


def stem(word: str) -> str:
    """Prefix stem: inflections, Dutch compounds' heads and many EN/NL cognates agree on it."""
    return word[:STEM_CHARS]


def content_stems(text: str) -> set[str]:
    """Stems of the words that can carry evidence (no stopwords, no 1-letter words)."""
    return {stem(w) for w in words(text) if len(w) > 1 and w not in FUNCTION_WORDS}


def numbers(text: str) -> set[str]:
    """Numbers in a text, normalised (1.000 and 1,000 → 1000; 12,5 → 12.5)."""
    out = set()
    for n in _NUMBER.findall(text):
        if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", n):
            out.add(re.sub(r"[.,]", "", n))
        else:
            out.add(n.replace(",", "."))
    return out


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
