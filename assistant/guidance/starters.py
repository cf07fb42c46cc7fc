"""Where a conversation starts and how it goes on: example questions per role, follow-ups per topic."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from assistant.guidance.sources import load_yaml
from assistant.knowledge.model import vocabulary
from assistant.knowledge.store import ClaimStore
from assistant.types import Answer, Language

STARTERS_FILE = Path(__file__).with_name("starters.yaml")


class Starters(BaseModel):
    intro: str
    examples: dict[str, list[str]]
    followups: dict[str, dict[Language, str]]


@lru_cache(maxsize=1)
def starters() -> Starters:
    data = Starters.model_validate(load_yaml(STARTERS_FILE))
    vocab = vocabulary()
    unknown = (set(data.examples) - set(vocab.roles)) | (set(data.followups) - set(vocab.topics))
    if unknown:
        raise ValueError(f"starters.yaml: onbekende rol of onderwerp {sorted(unknown)}")
    return data


def follow_ups(answer: Answer, claims: ClaimStore, n: int = 3) -> list[str]:
    """Questions on the topics the answer's passages touch, after the one the question is about.

    The most frequent topic among the claims in the top passages is what was asked; the next
    ones are where the sources lead. Refused answers get none (the refusal names nearby topics).
    """
    if answer.refused:
        return []
    counts = Counter(t for rc in answer.retrieved[:5] for claim in claims.in_chunk(rc.chunk) for t in claim.topics)
    texts = starters().followups
    asked = answer.question.strip().casefold()
    ranked = [texts[t][answer.language] for t, _ in counts.most_common() if t in texts]
    return [q for q in ranked[1:] if q.casefold() != asked][:n]
