"""Serving as a service user other than the one who built the index and prepared the models.

Run as root, these tests start the CLI as `nobody` (uid 65534) against an index folder it cannot
write, and load the prepared e5 model as `nobody`, so file modes are checked by the kernel, not
by a simulation. Run as another user they skip: `test_durability`'s read-only test is then real
already, since a non-root user cannot write a folder without write modes.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import ROOT, get_settings

NOBODY = 65534
QUESTION = "Welke bekostigingsmodellen zijn er voor domeinoverstijgende samenwerking?"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="only root can start a process as another user")


@pytest.fixture
def world() -> Iterator[Path]:
    """A folder every user can enter (pytest's own tmp folders are 0700), with a home for `nobody`."""
    root = Path(tempfile.mkdtemp(prefix="service-user-", dir="/tmp"))
    root.chmod(0o755)
    home = root / "home"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env, user=NOBODY, group=NOBODY, capture_output=True, text=True, timeout=600
    )


def _interpreter(env: dict[str, str]) -> str:
    """A Python of this version that `nobody` may run: a service user needs one of its own.

    The venv's interpreter often links into a home folder (pyenv under /root, 0700); the system's
    python3.11 (found on the default PATH) then runs the venv's installed packages.
    """
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for exe in dict.fromkeys([sys.executable, shutil.which(f"python{version}", path=os.defpath) or ""]):
        try:
            done = _run([exe, "-c", "import sys; print(sys.version_info[:2])"], env)
        except OSError:
            continue
        if done.returncode == 0 and done.stdout.strip() == str(sys.version_info[:2]):
            return exe
    pytest.skip(f"no Python {version} that uid {NOBODY} may run")


def as_nobody(args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python args...` as `nobody`, with this environment's packages and the checkout."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TMPDIR": str(home),
        "ASSISTANT_DATA_DIR": str(home / "data"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), *site.getsitepackages()]),
        **env,
    }
    return _run([_interpreter(environment), *args], environment)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_another_user_answers_from_a_read_only_index(fake_index: Path, world: Path) -> None:
    index = world / "index"
    shutil.copytree(fake_index, index)
    subprocess.run(["chmod", "-R", "a-w,a+rX", str(index)], check=True)
    before = _snapshot(index)
    done = as_nobody(
        ["-m", "assistant", "ask", QUESTION, "--json"],
        world / "home",
        ASSISTANT_INDEX_DIR=str(index),
        ASSISTANT_EMBEDDER="fake",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    assert answer["citations"] and not answer["refused"]
    assert _snapshot(index) == before  # Chroma wrote to a private copy, never to the index


def test_another_user_loads_the_prepared_model(world: Path) -> None:
    model = get_settings().model_path
    if not (model / "model.safetensors").is_file():
        pytest.skip("the e5 model is not prepared (python -m assistant prepare)")
    code = (
        "import sys; from pathlib import Path; from assistant.embedding.e5 import E5Embedder; "
        "print(len(E5Embedder(Path(sys.argv[1])).embed_query('samenwerking')))"
    )
    done = as_nobody(["-c", code, str(model)], world / "home")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "384"
