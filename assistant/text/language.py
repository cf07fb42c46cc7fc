"""Language of a question or sentence: the corpus is Dutch, the framing around quotes follows the user.

One detector for both modes, so an answer's framing and a generated answer's language agree.
"""

from __future__ import annotations

import re

from assistant.types import Language

_NL = set(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "is",
        "op",
        "te",
        "dat",
        "die",
        "niet",
        "voor",
        "zijn",
        "met",
        "wat",
        "hoe",
        "welke",
        "wij",
        "we",
        "ons",
        "onze",
        "moeten",
        "kunnen",
        "wordt",
        "worden",
        "naar",
        "bij",
        "ook",
        "als",
        "er",
        "zich",
        "deze",
        "dit",
        "waar",
        "wanneer",
        "hebben",
    ]
)
_EN = set(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "is",
        "on",
        "to",
        "that",
        "which",
        "not",
        "for",
        "are",
        "with",
        "what",
        "how",
        "we",
        "our",
        "should",
        "can",
        "be",
        "does",
        "do",
        "there",
        "when",
        "where",
        "have",
        "has",
        "this",
        "these",
        "it",
        "in",
    ]
)


def detect_language(text: str) -> Language:
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    nl = sum(w in _NL for w in words)
    en = sum(w in _EN for w in words)
    return "en" if en > nl else "nl"
