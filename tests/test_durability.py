"""Fault injection on the index: damaged parts, killed and failed builds, concurrent starts, read-only
storage and several hosts on one Chroma server. Each case ends in a clear message or a recovery,
with the last good build intact. Real Chroma (embedded, or a real `chroma run`), fake embedder."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from chromadb.api.client import SharedSystemClient

from assistant import cli
from assistant.embedding.base import FakeEmbedder
from assistant.service import Assistant, ensure_index
from assistant.settings import ROOT, Settings, get_settings
from assistant.store import background, builds
from assistant.store.errors import IndexBuildError, IndexDamaged, IndexMissing, StoreUnavailable
from assistant.store.index import build_index, expected_manifest, open_index
from assistant.store.lexical import LexicalIndex
from assistant.store.vector import VectorStore
from tests.chroma_server import chroma_server, free_port
from tests.conftest import SLICE

QUESTION = "Hoe werkt een kassier voor casemanagers?"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One good build of the two-document slice; each test works on its own copy."""
    root = tmp_path_factory.mktemp("durable")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in [*SLICE, "catalog.yaml"]:
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    build_index(Settings(corpus_dir=corpus, index_dir=root / "index", embedder="fake"), FakeEmbedder())
    return corpus, root / "index"


@pytest.fixture
def settings(built: tuple[Path, Path], tmp_path: Path) -> Settings:
    corpus, index = built
    shutil.copytree(index, tmp_path / "index")
    shutil.copytree(corpus, tmp_path / "corpus")
    return Settings(
        corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", embedder="fake", data_dir=tmp_path / "data"
    )


def new_process() -> None:
    """Forget Chroma's per-process client cache, as a restarted app would."""
    SharedSystemClient.clear_system_cache()


def active(s: Settings) -> Path:
    return s.index_dir / "builds" / (s.index_dir / "ACTIVE").read_text()


def folders(s: Settings) -> set[str]:
    return {p.name for p in (s.index_dir / "builds").iterdir()}


def answers(s: Settings) -> bool:
    answer = Assistant(s, FakeEmbedder(), open_index(s)).ask(QUESTION)
    return bool(answer.citations) and not answer.refused


# --- integrity on open -------------------------------------------------------------------------------------------


def _delete_chroma(folder: Path) -> None:
    shutil.rmtree(folder / "chroma")


def _corrupt_sqlite(folder: Path) -> None:
    db = folder / "chroma" / "chroma.sqlite3"
    data = bytearray(db.read_bytes())
    data[:100] = b"\xff" * 100  # the SQLite header
    db.write_bytes(bytes(data))


def _truncate_bm25_ids(folder: Path) -> None:
    ids = folder / "bm25_ids.txt"
    ids.write_text("\n".join(ids.read_text(encoding="utf-8").split("\n")[:-5]), encoding="utf-8")


def _lose_vectors(folder: Path) -> None:
    col = VectorStore.open(Settings(), folder / "chroma", f"chunks-{folder.name}")._col
    col.delete(ids=col.get(limit=3)["ids"])


def _hnsw_files(folder: Path) -> list[Path]:
    return sorted((folder / "chroma").glob("*/data_level0.bin"))


def _garbage_hnsw(folder: Path) -> None:
    """What a bad disk block does: hnswlib crashes the process (SIGSEGV) on the first search."""
    for data in _hnsw_files(folder):
        data.write_bytes(random.Random(0).randbytes(data.stat().st_size))


def _truncate_hnsw(folder: Path) -> None:
    for data in _hnsw_files(folder):
        data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])


def _truncate_chunks(folder: Path) -> None:
    lines = (folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "chunks.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_delete_chroma, "chroma.sqlite3 ontbreekt"),
        (_corrupt_sqlite, "InternalError"),
        (_truncate_bm25_ids, "BM25-rijen"),
        (_lose_vectors, "vectoren in plaats van"),
        (_truncate_chunks, "passages in plaats van"),
    ],
)
def test_a_damaged_part_is_reported_with_its_folder(settings, damage, says):
    folder = active(settings)
    damage(folder)
    new_process()
    with pytest.raises(IndexDamaged, match=says) as info:
        open_index(settings)
    assert folder.name in str(info.value) and "python -m assistant index" in str(info.value)
    assert not (folder / "chroma").exists() or damage is not _delete_chroma  # no empty store was created


@pytest.fixture
def full(fake_index: Path, tmp_path: Path) -> Settings:
    """The whole corpus: only a collection of 1,000 vectors or more has its HNSW graph on disk
    (Chroma keeps smaller ones in its SQLite log), so only there can a damaged graph file matter."""
    shutil.copytree(fake_index, tmp_path / "index")
    return Settings(index_dir=tmp_path / "index", embedder="fake", data_dir=tmp_path / "data")


@pytest.mark.parametrize(
    ("damage", "says"),
    [(_garbage_hnsw, r"crashen \(SIGSEGV\)"), (_truncate_hnsw, "zoekproef op de vectorindex faalde")],
)
def test_a_damaged_hnsw_graph_is_found_before_it_is_searched(full, damage, says):
    folder = active(full)
    assert _hnsw_files(folder), "the claims collection's graph is on disk"
    damage(folder)
    new_process()
    with pytest.raises(IndexDamaged, match=says):
        open_index(full)  # and this process is still alive: the search that crashed ran in a child


def test_a_build_whose_graph_crashes_the_search_falls_back(full):
    previous = active(full).name
    build_index(full, FakeEmbedder())
    _garbage_hnsw(active(full))
    new_process()
    kb = ensure_index(full, FakeEmbedder())
    assert kb.manifest["build_id"] == previous and any("beschadigd" in w for w in kb.warnings)
    assert Assistant(full, FakeEmbedder(), kb).ask("Welke bekostigingsmodellen zijn er?").citations


def test_truncated_bm25_ids_fail_on_load_not_on_a_later_question(settings):
    _truncate_bm25_ids(active(settings))
    with pytest.raises(ValueError, match="BM25-rijen"):
        LexicalIndex.load(active(settings))


@pytest.mark.parametrize("content", [b"\x00\xff\xfe binary", b"../../etc", b"20260101-000000-abcdefgh"])
def test_garbage_in_active_is_a_clear_message(settings, content):
    (settings.index_dir / "ACTIVE").write_bytes(content)
    with pytest.raises(IndexMissing, match="ACTIVE") as info:
        open_index(settings)
    assert not isinstance(info.value, IndexDamaged)


def test_unreachable_server_is_not_taken_for_damage(settings):
    server = settings.model_copy(
        update={"vector_store": "server", "chroma_host": "127.0.0.1", "chroma_port": free_port()}
    )
    with pytest.raises(StoreUnavailable, match="niet bereikbaar"):
        ensure_index(server, FakeEmbedder())
    assert not (active(settings) / builds.DAMAGED).exists()


# --- fallback ------------------------------------------------------------------------------------------------------


def test_a_damaged_active_build_falls_back_to_the_previous_complete_one(settings):
    previous = active(settings).name
    build_index(settings, FakeEmbedder())
    broken = active(settings)
    _delete_chroma(broken)
    new_process()
    kb = ensure_index(settings, FakeEmbedder())
    assert kb.manifest["build_id"] == previous
    assert any(w.startswith("De actieve index was beschadigd (") and "vorige complete build" in w for w in kb.warnings)
    assert (broken / builds.DAMAGED).is_file()
    assert (settings.index_dir / "ACTIVE").read_text() == previous
    assert str(settings.index_dir.resolve()) not in background._RUNNING  # only the app rebuilds in a thread
    assert Assistant(settings, FakeEmbedder(), kb).ask(QUESTION).citations
    new_process()  # the next start opens the fallback directly, without a warning
    again = ensure_index(settings, FakeEmbedder())
    assert again.manifest["build_id"] == previous and not any("beschadigd" in w for w in again.warnings)


def test_garbage_in_active_falls_back_and_repoints(settings):
    good = active(settings).name
    (settings.index_dir / "ACTIVE").write_bytes(b"\x89PNG\r\n\x1a\n")
    kb = ensure_index(settings, FakeEmbedder())
    assert kb.manifest["build_id"] == good == (settings.index_dir / "ACTIVE").read_text()
    assert any("ACTIVE ontbreekt of is onleesbaar" in w for w in kb.warnings)


def test_with_no_good_build_left_it_builds_in_the_foreground(settings):
    broken = active(settings)
    _lose_vectors(broken)
    new_process()
    kb = ensure_index(settings, FakeEmbedder())
    assert kb.manifest["build_id"] != broken.name and kb.vectors.count() == kb.manifest["n_chunks"]
    assert answers(settings)


# --- pruning -------------------------------------------------------------------------------------------------------


def _fake_killed_build(s: Settings, name: str = "29990101-000000-deadbeef") -> Path:
    """What `kill -9` leaves: a folder newer than the good build, without manifest."""
    folder = s.index_dir / "builds" / name
    (folder / "chroma").mkdir(parents=True)
    (folder / "chroma" / "chroma.sqlite3").write_bytes(b"half")
    return folder


def test_after_a_killed_build_the_rebuild_keeps_the_previous_complete_build(settings):
    good = active(settings).name
    killed = _fake_killed_build(settings)
    manifest = build_index(settings, FakeEmbedder())
    assert folders(settings) == {good, manifest["build_id"]}
    assert not killed.exists()


def test_keep_builds_counts_only_complete_ones(settings):
    first = active(settings).name
    damaged = build_index(settings, FakeEmbedder())["build_id"]
    builds.mark_damaged(settings.index_dir / "builds" / damaged, "test")
    third = build_index(settings, FakeEmbedder())["build_id"]
    assert folders(settings) == {first, third}  # the damaged one was no candidate
    one = settings.model_copy(update={"index_keep_builds": 1})
    fourth = build_index(one, FakeEmbedder())["build_id"]
    assert folders(one) == {fourth}


def _env(s: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "ASSISTANT_CORPUS_DIR": str(s.corpus_dir),
        "ASSISTANT_INDEX_DIR": str(s.index_dir),
        "ASSISTANT_DATA_DIR": str(s.data_dir),
        "ASSISTANT_EMBEDDER": "fake",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }


def test_kill_9_during_a_build_then_rebuild(settings):
    good = active(settings).name
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "index"],
        cwd=ROOT,
        env=_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (folders(settings) - {good}) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    half = folders(settings) - {good}
    if not half or any((settings.index_dir / "builds" / h / "manifest.json").exists() for h in half):
        pytest.skip("the build finished (or never started) before the kill")
    assert (settings.index_dir / "ACTIVE").read_text() == good  # a killed build switches nothing
    new = build_index(settings, FakeEmbedder())["build_id"]
    assert folders(settings) == {good, new}
    assert answers(settings)


# --- concurrent starts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["missing", "stale"])
def test_four_simultaneous_starts_build_once(settings, start):
    before = set()
    if start == "missing":
        shutil.rmtree(settings.index_dir)
    else:
        before = folders(settings)
        (settings.corpus_dir / "extra.txt").write_text("Nieuwe tekst over wijkzorg en huisartsen.", encoding="utf-8")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "assistant", "ask", QUESTION, "--json"],
            cwd=ROOT,
            env=_env(settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err[-2000:] for _, err in results]
    assert all('"citations"' in out for out, _ in results)
    created = folders(settings) - before
    assert len(created) == 1
    assert not open_index(settings).is_stale(expected_manifest(settings, FakeEmbedder()))


def test_a_stale_index_is_served_while_another_process_builds(settings):
    (settings.corpus_dir / "extra.txt").write_text("Nieuwe tekst over wijkzorg.", encoding="utf-8")
    before = folders(settings)
    with builds.build_lock(settings.index_dir):  # as if another process were building
        kb = ensure_index(settings, FakeEmbedder())
    assert kb.manifest["build_id"] in before and folders(settings) == before
    assert any("een ander proces bouwt" in w for w in kb.warnings)


# --- failed builds -------------------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(settings, monkeypatch):
    for key, value in _env(settings).items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "bm25"),
        PermissionError(errno.EACCES, os.strerror(errno.EACCES), "bm25"),
    ],
)
def test_disk_full_or_no_permission_is_one_clear_line(cli_env, monkeypatch, capsys, error):
    good = active(cli_env).name

    def fail(self, folder, name="bm25"):  # noqa: ANN001, ANN202
        raise error

    monkeypatch.setattr(LexicalIndex, "save", fail)
    assert cli.main(["index"]) != 0
    err = capsys.readouterr().err
    assert f"fout: Bouwen van de index mislukt: {error.strerror} (bm25)" in err and "Traceback" not in err
    assert folders(cli_env) == {good} and (cli_env.index_dir / "ACTIVE").read_text() == good
    with pytest.raises(IndexBuildError, match=error.strerror):
        build_index(cli_env, FakeEmbedder())


def test_index_if_stale_rebuilds_a_damaged_index(cli_env, capsys):
    broken = active(cli_env)
    _lose_vectors(broken)
    new_process()
    assert cli.main(["index", "--if-stale"]) == 0
    assert "beschadigd" in capsys.readouterr().err
    # Marked, so the rebuild did not take it for current, and then pruned as no complete build.
    assert active(cli_env) != broken and not broken.exists()


# --- read-only index -----------------------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha1(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_read_only_index_is_served_from_a_private_copy(settings, monkeypatch):
    before = _snapshot(settings.index_dir)
    subprocess.run(["chmod", "-R", "a-w", str(settings.index_dir)], check=True)
    try:
        if os.access(settings.index_dir, os.W_OK):  # root ignores modes: pretend, for this index only
            real = os.access
            index = str(settings.index_dir)
            monkeypatch.setattr(
                os,
                "access",
                lambda p, mode, **kw: False if mode & os.W_OK and str(p).startswith(index) else real(p, mode, **kw),
            )
        new_process()
        kb = ensure_index(settings, FakeEmbedder())
        assert kb.vectors.count() == kb.manifest["n_chunks"]
        assert Assistant(settings, FakeEmbedder(), kb).ask(QUESTION).citations
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(settings.index_dir)], check=True)
    assert _snapshot(settings.index_dir) == before


# --- several hosts on one Chroma server ----------------------------------------------------------------------------


@pytest.mark.slow
def test_rebuilds_on_one_host_keep_the_collection_another_host_serves(built, tmp_path, monkeypatch):
    corpus, _ = built
    with chroma_server(tmp_path / "chroma-data") as port:
        host_b = Settings(
            corpus_dir=corpus,
            index_dir=tmp_path / "b",
            embedder="fake",
            vector_store="server",
            chroma_host="127.0.0.1",
            chroma_port=port,
        )
        first = build_index(host_b, FakeEmbedder())
        shutil.copytree(host_b.index_dir, tmp_path / "a")  # the README's "copy index/ to the other hosts"
        host_a = host_b.model_copy(update={"index_dir": tmp_path / "a"})
        assert answers(host_a)  # A opens its index, and so registers the build it serves
        build_index(host_b, FakeEmbedder())
        build_index(host_b, FakeEmbedder())
        client = open_index(host_b).vectors._client
        names = {c.name for c in client.list_collections()}
        assert {f"chunks-{first['build_id']}", f"claims-{first['build_id']}"} <= names
        assert answers(host_a)  # A keeps answering, and would after a restart
        # Once A has not opened its index within the grace period, its build may go.
        monkeypatch.setattr("assistant.store.registry.GRACE_S", -1.0)
        build_index(host_b, FakeEmbedder())
        assert f"chunks-{first['build_id']}" not in {c.name for c in client.list_collections()}
