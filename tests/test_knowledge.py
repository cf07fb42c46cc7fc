"""The knowledge base: every claim verbatim, in the closed vocabularies, supported, unique,
and every content chunk of the corpus covered. English support needs e5 (slow test)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from assistant.corpus.chunking import chunk_document
from assistant.corpus.loaders import load_corpus
from assistant.guidance.phases import all_phase_ids
from assistant.knowledge.checks import (
    check_duplicates,
    check_structure,
    check_support,
    checking_embedder,
    support_verifier,
    uncovered_chunks,
)
from assistant.knowledge.model import Claim, ClaimFile, claim_files, read_claim_file
from assistant.knowledge.store import ClaimStore
from assistant.settings import ROOT, Settings


@lru_cache(maxsize=1)
def corpus():  # noqa: ANN201
    s = Settings()
    docs = load_corpus(ROOT / "corpus").documents
    chunks = [c for d in docs.values() for c in chunk_document(d, s.chunk_chars, s.chunk_overlap_chars)]
    return docs, chunks, ClaimStore.load(docs)


def test_every_document_has_a_claims_file():
    docs, _, store = corpus()
    assert store.covered_docs() == set(docs)
    assert not store.errors


def test_claims_are_verbatim_and_use_the_closed_vocabularies():
    docs, _, store = corpus()
    problems = check_structure(store.files, docs, set(all_phase_ids()))
    assert not problems, "\n".join(map(str, problems[:20]))
    assert not store.unresolved
    assert len(store) >= 1000
    for claim in store.claims.values():
        assert docs[claim.doc].text[claim.start : claim.end] == claim.quote


def test_dutch_text_of_every_claim_is_supported_by_its_quote():
    _, _, store = corpus()
    problems = check_support(store.claims.values(), support_verifier(None))
    assert not problems, "\n".join(map(str, problems[:20]))


def test_no_near_duplicate_claims():
    _, _, store = corpus()
    problems = check_duplicates(store.claims.values())
    assert not problems, "\n".join(map(str, problems[:20]))


def test_every_content_chunk_holds_a_claim():
    _, chunks, store = corpus()
    missing = uncovered_chunks(store, chunks)
    assert [c.id for c in missing] == []


def test_skipped_sections_are_reference_lists_contents_or_colophons():
    _, chunks, store = corpus()
    skipped = [c for c in chunks if store.skipped(c)]
    assert len(skipped) < 0.15 * len(chunks)
    for f in store.files:
        assert all(s.reason.strip() for s in f.skip)


def _claim(**kw: object) -> dict:
    return {
        "id": "x-001",
        "kind": "finding",
        "topics": ["bekostiging"],
        "nl": "De huidige bekostiging remt samenwerking.",
        "en": "Current funding hampers collaboration.",
        "quote": "De huidige bekostiging remt de samenwerking tussen domeinen.",
    } | kw


def test_checks_catch_each_kind_of_problem(tmp_path: Path):
    docs, _, _ = corpus()
    doc = "nivel-bekostiging"
    real = docs[doc].text
    sentence = next(s for s in real.split(". ") if 60 < len(s) < 200 and "\n" not in s)
    good = _claim(quote=sentence, nl=sentence, en="Not checked without an embedder.")
    bad = [
        _claim(id="x-002", quote="Deze zin staat nergens in het document zelf."),
        _claim(id="x-003", quote=sentence, topics=["weer"], roles=["minister"], phases=["omk-9"]),
    ]
    f = ClaimFile.model_validate({"doc": doc, "claims": [good, *bad]})
    for c in f.claims:
        c.doc = doc
    checks = {(p.claim, p.check) for p in check_structure([f], docs, set(all_phase_ids()))}
    assert ("x-002", "verbatim") in checks and ("x-003", "vocabulary") in checks
    assert ("x-001", "verbatim") not in checks
    dupes = check_duplicates(f.claims)
    assert {p.claim for p in dupes} == {"x-003"}  # same quote as x-001
    unsupported = Claim.model_validate(_claim(id="x-004", quote=sentence, nl="Gemeenten betalen alle zorg."))
    unsupported.doc = doc
    assert check_support([unsupported], support_verifier(None))


def test_a_broken_claims_file_is_reported_not_raised(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("doc: x\nclaims: [{id: 1}]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="a.yaml"):
        read_claim_file(tmp_path / "a.yaml")
    errors: list[str] = []
    assert claim_files(tmp_path, errors) == [] and "a.yaml" in errors[0]


@pytest.mark.slow
def test_english_text_of_every_claim_is_supported_by_its_quote():
    from assistant.embedding.prepare import prepare_model

    settings = Settings(embedder="e5")
    prepare_model(settings.model_path)
    embedder = checking_embedder(settings)
    assert embedder is not None and embedder.dtype == "float32"
    _, _, store = corpus()
    problems = check_support(store.claims.values(), support_verifier(embedder))
    assert not problems, "\n".join(map(str, problems[:20]))
