"""A running app picks up a build that another process activated (it reads index/ACTIVE per run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import get_settings


def test_a_new_active_build_replaces_the_cached_assistant(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, small_corpus: Path
) -> None:
    from assistant.service import make_embedder
    from assistant.store.index import build_index
    from assistant.ui import resources

    monkeypatch.setenv("ASSISTANT_EMBEDDER", "fake")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    get_settings.cache_clear()
    try:
        first = resources.load_assistant()
        assert resources.load_assistant() is first  # same build: the cached one
        settings = get_settings()
        manifest = build_index(settings, make_embedder(settings))  # as `python -m assistant index` elsewhere
        second = resources.load_assistant()
        assert second is not first
        assert second.kb.manifest["build_id"] == manifest["build_id"] == resources.active_build(settings)
        assert second.embedder is first.embedder  # the model is loaded once
        assert second.ask("Wie treedt op als kassier voor de casemanagers?").citations
    finally:
        get_settings.cache_clear()
