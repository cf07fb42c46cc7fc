"""Answers composed from claims: the question's language, verbatim citations, grouping by kind,
list questions, claims as retrieval keys, and extractive fill-in for documents without claims."""

from __future__ import annotations

import pytest

from assistant.answer.claims import GROUPS, KIND_GROUP, is_list_question, leading_point
from assistant.answer.phrases import phrase
from assistant.knowledge.model import Claim
from assistant.retrieval.hybrid import RetrievedClaim
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.types import Chunk

QUESTION = "Welke bekostigingsmodellen passen bij domeinoverstijgende samenwerking?"


def test_dutch_answer_is_made_of_claims_cited_to_their_quotes(assistant: Assistant) -> None:
    answer = assistant.ask(QUESTION)
    assert not answer.refused and len(answer.citations) >= 3
    claims = {c.quote: c for c in assistant.kb.claims.claims.values()}
    for cit in answer.citations:
        claim = claims[cit.quote]
        assert assistant.documents[cit.doc_id].text[cit.start : cit.end] == cit.quote == claim.quote
        assert f"{claim.nl} [{cit.n}]".replace("*", "\\*") in answer.text or claim.nl in answer.text
    assert answer.text.startswith(phrase("nl", "intro_claims"))
    assert f"**{phrase('nl', 'core')}**" in answer.text


def test_english_question_gets_english_claims(assistant: Assistant) -> None:
    answer = assistant.ask("Which payment models suit cross-domain collaboration?")
    assert answer.language == "en" and not answer.refused and answer.citations
    claims = {c.quote: c for c in assistant.kb.claims.claims.values()}
    for cit in answer.citations:
        assert claims[cit.quote].en in answer.text
    assert f"**{phrase('en', 'core')}**" in answer.text


def test_points_are_grouped_by_kind_in_a_fixed_order(assistant: Assistant) -> None:
    answer = assistant.ask(QUESTION)
    heads = [g for g in GROUPS if f"**{phrase('nl', g)}**" in answer.text]
    positions = [answer.text.index(f"**{phrase('nl', g)}**") for g in heads]
    assert positions == sorted(positions) and heads[0] == "core"
    assert set(KIND_GROUP.values()) == set(GROUPS)


def test_list_questions_get_more_points(assistant: Assistant) -> None:
    assert is_list_question(QUESTION) and is_list_question("Which models are there?")
    assert not is_list_question("Hoe werkt de kassier?")
    listed = assistant.ask(QUESTION)
    assert len(listed.citations) > assistant.claims.max_points - 2


def test_no_two_points_quote_the_same_sentence(assistant: Assistant) -> None:
    answer = assistant.ask("Wat zijn knelpunten bij de bekostiging door zorgverzekeraars en gemeenten?")
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == len(set(quotes))


def test_claims_are_retrieval_keys_and_units(assistant: Assistant) -> None:
    res = assistant.retriever.search("shared savings population-based payment", 8)
    assert res.claims and res.top_claim_dense != 0
    top = res.claims[0]
    assert top.claim.id in assistant.kb.claims.claims
    assert any(w in f"{top.claim.en} {top.claim.nl}".lower() for w in ("savings", "population", "populatie"))


def test_without_claims_the_answer_is_extractive(tmp_path, small_corpus) -> None:
    settings = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "ix", embedder="fake", claim_retrieval=False)
    plain = Assistant.create(settings)
    answer = plain.ask(QUESTION)
    assert not answer.refused and answer.text.startswith(phrase("nl", "intro"))
    assert not plain.retriever.use_claims


def test_a_document_without_claims_fills_in_with_its_sentences(tmp_path, small_corpus) -> None:
    extra = "De kassier in de wijk Zonnedal verrekent de inzet van casemanagers tussen zeven organisaties."
    (small_corpus / "zonnedal.txt").write_text(f"Zonnedal\n\n{extra}\n", encoding="utf-8")
    a = Assistant.create(Settings(corpus_dir=small_corpus, index_dir=tmp_path / "ix", embedder="fake"))
    answer = a.ask("Hoe verrekent de kassier in Zonnedal de inzet van casemanagers tussen organisaties?")
    assert any(c.doc_id == "zonnedal" and extra.startswith(c.quote[:40]) for c in answer.citations)
    assert f"**{phrase('nl', 'extra')}**" in answer.text or answer.text.startswith(phrase("nl", "intro"))


@pytest.mark.parametrize("phase", ["rivm-2", "omk-2"])
def test_phase_block_still_follows_the_claims(assistant: Assistant, phase: str) -> None:
    from assistant.types import Profile

    answer = assistant.ask("Wat moeten we in onze fase nu regelen?", profile=Profile(phase=phase))
    assert not answer.refused and any(k.startswith("phase_") for k in answer.sections)


def _point(kind: str, n: int) -> RetrievedClaim:
    chunk = Chunk(id=f"d:{n:04d}", doc_id="d", title="D", text="x" * 40, start=0, end=40, section="s")
    claim = Claim(
        id=f"d-{n:03d}",
        kind=kind,
        nl=f"Punt nummer {n} in het Nederlands.",
        en=f"Point number {n} in English.",
        quote="x" * 30,
        topics=["t"],
    )
    return RetrievedClaim(claim, 1.0 / n, chunk, True)


def test_a_tool_or_example_never_leads_when_a_substantive_point_was_chosen() -> None:
    tool, example, advice, finding = _point("tool", 1), _point("example", 2), _point("advice", 3), _point("finding", 4)
    assert leading_point([tool, example, advice, finding]) is advice
    assert leading_point([finding, tool]) is finding
    assert leading_point([tool, example]) is tool  # nothing substantive: the best point still leads
