"""Does the corpus cover the question at all? Specific terms the corpus never uses say no.

A question about "metformine" or "2026 tarieven" shares many general words with the corpus
(dense similarity stays high), but its defining terms occur nowhere in it. We flag those
terms; Dutch compounds of known words ("experimentfase") do not count.
"""

from __future__ import annotations

import math
import re

from assistant.text.lexicon import GLOSSARY, QUESTION_WORDS, STOPWORDS
from assistant.text.tokens import tokenize
from assistant.types import Language

# Zipf 4 = ten per million words: a common word ("telt", "waaraan") missing from the corpus
# says nothing about scope; a rare one ("metformine", "cao") defines the question.
COMMON_ZIPF = 4.0


def _common_dutch(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl") >= COMMON_ZIPF


class ScopeChecker:
    def __init__(self, texts: list[str]) -> None:
        self.df: dict[str, int] = {}
        self.numbers: set[str] = set()
        for t in texts:
            for stem in set(tokenize(t)):
                self.df[stem] = self.df.get(stem, 0) + 1
            self.numbers.update(re.findall(r"\b\d{4}\b", t))
        self.vocab = set(self.df)
        self.n_texts = max(1, len(texts))

    def idf(self, stem: str) -> float:
        return math.log(1 + self.n_texts / (1 + self.df.get(stem, 0)))

    def _known(self, word: str) -> bool:
        if tokenize(word) and all(s in self.vocab for s in tokenize(word)):
            return True
        # Dutch glues words together: accept a split into two known parts (with a linking s).
        for i in range(3, len(word) - 2):
            head, tail = word[:i], word[i:]
            heads = {head, head[:-1]} if head.endswith("s") else {head}
            if any(self._stem_known(h) for h in heads) and self._stem_known(tail):
                return True
        return False

    def _stem_known(self, part: str) -> bool:
        stems = tokenize(part)
        return bool(stems) and stems[0] in self.vocab

    def unknown_terms(self, question: str, language: Language) -> list[str]:
        """Defining terms of the question that the corpus never uses."""
        words = re.findall(r"[a-zà-ÿ0-9]+", question.lower())
        unknown = []
        for w in words:
            if w in STOPWORDS or w in QUESTION_WORDS:
                continue
            if re.fullmatch(r"(19|20)\d\d", w):
                if w not in self.numbers:
                    unknown.append(w)
                continue
            # English questions are matched through the glossary; other English words say nothing.
            if language == "en" or len(w) < 3 or w.isdigit() or w in GLOSSARY:
                continue
            if not self._known(w) and not _common_dutch(w):
                unknown.append(w)
        return unknown
