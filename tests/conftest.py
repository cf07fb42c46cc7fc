"""Shared fixtures: a small corpus slice, fake-embedder settings, and the real assistant."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.settings import ROOT, Settings

CORPUS = ROOT / "corpus"
SLICE = ["rivm-samenwerkingsverbanden.txt", "nivel-bekostiging.txt"]


@pytest.fixture(autouse=True)
def _app_data_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Feedback and other app data of a test go to its own folder, never to the checkout's data/."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "app-data"))


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two real documents and the real catalog (which then lists six missing files)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SLICE:
        shutil.copy(CORPUS / name, folder / name)
    catalog = (CORPUS / "catalog.yaml").read_text(encoding="utf-8")
    (folder / "catalog.yaml").write_text(catalog, encoding="utf-8")
    return folder


@pytest.fixture
def fake_settings(tmp_path: Path, small_corpus: Path) -> Settings:
    return Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index", embedder="fake")


@pytest.fixture
def assistant(fake_settings: Settings):  # noqa: ANN201
    """The service over the two-document slice, with the fake embedder (the gate's rules decide)."""
    from assistant.service import Assistant

    return Assistant.create(fake_settings)


@pytest.fixture(scope="session")
def real_assistant():  # noqa: ANN201
    """The product as shipped: full corpus, real e5 model, the project's index (built if needed)."""
    from assistant.embedding.prepare import prepare_model
    from assistant.service import Assistant

    settings = Settings()
    prepare_model(settings.model_path)
    return Assistant.create(settings)


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the full corpus with the fake embedder (for the app's page tests)."""
    from assistant.embedding.base import FakeEmbedder
    from assistant.store.index import build_index

    index_dir = tmp_path_factory.mktemp("fake-index")
    build_index(Settings(index_dir=index_dir, embedder="fake"), FakeEmbedder())
    return index_dir
