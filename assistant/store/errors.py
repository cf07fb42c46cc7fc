"""What can go wrong with an index, as exceptions whose message a user can act on.

All derive from IndexMissing, so a caller that only knows "no usable index" (the app's start
page, the command line) shows the message without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class IndexMissing(RuntimeError):
    """No usable index; the message says how to build one."""


class IndexDamaged(IndexMissing):
    """A build folder exists but does not open or does not match its manifest."""

    def __init__(self, folder: Path, reason: str) -> None:
        self.folder, self.reason = folder, reason
        super().__init__(
            f"De index in {folder} is onvolledig of beschadigd ({reason}). "
            "Bouw hem opnieuw met `python -m assistant index`."
        )


class IndexBuildError(IndexMissing):
    """A build failed for a reason outside the code (disk full, no permission); nothing was switched."""


class IndexBusy(IndexMissing):
    """Another process holds the build lock (only raised when the caller chose not to wait)."""


class StoreUnavailable(IndexMissing):
    """The Chroma server cannot be reached: no build is damaged, so none may be marked so."""
