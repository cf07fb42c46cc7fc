"""The app's own SQLite database, with per-component schema migrations.

Each feature (feedback, assessments, ...) owns its tables and a list of migration steps. A
step runs once, in order, inside a transaction, and its number is recorded in `schema_version`,
so features evolve independently and a restart never re-runs or loses anything. WAL mode and a
busy timeout let several Streamlit sessions (threads or processes) write at the same time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

_LOCK = threading.Lock()  # serialises migrations within one process; SQLite locks across processes


class AppDBError(RuntimeError):
    """The database cannot be opened or migrated; the message says where and why."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection with WAL, foreign keys and a busy timeout; creates the file and folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
    except (OSError, sqlite3.Error) as exc:
        raise AppDBError(f"De app-database {path} kan niet worden geopend ({exc}).") from exc
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT: writers queue on the lock instead of failing mid-way."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(conn: sqlite3.Connection, component: str, steps: Sequence[str]) -> int:
    """Apply the steps of `component` not applied yet; returns its schema version."""
    with _LOCK:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        with transaction(conn):
            row = conn.execute("SELECT version FROM schema_version WHERE component = ?", (component,)).fetchone()
            version = int(row["version"]) if row else 0
            if version > len(steps):
                raise AppDBError(
                    f"De app-database heeft voor {component} schema {version}, "
                    f"deze versie van de app kent er {len(steps)}: werk de app bij."
                )
            for number, sql in enumerate(steps[version:], start=version + 1):
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (component, version) VALUES (?, ?) "
                    "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                    (component, number),
                )
        return max(version, len(steps))


@contextmanager
def opened(path: Path, component: str, steps: Sequence[str]) -> Iterator[sqlite3.Connection]:
    """A migrated connection for one operation (short-lived: Streamlit sessions are threads)."""
    conn = connect(path)
    try:
        migrate(conn, component, steps)
        yield conn
    finally:
        conn.close()


def now() -> str:
    """UTC time stamp, to the second, as stored in every table."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    out, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out
