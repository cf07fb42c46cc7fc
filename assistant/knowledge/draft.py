"""Draft claims for passages that have none, with the configured LLM backend, for review.

The model proposes kind, quote, nl, en and topics per passage. Its quote is replaced by the
passage sentence that best matches the proposed statement (small models paraphrase), so the
quote is verbatim by construction; every draft then goes through the same checks as the
knowledge base, and the problems are written next to the drafts in the review file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.answer.generative import prompts
from assistant.answer.generative.verify import best_sentence
from assistant.knowledge.checks import Problem, check_duplicates, check_structure, check_support, support_verifier
from assistant.knowledge.model import Claim, ClaimFile, vocabulary
from assistant.types import Chunk, Document

_ARRAY = re.compile(r"\[.*\]", re.S)


@dataclass
class Draft:
    doc: str
    claims: list[Claim] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # model output that was not a usable claim


def parse_proposals(text: str) -> list[dict[str, Any]]:
    """The JSON array in the model's reply (code fences and chatter around it are ignored)."""
    m = _ARRAY.search(text)
    if not m:
        return []
    try:
        data = json.loads(m.group(0))
    except json.JSONDecodeError:
        return []
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []


def to_claim(proposal: Mapping[str, Any], chunk: Chunk, claim_id: str) -> Claim | None:
    vocab = vocabulary()
    nl = str(proposal.get("nl", "")).strip()
    span = best_sentence(nl or str(proposal.get("quote", "")), chunk)
    if span is None or not nl:
        return None
    kind = str(proposal.get("kind", "finding"))
    topics = [t for t in proposal.get("topics", []) if isinstance(t, str) and t in vocab.topics]
    try:
        claim = Claim.model_validate(
            {
                "id": claim_id,
                "kind": kind if kind in vocab.kinds else "finding",
                "nl": nl,
                "en": str(proposal.get("en", "")).strip() or nl,
                "quote": span.text.strip(),
                "topics": topics or ["onderzoek"],
            }
        )
    except ValueError:
        return None
    claim.doc = chunk.doc_id
    return claim


def draft(
    chat_model: Any,
    chunks: Sequence[Chunk],
    documents: Mapping[str, Document],
    phase_ids: set[str],
    prefix: str,
    embedder: Any = None,
    max_claims: int = 3,
) -> Draft:
    """Ask the model for claims per chunk, make quotes verbatim, run the checks."""
    from langchain_core.messages import HumanMessage

    vocab = vocabulary()
    out = Draft(doc=chunks[0].doc_id if chunks else "")
    template = prompts.cached("draft_claims")
    for chunk in chunks:
        prompt = template.render(
            title=chunk.title,
            section=chunk.section or "-",
            text=chunk.text[:1500],
            max_claims=max_claims,
            kinds=", ".join(vocab.kinds),
            topics=", ".join(vocab.topics),
        )
        reply = chat_model.invoke([HumanMessage(prompt)])
        proposals = parse_proposals(str(reply.content))
        if not proposals:
            out.rejected.append(f"{chunk.id}: {str(reply.content)[:120]!r}")
        for p in proposals[:max_claims]:
            claim = to_claim(p, chunk, f"{prefix}-{9000 + len(out.claims) + 1}")
            if claim is None:
                out.rejected.append(f"{chunk.id}: {json.dumps(p, ensure_ascii=False)[:120]}")
            else:
                out.claims.append(claim)
    f = ClaimFile(doc=out.doc, claims=out.claims)
    out.problems = (
        check_structure([f], documents, phase_ids)
        + check_support(out.claims, support_verifier(embedder))
        + check_duplicates(out.claims)
    )
    return out


def write_review(d: Draft, path: Path) -> None:
    """A YAML file in the knowledge-base format; each claim's problems as a `review` list."""
    problems: dict[str, list[str]] = {}
    for p in d.problems:
        problems.setdefault(p.claim, []).append(f"[{p.check}] {p.message}")
    claims = []
    for c in d.claims:
        item = c.model_dump(include={"id", "kind", "topics", "phases", "roles", "nl", "en", "quote"})
        item["review"] = problems.get(c.id, ["ok"])
        claims.append(item)
    data = {"doc": d.doc, "claims": claims, "rejected": d.rejected}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Drafted by `python -m assistant knowledge draft`: review, fix, remove the `review` keys,\n"
        "# give ids, then move the claims into assistant/knowledge/claims/<doc>.yaml.\n"
        + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120),
        encoding="utf-8",
    )
