"""A search probe on a build's Chroma folder, run in a child process before the build is served.

A damaged HNSW file does not always raise. With `data_level0.bin` overwritten by garbage, hnswlib
crashes the process (SIGSEGV) on the first search; a truncated one fails only when a vector is
read; in both cases every count still agrees with the manifest. So before a build is served, a
child process reads a few stored vectors of each collection and searches with them, and each must
find itself. A crash then costs the child, and the app falls back to the previous build.

`python -m assistant.store.probe CHROMA_DIR COLLECTION...` is the child; exit code 0 means sound.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from assistant.settings import ROOT, Settings

SAMPLES = 4
TIMEOUT_S = 120.0


def probe(chroma: Path, collections: list[str], timeout: float = TIMEOUT_S) -> None:
    """Raises ValueError, in Dutch, when searching the folder's collections fails or crashes."""
    args = [sys.executable, "-m", "assistant.store.probe", str(chroma), *collections]
    try:
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise ValueError(f"de zoekproef op de vectorindex duurde langer dan {timeout:.0f} s") from exc
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        raise ValueError(f"zoeken in de vectorindex laat het proces crashen ({name}); een HNSW-bestand is beschadigd")
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or [f"exitcode {done.returncode}"]
        raise ValueError(f"de zoekproef op de vectorindex faalde: {lines[-1]}")


def _main(argv: list[str]) -> int:
    from assistant.store.vector import VectorStore

    chroma, names = Path(argv[0]), argv[1:]
    settings = Settings(vector_store="embedded")
    for name in names:
        VectorStore.open(settings, chroma, name).self_search(SAMPLES)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
