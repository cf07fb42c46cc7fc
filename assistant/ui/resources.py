"""The Assistant as a cached resource, with a visible first-launch build and Dutch errors.

The first session of a fresh install prepares the embedding model and builds the index; that
takes a while, so it runs outside `st.cache_resource` (a cached function must not write to
containers it did not create) and reports through `st.status`. Afterwards every session shares
one Assistant. Failures are shown as a clear Dutch message, never as a stack trace, and are not
cached: the next rerun tries again.
"""

from __future__ import annotations

import logging
import threading

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.lib.mutable_status_container import StatusContainer

from assistant.embedding.base import Embedder, ModelLoadError
from assistant.service import Assistant, ensure_index, make_embedder
from assistant.settings import Settings, get_settings
from assistant.store.index import IndexMissing, KnowledgeBase

log = logging.getLogger(__name__)
_READY: set[str] = set()  # settings (as JSON) whose model and index are known to be in place
_LOCK = threading.Lock()
# The index prepare() opened, per settings, for the assistant to take over: opening it again would
# cost a second load and lose what the first open found (a fallback to an older build, say).
_OPENED: dict[str, KnowledgeBase] = {}


def settings_key(settings: Settings) -> str:
    return settings.model_dump_json()


class BuildProgress:
    """Progress callback that shows an `st.status` box only once there is work to report."""

    def __init__(self) -> None:
        self.status: StatusContainer | None = None
        self.bar: DeltaGenerator | None = None

    def __call__(self, message: str, fraction: float) -> None:
        if self.status is None:
            self.status = st.status("Eerste start: de kennisbank wordt opgebouwd…", expanded=True)
            self.bar = self.status.progress(0.0)
        assert self.bar is not None
        self.bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    def finish(self, ok: bool) -> None:
        if self.status is None:
            return
        if ok:
            self.status.update(label="De kennisbank is klaar.", state="complete", expanded=False)
        else:
            self.status.update(label="Opbouwen van de kennisbank mislukt.", state="error", expanded=False)


def prepare(settings: Settings, progress: BuildProgress) -> None:
    """Make sure the embedding model folder and a current index exist (builds what is missing)."""
    if settings.embedder == "e5" and not (settings.model_path / "model.safetensors").is_file():
        from assistant.embedding.prepare import prepare_model

        progress("Embeddingmodel voorbereiden (eenmalig, ongeveer 15 seconden)", 0.0)
        try:
            prepare_model(settings.model_path)
        except (OSError, ValueError, ImportError) as exc:
            raise ModelLoadError(f"Het embeddingmodel kon niet worden voorbereid: {exc}") from exc
    _OPENED[settings_key(settings)] = ensure_index(settings, make_embedder(settings), progress, background=True)


def active_build(settings: Settings) -> str:
    """What index/ACTIVE names now ('' when unreadable): part of the cache key, so a running app
    picks up a build that another process (`python -m assistant index`, another host) activated."""
    try:
        return (settings.index_dir / "ACTIVE").read_bytes()[:100].decode("ascii", "replace").strip()
    except OSError:
        return ""


@st.cache_resource(show_spinner="De kennisbank wordt geladen…", max_entries=2)
def _open_assistant(key: str, build: str, _settings: Settings) -> Assistant:
    """One Assistant per settings `key` and active `build`; the model is loaded here so the first
    question is fast. Two entries: the one in use and the one a new build replaces."""
    embedder = _embedder(key, _settings)
    opened = _OPENED.pop(key, None)
    return Assistant(_settings, embedder, opened or ensure_index(_settings, embedder, background=True))


@st.cache_resource(show_spinner="Het embeddingmodel wordt geladen…")
def _embedder(key: str, _settings: Settings) -> Embedder:
    """One model per settings, shared by the Assistant of every build."""
    embedder = make_embedder(_settings)
    embedder.embed_query("opwarmen")
    return embedder


def _prepare_once(settings: Settings) -> None:
    key = settings_key(settings)
    if key in _READY:
        return
    if not _LOCK.acquire(blocking=False):
        with st.spinner("Een andere sessie bouwt de kennisbank op; even geduld…"):
            _LOCK.acquire()
    try:
        if key in _READY:
            return
        progress = BuildProgress()
        try:
            prepare(settings, progress)
        except BaseException:
            progress.finish(ok=False)
            raise
        progress.finish(ok=True)
        _READY.add(key)
    finally:
        _LOCK.release()


def load_assistant() -> Assistant:
    """The shared Assistant; raises ModelLoadError, IndexMissing or other errors (not cached)."""
    settings = get_settings()
    _prepare_once(settings)
    return _open_assistant(settings_key(settings), active_build(settings), settings)


def error_message(exc: Exception) -> str:
    """A Dutch message for a start-up failure, without a traceback."""
    if isinstance(exc, ModelLoadError):
        return (
            f"Het embeddingmodel kon niet worden geladen. {exc}\n\n"
            "Voer `python -m assistant prepare` uit en laad de pagina opnieuw."
        )
    if isinstance(exc, IndexMissing):
        return (
            f"De kennisbank (index) is niet beschikbaar. {exc}\n\n"
            "Na het herbouwen met `python -m assistant index` kunt u de pagina opnieuw laden."
        )
    return (
        f"De assistent kon niet starten ({type(exc).__name__}: {exc}). "
        "Controleer de installatie (`bash scripts/setup.sh`) en probeer het opnieuw."
    )


def get_assistant() -> Assistant | None:
    """The Assistant, or None after showing a clear error with a retry button."""
    try:
        return load_assistant()
    except Exception as exc:  # every start-up failure becomes one readable message
        log.exception("Assistent starten mislukt")
        st.error(error_message(exc))
        if st.button("Opnieuw proberen", key="assistant_retry"):
            st.rerun()
        return None


def peek_assistant() -> Assistant | None:
    """The Assistant only when it is already prepared (no build, no UI); else None."""
    settings = get_settings()
    if settings_key(settings) not in _READY:
        return None
    try:
        return _open_assistant(settings_key(settings), active_build(settings), settings)
    except Exception:  # the page that needs it shows the error
        return None
