"""Teamscans in the app database: scans with a share code, one response per member, the plan.

A coordinator creates a scan and shares its code; each member answers once under their own
name (answering again under the same name is refused, so nobody's answers are overwritten by
accident). Concurrent answers are serialised by SQLite's write lock and both kept. A scan can
name the scan it repeats, so the result shows the change since then.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.appdata.db import now, opened, transaction
from assistant.teamscan.model import PHASES, Response, TeamscanInputError, TeamscanSpec, validate_scores
from assistant.teamscan.plan import STATUSES, Action

COMPONENT = "teamscan"
STEPS = [
    """
CREATE TABLE teamscan (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created TEXT NOT NULL,
    previous TEXT REFERENCES teamscan (code)
);
CREATE TABLE teamscan_response (
    code TEXT NOT NULL REFERENCES teamscan (code),
    respondent TEXT NOT NULL,
    respondent_key TEXT NOT NULL,
    role TEXT NOT NULL,
    phase TEXT NOT NULL,
    scores TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (code, respondent_key)
);
CREATE TABLE teamscan_action (
    code TEXT NOT NULL REFERENCES teamscan (code),
    key TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    updated TEXT NOT NULL,
    PRIMARY KEY (code, key)
);
"""
]
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and retyped
MAX_NAME = 80


@dataclass(frozen=True)
class Scan:
    code: str
    title: str
    created: str
    previous: str | None


def _open(path: Path) -> AbstractContextManager[sqlite3.Connection]:
    return opened(path, COMPONENT, STEPS)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def create_scan(path: Path, title: str, previous: str | None = None) -> Scan:
    title = title.strip()
    if not title:
        raise TeamscanInputError("Geef de teamscan een naam, bijvoorbeeld de naam van uw netwerk.")
    with _open(path) as conn, transaction(conn):
        if previous is not None:
            previous = _scan(conn, previous).code
        for _ in range(20):
            code = "".join(secrets.choice(_ALPHABET) for _ in range(6))
            if conn.execute("SELECT 1 FROM teamscan WHERE code = ?", (code,)).fetchone() is None:
                break
        scan = Scan(code, title[:200], now(), previous)
        conn.execute(
            "INSERT INTO teamscan (code, title, created, previous) VALUES (?, ?, ?, ?)",
            (scan.code, scan.title, scan.created, scan.previous),
        )
    return scan


def _scan(conn: sqlite3.Connection, code: str) -> Scan:
    row = conn.execute("SELECT * FROM teamscan WHERE code = ?", (normalise_code(code),)).fetchone()
    if row is None:
        raise TeamscanInputError(f"Er is geen teamscan met code '{code.strip()}'. Controleer de code.")
    return Scan(row["code"], row["title"], row["created"], row["previous"])


def get_scan(path: Path, code: str) -> Scan:
    with _open(path) as conn:
        return _scan(conn, code)


def submit(
    path: Path, spec: TeamscanSpec, code: str, respondent: str, role: str, phase: str, scores: Mapping[str, object]
) -> None:
    """Store one member's answers; refuses a second answer under the same name."""
    name = " ".join(respondent.split())[:MAX_NAME]
    if not name:
        raise TeamscanInputError("Vul uw naam in, zodat de coördinator ziet wie er heeft geantwoord.")
    if phase not in PHASES:
        raise TeamscanInputError(f"Kies de fase waarin uw netwerk volgens u zit (niet '{phase}').")
    clean = validate_scores(spec, scores)
    with _open(path) as conn, transaction(conn):
        scan = _scan(conn, code)
        try:
            conn.execute(
                "INSERT INTO teamscan_response VALUES (?, ?, ?, ?, ?, ?, ?)",
                (scan.code, name, name.casefold(), role.strip()[:MAX_NAME], phase, json.dumps(clean), now()),
            )
        except sqlite3.IntegrityError as exc:
            raise TeamscanInputError(
                f"{name} heeft deze teamscan al ingevuld; de eerdere antwoorden blijven staan."
            ) from exc


def responses(path: Path, code: str) -> list[Response]:
    with _open(path) as conn:
        scan = _scan(conn, code)
        rows = conn.execute(
            "SELECT * FROM teamscan_response WHERE code = ? ORDER BY created, respondent", (scan.code,)
        ).fetchall()
    return [
        Response(respondent=r["respondent"], role=r["role"], phase=r["phase"], scores=json.loads(r["scores"]))
        for r in rows
    ]


def load_actions(path: Path, code: str, actions: list[Action]) -> list[Action]:
    """The plan's actions with the owner, date and status the team saved."""
    with _open(path) as conn:
        scan = _scan(conn, code)
        saved = {r["key"]: r for r in conn.execute("SELECT * FROM teamscan_action WHERE code = ?", (scan.code,))}
    return [
        a.model_copy(update={k: saved[a.key][k] for k in ("owner", "due", "status")}) if a.key in saved else a
        for a in actions
    ]


def save_action(path: Path, code: str, key: str, owner: str, due: str, status: str) -> None:
    if status not in STATUSES:
        raise TeamscanInputError(f"Onbekende status '{status}'. Kies uit: {', '.join(STATUSES)}.")
    if due:
        try:
            datetime.strptime(due, "%Y-%m-%d")
        except ValueError as exc:
            raise TeamscanInputError(f"'{due}' is geen datum; gebruik jjjj-mm-dd.") from exc
    with _open(path) as conn, transaction(conn):
        scan = _scan(conn, code)
        conn.execute(
            "INSERT INTO teamscan_action VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(code, key) DO UPDATE SET "
            "owner = excluded.owner, due = excluded.due, status = excluded.status, updated = excluded.updated",
            (scan.code, key, owner.strip()[:MAX_NAME], due, status, now()),
        )
