"""Optional LLM-judge metrics (RAGAS-style), only with `--judge` and a reachable endpoint.

- faithfulness: the judge splits the answer into factual statements and marks each as
  supported or not by the context (the cited quotes, or the top retrieved chunks when the
  answer cites nothing); score = supported / statements.
- answer_relevance: the judge writes questions that the answer would answer; score = mean
  cosine similarity between the original question and each generated one. RAGAS uses
  embeddings for this; here the cosine is over content stems (eval.keypoints), a lexical proxy.

Refused answers get None for both. When the endpoint cannot be reached the judge is marked
unavailable with the reason and every judge metric is None; a run never fails on the judge.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from assistant.types import Answer
from eval.keypoints import tokens
from eval.questions import Case

Complete = Callable[[str], str]  # prompt -> model text
JUDGE_METRICS = ("faithfulness", "answer_relevance")
MAX_CONTEXT_CHARS = 6000

FAITHFULNESS_PROMPT = """Je beoordeelt een antwoord op trouw aan de bronnen.
Splits het ANTWOORD in losse feitelijke beweringen. Geef per bewering aan of de CONTEXT haar
ondersteunt. Antwoord alleen met JSON: {{"statements": [{{"text": "...", "supported": true}}]}}

CONTEXT:
{context}

ANTWOORD:
{answer}
"""

RELEVANCE_PROMPT = """Schrijf drie korte vragen waarop het volgende ANTWOORD een antwoord is,
in de taal van het antwoord. Antwoord alleen met JSON: {{"questions": ["...", "...", "..."]}}

ANTWOORD:
{answer}
"""


def parse_json(text: str) -> Any:
    """The first JSON object in a model reply (tolerates code fences and chatter)."""
    match = re.search(r"\{.*\}", text, flags=re.DOTALL)
    if not match:
        raise ValueError("no JSON object in judge reply")
    return json.loads(match.group(0))


def lexical_cosine(a: str, b: str) -> float:
    """Cosine similarity of the content-token count vectors of two texts."""
    va, vb = Counter(tokens(a)), Counter(tokens(b))
    dot = sum(va[t] * vb[t] for t in va)
    norm = math.sqrt(sum(v * v for v in va.values())) * math.sqrt(sum(v * v for v in vb.values()))
    return dot / norm if norm else 0.0


def _context(answer: Answer) -> str:
    parts = [c.quote for c in answer.citations] or [r.chunk.text for r in answer.retrieved[:4]]
    return "\n---\n".join(parts)[:MAX_CONTEXT_CHARS]


class Judge:
    """Scores answers with an LLM given as `complete(prompt) -> text`."""

    def __init__(self, complete: Complete | None, reason: str = "") -> None:
        self.complete = complete
        self.reason = reason
        self.failures = 0

    @property
    def available(self) -> bool:
        return self.complete is not None

    def faithfulness(self, answer: Answer) -> float | None:
        if self.complete is None or answer.refused or not answer.text.strip():
            return None
        reply = self.complete(FAITHFULNESS_PROMPT.format(context=_context(answer), answer=answer.text))
        statements = parse_json(reply).get("statements") or []
        if not statements:
            return None
        return sum(bool(s.get("supported")) for s in statements) / len(statements)

    def answer_relevance(self, case: Case, answer: Answer) -> float | None:
        if self.complete is None or answer.refused or not answer.text.strip():
            return None
        reply = self.complete(RELEVANCE_PROMPT.format(answer=answer.text))
        questions = [q for q in parse_json(reply).get("questions") or [] if isinstance(q, str)]
        if not questions:
            return None
        return sum(lexical_cosine(case.question, q) for q in questions) / len(questions)

    def score(self, case: Case, answer: Answer) -> dict[str, float | None]:
        """Both judge metrics; a failing call yields None for that metric and counts a failure."""
        out: dict[str, float | None] = {}
        calls: dict[str, Callable[[], float | None]] = {
            "faithfulness": lambda: self.faithfulness(answer),
            "answer_relevance": lambda: self.answer_relevance(case, answer),
        }
        for name, call in calls.items():
            try:
                out[name] = call()
            except Exception:  # noqa: BLE001 - a judge error must never stop the run
                self.failures += 1
                out[name] = None
        return out


def _probe(base_url: str, api_key: str, timeout_s: float) -> str:
    """Empty string when `GET {base_url}/models` answers, else the reason it did not."""
    import httpx

    try:
        resp = httpx.get(
            base_url.rstrip("/") + "/models", timeout=timeout_s, headers={"Authorization": f"Bearer {api_key}"}
        )
    except httpx.HTTPError as exc:
        return f"endpoint {base_url} unreachable ({type(exc).__name__})"
    return "" if resp.status_code < 500 else f"endpoint {base_url} answered {resp.status_code}"


def judge_from_settings(timeout_s: float = 60.0, probe_timeout_s: float = 5.0) -> Judge:
    """A Judge on the configured OpenAI-compatible endpoint (settings.llm_*), or an
    unavailable one that says why."""
    from assistant.settings import get_settings

    settings = get_settings()
    reason = _probe(settings.llm_base_url, settings.llm_api_key, probe_timeout_s)
    if reason:
        return Judge(None, reason)
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    llm = ChatOpenAI(
        base_url=settings.llm_base_url,
        api_key=SecretStr(settings.llm_api_key),
        model=settings.llm_model,
        temperature=0.0,
        timeout=timeout_s,
        max_retries=0,
    )

    def complete(prompt: str) -> str:
        return str(llm.invoke(prompt).content)

    return Judge(complete, f"model {settings.llm_model} at {settings.llm_base_url}")
