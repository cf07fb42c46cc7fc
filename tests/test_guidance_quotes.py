"""Every curated quote (phases, self-assessment, both wizards) occurs verbatim in the corpus.

Items cite claims of the knowledge base by id (one source of truth for quotes); the quote
checked here is the cited claim's.

Citations promise the user that the quoted words are in the document. The check is a plain
`in` on `clean_text` output, without any normalisation, so curly quotes, hyphenation and
spacing must match exactly. A failure here usually means the cleaning changed; fix the quote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.corpus.cleaning import clean_text
from assistant.knowledge.model import claims_by_id
from assistant.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = [
    ROOT / "assistant" / "guidance" / "phases.yaml",
    ROOT / "assistant" / "guidance" / "assessment.yaml",
    ROOT / "assistant" / "wizards" / "funding.yaml",
    ROOT / "assistant" / "wizards" / "governance.yaml",
]
_TEXTS: dict[str, str] = {}


def _text(doc_id: str) -> str:
    if doc_id not in _TEXTS:
        path = Path(get_settings().corpus_dir) / f"{doc_id}.txt"
        _TEXTS[doc_id] = clean_text(path.read_text(encoding="utf-8"))
    return _TEXTS[doc_id]


def _quoted(node: Any, where: str = "") -> list[tuple[str, str, str]]:
    """(location, doc, quote) for every item citing a claim, plus model description quotes."""
    found: list[tuple[str, str, str]] = []
    if isinstance(node, dict):
        if "claim" in node:
            claim = claims_by_id()[node["claim"]]
            found.append((where, claim.doc, claim.quote))
        if "description_quote" in node and "source" in node:
            found.append((where + "/description", node["source"], node["description_quote"]))
        for key, value in node.items():
            found += _quoted(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _quoted(value, f"{where}[{i}]")
    return found


ALL_QUOTES = [
    (f"{path.name}{loc}", doc, quote)
    for path in YAML_FILES
    for loc, doc, quote in _quoted(yaml.safe_load(path.read_text(encoding="utf-8")))
]


def test_there_are_many_quotes() -> None:
    assert len(ALL_QUOTES) > 400


@pytest.mark.parametrize(("location", "doc", "quote"), ALL_QUOTES, ids=[q[0] for q in ALL_QUOTES])
def test_quote_is_verbatim_in_cleaned_document(location: str, doc: str, quote: str) -> None:
    assert quote.strip(), f"{location}: empty quote"
    assert quote in _text(doc), f"{location}: not verbatim in {doc}: {quote[:90]!r}"


def test_every_item_has_a_short_dutch_text() -> None:
    def texts(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node.get("text") or claims_by_id()[node["claim"]].nl] if "claim" in node else []
            return own + [t for v in node.values() for t in texts(v)]
        if isinstance(node, list):
            return [t for v in node for t in texts(v)]
        return []

    for path in YAML_FILES:
        for text in texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            assert 10 <= len(text) <= 260, f"{path.name}: {text!r}"


def test_items_cite_claims_instead_of_carrying_quotes() -> None:
    def own_quotes(node: Any, where: str) -> list[str]:
        if isinstance(node, dict):
            here = [where] if "quote" in node or "doc" in node else []
            return here + [w for k, v in node.items() for w in own_quotes(v, f"{where}/{k}")]
        if isinstance(node, list):
            return [w for i, v in enumerate(node) for w in own_quotes(v, f"{where}[{i}]")]
        return []

    for path in YAML_FILES:
        assert own_quotes(yaml.safe_load(path.read_text(encoding="utf-8")), path.name) == []
