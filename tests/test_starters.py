"""First-screen examples and follow-up questions: data checked against the vocabulary, choice by topic."""

from __future__ import annotations

from assistant.guidance.starters import follow_ups, starters
from assistant.knowledge.model import claims_by_id, vocabulary
from assistant.knowledge.store import ClaimStore
from assistant.types import Answer, Chunk, Document, DocumentInfo, RetrievedChunk

DOC = "nivel-bekostiging"
# Three real claims' quotes make a passage with claims on several topics.
TEXT = " ".join(claims_by_id()[i].quote for i in ("nivel-020", "nivel-228", "nivel-012", "nivel-028"))


def test_every_topic_has_a_follow_up_in_both_languages_and_every_role_examples() -> None:
    data = starters()
    assert set(data.followups) == set(vocabulary().topics)
    assert all(set(q) == {"nl", "en"} for q in data.followups.values())
    assert {"coordinator", "huisarts", "gemeente", "zorgverzekeraar"} <= set(data.examples)


def _store(claims_text: str) -> tuple[ClaimStore, Chunk]:
    info = DocumentInfo(id=DOC, file=f"{DOC}.txt", title="Nivel")
    documents = {DOC: Document(info=info, text=claims_text)}
    chunk = Chunk(
        id=f"{DOC}-0001", doc_id=DOC, title="Nivel", section="", text=claims_text, start=0, end=len(claims_text)
    )
    return ClaimStore.load(documents), chunk


def test_follow_ups_come_from_the_topics_after_the_one_asked() -> None:
    store, chunk = _store(TEXT)
    topics = [t for c in store.in_chunk(chunk) for t in c.topics]
    assert topics, "the passage holds claims"
    answer = Answer(question="Wat doet een kassier?", text="…", retrieved=[RetrievedChunk(chunk=chunk, score=1.0)])
    questions = follow_ups(answer, store)
    texts = starters().followups
    assert questions and all(any(q == texts[t]["nl"] for t in topics) for q in questions)
    most_common = max(set(topics), key=topics.count)
    assert texts[most_common]["nl"] not in questions  # what was asked is not suggested again
    english = answer.model_copy(update={"language": "en"})
    assert all(q in {v["en"] for v in texts.values()} for q in follow_ups(english, store))
    assert follow_ups(answer.model_copy(update={"refused": True}), store) == []
