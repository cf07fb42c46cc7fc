"""The app database: migrations run once per component, in order, and concurrent writers all land."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from assistant.appdata.db import AppDBError, connect, migrate, transaction

STEPS = [
    "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
    "ALTER TABLE note ADD COLUMN author TEXT NOT NULL DEFAULT '';\nCREATE INDEX note_author ON note(author);",
]


def test_migrations_run_once_and_survive_reopen(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "app.sqlite3"
    conn = connect(db)
    assert migrate(conn, "notes", STEPS[:1]) == 1
    conn.execute("INSERT INTO note (body) VALUES ('eerste')")
    conn.close()
    conn = connect(db)
    assert migrate(conn, "notes", STEPS) == 2  # only the new step runs
    assert migrate(conn, "notes", STEPS) == 2
    assert migrate(conn, "other", ["CREATE TABLE other (x INTEGER);"]) == 1
    rows = conn.execute("SELECT body, author FROM note").fetchall()
    assert [tuple(r) for r in rows] == [("eerste", "")]


def test_a_failing_step_leaves_the_previous_schema(tmp_path: Path) -> None:
    conn = connect(tmp_path / "app.sqlite3")
    migrate(conn, "notes", STEPS[:1])
    with pytest.raises(sqlite3.Error):
        migrate(conn, "notes", [STEPS[0], "ALTER TABLE missing ADD COLUMN y TEXT;"])
    assert conn.execute("SELECT version FROM schema_version WHERE component='notes'").fetchone()[0] == 1


def test_a_newer_database_is_refused_with_a_message(tmp_path: Path) -> None:
    conn = connect(tmp_path / "app.sqlite3")
    migrate(conn, "notes", STEPS)
    with pytest.raises(AppDBError, match="werk de app bij"):
        migrate(conn, "notes", STEPS[:1])


def test_concurrent_writers_are_all_kept(tmp_path: Path) -> None:
    db = tmp_path / "app.sqlite3"
    migrate(connect(db), "notes", STEPS)

    def write(n: int) -> None:
        conn = connect(db)  # one connection per writer, as separate sessions have
        for i in range(20):
            with transaction(conn):
                conn.execute("INSERT INTO note (body, author) VALUES (?, ?)", (f"{n}-{i}", str(n)))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert connect(db).execute("SELECT COUNT(*) FROM note").fetchone()[0] == 80


def test_an_unusable_location_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(AppDBError, match="kan niet worden geopend"):
        connect(blocker / "app.sqlite3")
