"""Which builds other hosts serve, recorded in the Chroma server itself.

With a Chroma server, several app hosts read collections that one host builds; each host has its
own copy of `index/` and so its own ACTIVE. A host that opens an index records its build here, and
pruning on any host skips builds another host recorded recently, so a rebuild never drops the
collection a running (or restarting) app still points to.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import time
from typing import Any

from assistant.settings import Settings

log = logging.getLogger(__name__)
REGISTRY = "assistant-active-builds"
# A host that has not opened its index for this long is taken to be gone (or rebuilt since).
GRACE_S = 7 * 24 * 3600


def host_id(settings: Settings) -> str:
    key = f"{socket.gethostname()}\n{settings.index_dir.resolve()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _collection(settings: Settings) -> Any:
    from assistant.store.vector import _client

    # The record carries no vector; Chroma needs one, so every record has the same [1.0].
    return _client(settings, None).get_or_create_collection(REGISTRY, embedding_function=None)


def register(settings: Settings, build: str) -> None:
    """Record that this host (and index folder) serves `build`."""
    try:
        _collection(settings).upsert(
            ids=[host_id(settings)],
            embeddings=[[1.0]],
            metadatas=[{"build": build, "seen": int(time.time()), "host": socket.gethostname()}],
        )
    except Exception as exc:  # answering must not depend on the bookkeeping
        log.warning("Build %s niet geregistreerd op de Chroma-server: %s", build, exc)


def in_use_elsewhere(settings: Settings) -> set[str]:
    """Builds other hosts recorded within the grace period (this host's own ACTIVE is kept anyway).

    Raises when the registry cannot be read: the caller must then drop nothing.
    """
    got = _collection(settings).get(include=["metadatas"])
    me, since = host_id(settings), time.time() - GRACE_S
    return {
        str(meta["build"])
        for rid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
        if rid != me and meta and float(meta.get("seen", 0)) >= since
    }
