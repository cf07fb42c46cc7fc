"""Small deterministic text tools for the generative pipeline: sentences, tokens, numbers.

Language detection is shared with the default mode: assistant.answer.language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.corpus.chunking import ABBREVIATION


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words of Dutch and English; they carry no evidence for a claim.
STOPWORDS_NL = _wordset(
    """
    aan af al alle alleen als altijd ander andere anders baar bij binnen daar daarbij daarom
    dan dat de deze die dit doch doen door dus een eens en er ge geen geweest haar had heb
    hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen maar me
    meer men met mij mijn moet na naar niet niets nog nu of om omdat ons ook op over reeds
    te tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen wie
    wij wil worden wordt zal ze zelf zich zij zijn zo zonder zou zoals zowel waarbij waarin
    waardoor welke wanneer hierbij hiervoor daarnaast daarvoor onder tussen per via volgens
    bijvoorbeeld etc enz kunnen moeten mogen zullen werden wordt gaan gaat komt komen
    """
)
STOPWORDS_EN = _wordset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into is
    it its itself just me more most my no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours according e.g etc
    """
)
STOPWORDS = STOPWORDS_NL | STOPWORDS_EN

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
    return {stem(w) for w in words(text) if len(w) > 1 and w not in STOPWORDS}


def numbers(text: str) -> set[str]:
    """Numbers in a text, normalised (1.000 and 1,000 → 1000; 12,5 → 12.5)."""
    out = set()
    for n in _NUMBER.findall(text):
        if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", n):
            out.add(re.sub(r"[.,]", "", n))
        else:
            out.add(n.replace(",", "."))
    return out


@dataclass(frozen=True)
class Span:
    text: str
    start: int  # offsets into the text that was split
    end: int


# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before
# whitespace + an upper-case letter, digit, bullet or quote; or at a line break.
_SENT_END = re.compile(r"(?<=[.!?])(?P<close>[\"')\]’”]*)\s+(?=[\"'(‘“•\-–A-Z0-9À-Ý])|\n+")


def sentence_spans(text: str, min_chars: int = 1) -> list[Span]:
    """Split `text` into sentences; every Span.text == text[start:end] (stripped)."""
    spans: list[Span] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        end = m.start() + len(m.group("close") or "")
        if "\n" not in m.group() and ABBREVIATION.search(text[pos:end]):
            continue
        _add_span(spans, text, pos, end, min_chars)
        pos = m.end()
    _add_span(spans, text, pos, len(text), min_chars)
    return spans


def _add_span(spans: list[Span], text: str, start: int, end: int, min_chars: int) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    stripped = piece.strip()
    if len(stripped) >= min_chars:
        s = start + lead
        spans.append(Span(stripped, s, s + len(stripped)))
