"""The build folders under `index/builds`: the ACTIVE pointer, completeness, the lock and pruning.

A build is *complete* when its manifest exists (written last) and no DAMAGED marker was put
next to it. Only complete builds are candidates to serve or to fall back to.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
import uuid
from pathlib import Path

from filelock import FileLock

from assistant.settings import Settings
from assistant.store.errors import IndexMissing

log = logging.getLogger(__name__)
BUILD_NAME = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}$")
MANIFEST, DAMAGED, ACTIVE, LOCK = "manifest.json", "DAMAGED", "ACTIVE", ".build.lock"


def chunks_collection(build: str) -> str:
    return f"chunks-{build}"


def builds_dir(index_dir: Path) -> Path:
    return index_dir / "builds"


def new_build_folder(index_dir: Path) -> Path:
    folder = builds_dir(index_dir) / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    return folder


def read_active(index_dir: Path) -> str | None:
    """The active build's name; None without an ACTIVE file; IndexMissing when it holds garbage."""
    pointer = index_dir / ACTIVE
    if not pointer.is_file():
        return None
    try:
        name = pointer.read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexMissing(
            f"{pointer} is onleesbaar ({exc}). Bouw de index opnieuw met `python -m assistant index`."
        ) from exc
    if not BUILD_NAME.fullmatch(name):
        raise IndexMissing(
            f"{pointer} noemt geen geldige build ({name[:40]!r}). Bouw de index opnieuw "
            "met `python -m assistant index`."
        )
    return name


def active_or_none(index_dir: Path) -> str | None:
    try:
        return read_active(index_dir)
    except IndexMissing:
        return None


def write_active(index_dir: Path, name: str) -> None:
    """Point ACTIVE at a build in one step: a reader sees the old name or the new, never half."""
    tmp = index_dir / f".{ACTIVE}.{os.getpid()}"
    try:
        tmp.write_text(name, encoding="ascii")
        os.replace(tmp, index_dir / ACTIVE)
    finally:
        tmp.unlink(missing_ok=True)


def is_complete(folder: Path) -> bool:
    return (folder / MANIFEST).is_file() and not (folder / DAMAGED).exists()


def mark_damaged(folder: Path, reason: str) -> None:
    """Take a build out of the candidates; best effort, since the index folder may be read-only."""
    try:
        (folder / DAMAGED).write_text(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {reason}\n", encoding="utf-8")
    except OSError as exc:
        log.warning("Build %s niet als beschadigd gemarkeerd: %s", folder.name, exc)


def _age_key(folder: Path) -> tuple[str, float]:
    # The name starts with the build's start time to the second; the manifest's mtime orders
    # builds started in the same second.
    manifest = folder / MANIFEST
    return folder.name[:15], manifest.stat().st_mtime if manifest.is_file() else 0.0


def _build_folders(index_dir: Path) -> list[Path]:
    root = builds_dir(index_dir)
    if not root.is_dir():
        return []
    return [p for p in root.iterdir() if p.is_dir() and BUILD_NAME.fullmatch(p.name)]


def complete_builds(index_dir: Path) -> list[Path]:
    """Complete builds, newest first."""
    return sorted((p for p in _build_folders(index_dir) if is_complete(p)), key=_age_key, reverse=True)


def build_lock(index_dir: Path) -> FileLock:
    """One build at a time across processes; the OS releases it when a holder is killed."""
    return FileLock(index_dir / LOCK)


def prune(settings: Settings, keep: set[str]) -> None:
    """Remove builds beyond the newest complete ones. Call only while holding the build lock.

    Holding the lock is what makes a folder without manifest safe to delete: no build is in
    progress, so it is the remains of a killed or failed one.
    """
    index_dir = settings.index_dir
    keep = keep | {active_or_none(index_dir) or ""}
    keep |= {p.name for p in complete_builds(index_dir)[: max(1, settings.index_keep_builds)]}
    if settings.vector_store == "server":
        from assistant.store.registry import in_use_elsewhere

        try:
            keep |= in_use_elsewhere(settings)
        except Exception as exc:  # without the registry we cannot know what other hosts serve
            log.warning("Oude builds niet opgeruimd: register op de Chroma-server onleesbaar (%s)", exc)
            return
    for folder in _build_folders(index_dir):
        if folder.name not in keep:
            discard(settings, folder)


def discard(settings: Settings, folder: Path) -> None:
    """Delete a build: its folder and, on a Chroma server, its collections (which live outside it)."""
    if settings.vector_store == "server":
        from assistant.store.claims import collection_name as claims_collection
        from assistant.store.vector import VectorStore

        for collection in (chunks_collection(folder.name), claims_collection(folder.name)):
            try:
                VectorStore.drop_collection(settings, collection)
            except Exception as exc:  # a leftover collection wastes space but must not fail a build
                log.warning("Collectie %s niet verwijderd: %s", collection, exc)
    shutil.rmtree(folder, ignore_errors=True)
