"""A rebuild in a background thread, after the app fell back to an older build.

The app serves the fallback at once; when the new build is complete it becomes ACTIVE, and the
app's cached assistant (keyed by ACTIVE) switches to it on the next page run. One thread per
index folder in a process; across processes the build lock decides (a busy lock skips the build).
"""

from __future__ import annotations

import logging
import threading

from assistant.embedding.base import Embedder
from assistant.settings import Settings
from assistant.store.errors import IndexBusy
from assistant.store.index import build_index

log = logging.getLogger(__name__)
_RUNNING: dict[str, threading.Thread] = {}
_GUARD = threading.Lock()


def _rebuild(settings: Settings, embedder: Embedder) -> None:
    try:
        manifest = build_index(settings, embedder, wait=False)
        log.info("Index op de achtergrond herbouwd: build %s is actief", manifest["build_id"])
    except IndexBusy:
        log.info("Een ander proces bouwt de index al; deze achtergrondbouw slaat over")
    except Exception as exc:  # a thread's error would otherwise vanish; the fallback keeps serving
        log.error("Herbouwen van de index op de achtergrond mislukt: %s", exc)


def rebuild_in_background(settings: Settings, embedder: Embedder) -> threading.Thread:
    """Start (or return the running) rebuild of this index folder."""
    key = str(settings.index_dir.resolve())
    with _GUARD:
        running = _RUNNING.get(key)
        if running is not None and running.is_alive():
            return running
        thread = threading.Thread(target=_rebuild, args=(settings, embedder), name="index-rebuild", daemon=True)
        _RUNNING[key] = thread
        thread.start()
        return thread
