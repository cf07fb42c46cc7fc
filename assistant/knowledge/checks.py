"""Checks every claim must pass (`python -m assistant knowledge check`, and the tests).

- verbatim: the quote occurs in the cleaned document text;
- vocabulary: kind, topics, roles and phases come from the closed lists;
- support: `nl` and `en` are supported by the quote, with the calibrated check that also
  verifies generated answers (assistant/answer/generative/verify.py: content-stem overlap plus the numbers
  rule; e5 similarity for the English text when an embedder is given);
- duplicates: no two claims of a document with the same quote or near-identical `nl`;
- coverage: every content chunk (not in a `skip` section) holds at least one claim's quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.answer.generative.verify import SemanticScorer, Verifier
from assistant.knowledge.model import Claim, ClaimFile, vocabulary
from assistant.knowledge.store import ClaimStore, resolve
from assistant.text.tokens import content_stems
from assistant.types import Chunk, Document

if TYPE_CHECKING:
    from assistant.settings import Settings

NEAR_DUPLICATE = 0.8  # Jaccard of content stems of two `nl` texts
MAX_QUOTE = 600


@dataclass(frozen=True)
class Problem:
    doc: str
    claim: str  # claim id, or a chunk id for coverage problems
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.doc} {self.claim} [{self.check}] {self.message}"


def check_structure(
    files: Iterable[ClaimFile], documents: Mapping[str, Document], phase_ids: set[str]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for f in files:
        if f.doc not in documents:
            problems.append(Problem(f.doc, "-", "document", "onbekend document-id"))
            continue
        for c in f.claims:
            problems += [Problem(f.doc, c.id, check, msg) for check, msg in _claim_problems(c, documents, phase_ids)]
            if c.id in seen:
                problems.append(Problem(f.doc, c.id, "id", "dubbel id"))
            seen.add(c.id)
    return problems


def _claim_problems(c: Claim, documents: Mapping[str, Document], phase_ids: set[str]) -> list[tuple[str, str]]:
    vocab = vocabulary()
    out = []
    if not resolve(c, documents):
        out.append(("verbatim", f"citaat niet letterlijk in de tekst: {c.quote[:70]!r}"))
    if len(c.quote) > MAX_QUOTE:
        out.append(("verbatim", f"citaat langer dan {MAX_QUOTE} tekens"))
    out += [("vocabulary", f"onbekend topic {t!r}") for t in c.topics if t not in vocab.topics]
    out += [("vocabulary", f"onbekende rol {r!r}") for r in c.roles if r not in vocab.roles]
    out += [("vocabulary", f"onbekende fase {p!r}") for p in c.phases if p not in phase_ids]
    return out


def checking_embedder(settings: Settings) -> Any | None:
    """The e5 model for the claim checks, always in float32.

    SEMANTIC_THRESHOLD was calibrated in float32. With "auto" a CPU with native bfloat16 would
    embed in bfloat16, which moves cosines by up to ~5e-4 (measured on 43 claims), enough to
    flip claims that sit just above the threshold: the verdict must not depend on the machine.
    """
    if settings.embedder != "e5":
        return None
    from assistant.service import make_embedder

    return make_embedder(settings.model_copy(update={"embedding_dtype": "float32"}))


def support_verifier(embedder: Any | None) -> Verifier:
    return Verifier(semantic=SemanticScorer(embedder, cache_size=4096) if embedder is not None else None)


def check_support(claims: Iterable[Claim], verifier: Verifier) -> list[Problem]:
    """`nl` and `en` must each be supported by the quote (English needs the semantic scorer)."""
    problems = []
    for c in claims:
        passage = Chunk(id=c.id, doc_id=c.doc, title="", section="", text=c.quote, start=c.start, end=c.end)
        texts = [("nl", c.nl)] + ([("en", c.en)] if verifier.semantic is not None else [])
        for lang, text in texts:
            ok, score = verifier.supports(text, passage)
            if not ok:
                problems.append(
                    Problem(
                        c.doc,
                        c.id,
                        "support",
                        f"{lang} niet gedekt door het citaat (overlap {score:.2f}): {text[:70]!r}",
                    )
                )
    return problems


def check_duplicates(claims: Iterable[Claim]) -> list[Problem]:
    by_doc: dict[str, list[tuple[Claim, frozenset[str]]]] = {}
    problems = []
    for c in claims:
        stems = frozenset(content_stems(c.nl))
        for other, other_stems in by_doc.get(c.doc, []):
            same_quote = other.quote == c.quote
            union = stems | other_stems
            if same_quote or (union and len(stems & other_stems) / len(union) >= NEAR_DUPLICATE):
                what = "zelfde citaat" if same_quote else "bijna gelijke nl-tekst"
                problems.append(Problem(c.doc, c.id, "duplicate", f"{what} als {other.id}"))
        by_doc.setdefault(c.doc, []).append((c, stems))
    return problems


def uncovered_chunks(store: ClaimStore, chunks: Iterable[Chunk]) -> list[Chunk]:
    """Content chunks of documents with a claims file that hold no claim's quote."""
    docs = store.covered_docs()
    return [ch for ch in chunks if ch.doc_id in docs and not store.skipped(ch) and not store.in_chunk(ch)]


def check_all(
    documents: Mapping[str, Document],
    chunks: list[Chunk],
    phase_ids: set[str],
    embedder: Any | None = None,
    doc: str | None = None,
) -> list[Problem]:
    store = ClaimStore.load(documents)
    files = [f for f in store.files if doc is None or f.doc == doc]
    problems = check_structure(files, documents, phase_ids)
    claims = [c for c in store.claims.values() if doc is None or c.doc == doc]
    problems += check_support(claims, support_verifier(embedder))
    problems += check_duplicates(claims)
    problems += [
        Problem(ch.doc_id, ch.id, "coverage", f"geen claim in chunk ({ch.section[:60]}): {ch.text[:60]!r}")
        for ch in uncovered_chunks(store, chunks)
        if doc in (None, ch.doc_id)
    ]
    return problems
