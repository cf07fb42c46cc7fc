"""Prepared model files are readable by a service user other than the one who prepared them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from assistant.embedding.prepare import _make_readable


def test_model_folder_modes_are_opened_up(tmp_path):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # 0700, as prepare_model's temporary folder
    (folder / "sub").mkdir()
    secret = folder / "sub" / "model.safetensors"
    secret.write_bytes(b"x")
    secret.chmod(0o600)
    _make_readable(folder)
    assert folder.stat().st_mode & 0o777 == 0o755
    assert secret.stat().st_mode & 0o777 == 0o644
