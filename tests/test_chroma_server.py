"""The same index build and query against a real Chroma server instead of the embedded store."""

from __future__ import annotations

import pytest

from assistant.embedding.base import FakeEmbedder
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.store.index import build_index, open_index
from assistant.store.registry import REGISTRY
from tests.chroma_server import chroma_server

pytestmark = pytest.mark.slow


def test_index_build_and_query_on_chroma_server(tmp_path, small_corpus):
    with chroma_server(tmp_path / "chroma-data") as port:
        settings = Settings(
            corpus_dir=small_corpus,
            index_dir=tmp_path / "index",
            embedder="fake",
            vector_store="server",
            chroma_host="127.0.0.1",
            chroma_port=port,
        )
        manifest = build_index(settings, FakeEmbedder())
        kb = open_index(settings)
        assert kb.vectors.count() == manifest["n_chunks"]
        assert not (tmp_path / "index" / "builds" / manifest["build_id"] / "chroma").exists()
        answer = Assistant(settings, FakeEmbedder(), kb).ask("Hoe werkt een kassier voor casemanagers?")
        assert answer.citations and not answer.refused
        # A second build makes a new collection and drops the oldest beyond the one kept.
        build_index(settings, FakeEmbedder())
        second = build_index(settings, FakeEmbedder())
        assert open_index(settings).manifest["collection"] == second["collection"]
        client = open_index(settings).vectors._client
        # Two builds are kept, each with its passage and its claim collection (besides the registry).
        names = sorted(c.name.split("-")[0] for c in client.list_collections() if c.name != REGISTRY)
        assert names == ["chunks", "chunks", "claims", "claims"]
