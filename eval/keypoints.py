"""Key-point coverage: a deterministic, Dutch-capable lexical measure.

A text is reduced to a set of content stems: lowercase, diacritics folded, Dutch number words
and "%" normalised, punctuation dropped, Dutch and English stopwords removed, every other
token stemmed with PyStemmer's classic Snowball Dutch suffix stripper (`dutch_porter`; the
newer `dutch` algorithm also strips "ge" inside words and agreed less with the hand labels).
A key point is *covered* by an answer when the share of its content stems that also occur in
the answer's stems is at least `DEFAULT_THRESHOLD`. The threshold was calibrated on
hand-labelled answers in `eval/keypoint_labels.jsonl` (see `eval.calibration` and
`python -m eval calibrate`): 0.35 had the best agreement on the grid 0.05-0.95.

Limits: the measure is lexical. Paraphrases with other words count as missing, and a key
point in English is hardly matched by a Dutch answer (and vice versa): English questions
carry English key points, so an answer made only of Dutch quotes scores low on them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer  # type: ignore[import-not-found,import-untyped,unused-ignore]

DEFAULT_THRESHOLD = 0.35

_NL_STOP = [
    "aan",
    "al",
    "alle",
    "alleen",
    "als",
    "altijd",
    "ander",
    "andere",
    "anders",
    "bij",
    "binnen",
    "daar",
    "daarbij",
    "daarom",
    "dan",
    "dat",
    "de",
    "deze",
    "die",
    "dit",
    "doen",
    "door",
    "dus",
    "een",
    "eens",
    "en",
    "er",
    "erg",
    "ga",
    "gaan",
    "geen",
    "had",
    "heb",
    "hebben",
    "heeft",
    "hem",
    "het",
    "hier",
    "hij",
    "hoe",
    "hun",
    "ik",
    "in",
    "is",
    "ja",
    "je",
    "jij",
    "jullie",
    "kan",
    "kon",
    "kunnen",
    "maar",
    "me",
    "meer",
    "men",
    "met",
    "mij",
    "mijn",
    "moet",
    "moeten",
    "na",
    "naar",
    "niet",
    "niets",
    "nog",
    "nu",
    "of",
    "om",
    "omdat",
    "ons",
    "onze",
    "ook",
    "op",
    "over",
    "reeds",
    "te",
    "tegen",
    "toch",
    "toen",
    "tot",
    "u",
    "uit",
    "uw",
    "van",
    "veel",
    "voor",
    "waar",
    "wanneer",
    "want",
    "waren",
    "was",
    "wat",
    "we",
    "wel",
    "welk",
    "welke",
    "werd",
    "wie",
    "wij",
    "wil",
    "worden",
    "wordt",
    "zal",
    "ze",
    "zelf",
    "zich",
    "zij",
    "zijn",
    "zo",
    "zoals",
    "zonder",
    "zou",
    "zouden",
    "hierbij",
    "waarbij",
    "daarvan",
    "hiervan",
    "waarin",
    "daarin",
    "hierin",
    "wij",
    "elk",
    "elke",
    "ieder",
    "iedere",
    "zowel",
    "beide",
    "via",
    "per",
    "vaak",
    "nog",
    "steeds",
    "even",
    "eigenlijk",
    "volgens",
    "mogelijk",
    "bijvoorbeeld",
    "bijv",
    "onder",
    "tussen",
    "vanuit",
    "tijdens",
]
_EN_STOP = [
    "a",
    "about",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "may",
    "more",
    "most",
    "much",
    "must",
    "no",
    "not",
    "of",
    "on",
    "one",
    "or",
    "other",
    "our",
    "out",
    "over",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "according",
    "etc",
]
STOPWORDS = frozenset(_NL_STOP) | frozenset(_EN_STOP)

_NUMBER_WORDS = {
    "twee": "2",
    "drie": "3",
    "vier": "4",
    "vijf": "5",
    "zes": "6",
    "zeven": "7",
    "acht": "8",
    "negen": "9",
    "tien": "10",
    "elf": "11",
    "twaalf": "12",
    "vijftien": "15",
    "twintig": "20",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "fifteen": "15",
    "twenty": "20",
    "percent": "procent",
}
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch_porter")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Lowercased, diacritic-folded content tokens (stopwords removed, numbers kept)."""
    folded = _fold(text).replace("%", " procent ")
    out = []
    for tok in _TOKEN.findall(folded):
        tok = _NUMBER_WORDS.get(tok, tok)
        if tok not in STOPWORDS and (len(tok) > 1 or tok.isdigit()):
            out.append(tok)
    return out


def content_stems(text: str) -> set[str]:
    """The set of stemmed content tokens of `text`."""
    toks = tokens(text)
    return {s for s in _stemmer().stemWords(toks) if s}


def keypoint_score(key_point: str, answer_stems: set[str]) -> float | None:
    """Share of the key point's content stems present in `answer_stems`; None if it has none."""
    stems = content_stems(key_point)
    if not stems:
        return None
    return len(stems & answer_stems) / len(stems)


def answer_material(text: str, quotes: Iterable[str]) -> set[str]:
    """Content stems of an answer text together with its cited quotes."""
    return content_stems(" ".join([text, *quotes]))


def covered(key_point: str, answer_stems: set[str], threshold: float = DEFAULT_THRESHOLD) -> bool:
    score = keypoint_score(key_point, answer_stems)
    return score is not None and score >= threshold
