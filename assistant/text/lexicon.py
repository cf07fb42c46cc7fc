"""Word lists and the English-Dutch glossary, read once from `data/`.

Three lists serve three purposes and are kept apart on purpose: `STOPWORDS` shapes the BM25
index (changing it changes retrieval), `FUNCTION_WORDS` decides which words count as
evidence in the support check that every claim is calibrated against, and
`QUESTION_WORDS` are words the scope check never treats as a question's defining term.
"""

from __future__ import annotations

from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data")


def _words(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


def _glossary(name: str) -> dict[str, str]:
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise TypeError(f"{name}: verwacht regels 'engels: nederlandse woorden'")
    return {str(k): v for k, v in data.items()}


STOPWORDS = _words("stopwords.txt")
FUNCTION_WORDS_NL = _words("function_words_nl.txt")
FUNCTION_WORDS_EN = _words("function_words_en.txt")
FUNCTION_WORDS = FUNCTION_WORDS_NL | FUNCTION_WORDS_EN
QUESTION_WORDS = _words("question_words_nl.txt")
# Domain terms users write in English, mapped to the words the Dutch corpus uses.
GLOSSARY = _glossary("glossary_en_nl.yaml")
