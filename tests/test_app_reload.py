"""A running app picks up a build that another process activated (it reads index/ACTIVE per run)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import get_settings


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, small_corpus: Path) -> Iterator[None]:
    """The app's settings on a small corpus with the fake embedder, as environment variables."""
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "fake")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_new_active_build_replaces_the_cached_assistant(app_env: None) -> None:
    from assistant.service import make_embedder
    from assistant.store.index import build_index
    from assistant.ui import resources

    first = resources.load_assistant()
    assert resources.load_assistant() is first  # same build: the cached one
    settings = get_settings()
    manifest = build_index(settings, make_embedder(settings))  # as `python -m assistant index` elsewhere
    second = resources.load_assistant()
    assert second is not first
    assert second.kb.manifest["build_id"] == manifest["build_id"] == resources.active_build(settings)
    assert second.embedder is first.embedder  # the model is loaded once
    assert second.ask("Wie treedt op als kassier voor de casemanagers?").citations


def test_after_a_fallback_the_app_says_so_and_switches_to_the_background_build(
    app_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from chromadb.api.client import SharedSystemClient
    from streamlit.testing.v1 import AppTest

    from assistant.service import make_embedder
    from assistant.store import background
    from assistant.store.index import build_index
    from assistant.ui import resources

    monkeypatch.setattr(resources, "_READY", set())
    release = threading.Event()  # the background build waits for it, so the fallback is seen first

    def held_build(*args: Any, **kwargs: Any) -> dict:
        release.wait(timeout=300)
        return build_index(*args, **kwargs)

    monkeypatch.setattr(background, "build_index", held_build)
    try:
        settings = get_settings()
        previous = build_index(settings, make_embedder(settings))["build_id"]
        broken = build_index(settings, make_embedder(settings))["build_id"]
        shutil.rmtree(settings.index_dir / "builds" / broken / "chroma")
        SharedSystemClient.clear_system_cache()  # as a restarted app
        served = resources.load_assistant()  # at once, from the previous build
        assert served.kb.manifest["build_id"] == previous and served.kb.fallback_reason
        assert any("op de achtergrond" in w for w in served.kb.warnings)
        at = AppTest.from_function(_sidebar_page, default_timeout=60).run()
        assert any("De actieve index was beschadigd" in e.value for e in at.sidebar.error)
        release.set()
        background._RUNNING[str(settings.index_dir.resolve())].join(timeout=300)
        rebuilt = resources.load_assistant()  # the next page run
        assert rebuilt.kb.manifest["build_id"] not in {previous, broken} and not rebuilt.kb.fallback_reason
        assert rebuilt.ask("Wie treedt op als kassier voor de casemanagers?").citations
    finally:
        release.set()  # a failed assertion must not leave the build thread waiting


def _sidebar_page() -> None:
    from assistant.ui.sidebar import render_sidebar

    render_sidebar()
