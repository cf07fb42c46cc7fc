import numpy as np
import pytest

from assistant.embedding.base import FakeEmbedder
from assistant.store.index import IndexMissing, build_index, expected_manifest, open_index


def test_build_and_open(fake_settings):
    manifest = build_index(fake_settings, FakeEmbedder())
    kb = open_index(fake_settings)
    assert manifest["n_chunks"] == len(kb.chunks) == kb.vectors.count() > 50
    assert not kb.is_stale(expected_manifest(fake_settings, FakeEmbedder()))


def test_missing_index_has_clear_message(fake_settings):
    with pytest.raises(IndexMissing, match="python -m assistant index"):
        open_index(fake_settings)


def test_stale_after_corpus_change(fake_settings):
    build_index(fake_settings, FakeEmbedder())
    (fake_settings.corpus_dir / "extra.txt").write_text("Nieuwe tekst over wijkzorg.", encoding="utf-8")
    assert open_index(fake_settings).is_stale(expected_manifest(fake_settings, FakeEmbedder()))


class _Exploding(FakeEmbedder):
    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("model crashed halfway")


def test_failed_rebuild_keeps_working_index(fake_settings):
    build_index(fake_settings, FakeEmbedder())
    before = open_index(fake_settings).manifest["build_id"]
    with pytest.raises(RuntimeError):
        build_index(fake_settings, _Exploding())
    kb = open_index(fake_settings)
    assert kb.manifest["build_id"] == before
    assert len(list((fake_settings.index_dir / "builds").iterdir())) == 1


def test_corrupt_index_reports_rebuild(fake_settings):
    build_index(fake_settings, FakeEmbedder())
    active = (fake_settings.index_dir / "ACTIVE").read_text()
    (fake_settings.index_dir / "builds" / active / "chunks.jsonl").write_text("{not json")
    with pytest.raises(IndexMissing, match="beschadigd"):
        open_index(fake_settings)


def test_embedding_dtype_auto_follows_the_cpu(tmp_path, monkeypatch):
    from assistant.embedding import e5

    info = tmp_path / "cpuinfo"
    info.write_text("flags\t: fpu avx512f avx512_bf16 amx_tile\n")
    assert e5.cpu_has_bf16(info)
    info.write_text("flags\t: fpu avx2\n")
    assert not e5.cpu_has_bf16(info)
    assert not e5.cpu_has_bf16(tmp_path / "missing")
    monkeypatch.setattr(e5, "cpu_has_bf16", lambda: False)
    assert e5.resolve_dtype("auto") == "float32"
    assert e5.resolve_dtype("bfloat16") == "bfloat16"
    with pytest.raises(ValueError, match="auto, float32 of bfloat16"):
        e5.resolve_dtype("int4")
