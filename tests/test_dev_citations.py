"""Every citation produced for the dev questions quotes the cleaned document verbatim."""

from __future__ import annotations

import json

import pytest

from assistant.settings import ROOT

pytestmark = pytest.mark.slow
QUESTIONS = [json.loads(line) for line in (ROOT / "eval" / "questions_dev.jsonl").open(encoding="utf-8")]


@pytest.mark.parametrize("case", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_citation_quotes_occur_verbatim(real_assistant, case):
    answer = real_assistant.ask(case["question"])
    for c in answer.citations:
        text = real_assistant.documents[c.doc_id].text
        assert c.quote and c.quote in text, f"[{c.n}] not in {c.doc_id}: {c.quote[:80]}"
        assert text[c.start : c.end] == c.quote
    if case["kind"] != "out_of_scope":
        assert answer.refused or answer.citations
