"""Thumbs up or down on chat answers, with an optional reason, in the app database.

One row per answer (keyed by the answer's id in the conversation), so changing a rating
updates it instead of counting twice. Each row carries a question kind derived from the
question by fixed rules (`question_kind`), because users do not label their questions; the
Evaluatie page counts ratings per kind with the same kinds as the eval sets.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from assistant.appdata.db import now, opened, transaction
from assistant.guidance.answer import detect_phase_in_text
from assistant.types import Answer

COMPONENT = "feedback"
STEPS = [
    """
CREATE TABLE feedback (
    answer_id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    question TEXT NOT NULL,
    kind TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (0, 1)),
    reason TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL,
    language TEXT NOT NULL,
    refused INTEGER NOT NULL,
    citations INTEGER NOT NULL,
    answer TEXT NOT NULL
);
CREATE INDEX feedback_kind ON feedback (kind);
"""
]
UP, DOWN = 1, 0  # st.feedback("thumbs") returns 1 for up and 0 for down
MAX_REASON_CHARS = 1000

# The eval sets' kinds, in the order the rules try them; "factual" is what is left.
KINDS = ["phase", "funding", "governance", "monitoring", "factual", "out_of_scope"]
KIND_NL = {
    "phase": "fase",
    "funding": "bekostiging",
    "governance": "governance",
    "monitoring": "monitoring",
    "factual": "feitelijk",
    "out_of_scope": "buiten de bronnen",
}
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("phase", re.compile(r"\b(\w*fase|phase|stage|net (?:van )?start\w*|net begonnen|just started)\b", re.I)),
    (
        "funding",
        re.compile(
            r"\b(bekostig\w*|financ\w*|geld\w*|betaal\w*|budget\w*|subsidie\w*|inkoop\w*|contract\w*|vergoed\w*|"
            r"verreken\w*|zorgverzekeraar\w*|verzekeraar\w*|fund\w*|payment\w*|pay|paid|reimburs\w*|insurer\w*|purchas\w*|"
            r"money|spuk|adz|nza|shared savings|bundled|populatiebekostiging)\b",
            re.I,
        ),
    ),
    (
        "governance",
        re.compile(
            r"\b(governance|toezicht\w*|bestu\w*|rechtsvorm\w*|verantwoord\w*|zeggenschap|regie\w*|leiderschap|"
            r"kartrekker\w*|coördinat\w*|leidende organisatie|nao|network administrative|coöperatie\w*|stichting\w*|"
            r"formalis\w*|afspraken maken|acm|mededinging\w*|supervis\w*|accountab\w*|in charge|lead organi[sz]ation|"
            r"legal form|leadership|board\w*|cooperative|responsib\w*)\b",
            re.I,
        ),
    ),
    (
        "monitoring",
        re.compile(
            r"\b(monitor\w*|evalu\w*|meten|meet|indicator\w*|data|gegevens|registratie\w*|effect\w*|impact|"
            r"uitkomst\w*|resultaten|zelfevaluatie|measur\w*|outcome\w*|evidence|bewijs)\b",
            re.I,
        ),
    ),
]


def question_kind(question: str, refused: bool) -> str:
    """The eval kind a question belongs to, by fixed rules (the same question, the same kind).

    A refused answer is out of scope: the answerability gate decided the corpus does not
    answer it. Otherwise the first matching rule wins: a phase named or described (the
    phase detector of the guidance), then funding, governance and monitoring cue words.
    """
    if refused:
        return "out_of_scope"
    if detect_phase_in_text(question) is not None:
        return "phase"
    for kind, pattern in _RULES:
        if pattern.search(question):
            return kind
    return "factual"


@dataclass(frozen=True)
class Feedback:
    answer_id: str
    rating: int
    reason: str
    kind: str


@dataclass(frozen=True)
class KindCount:
    kind: str
    up: int
    down: int
    with_reason: int

    @property
    def total(self) -> int:
        return self.up + self.down


def _open(path: Path) -> AbstractContextManager[sqlite3.Connection]:
    return opened(path, COMPONENT, STEPS)


def save_rating(path: Path, answer_id: str, answer: Answer, rating: int) -> None:
    """Store or change the rating of an answer; an earlier reason is kept."""
    if rating not in (UP, DOWN):
        raise ValueError(f"rating {rating!r}: 0 (omlaag) of 1 (omhoog) verwacht")
    stamp = now()
    row = (
        answer_id,
        stamp,
        stamp,
        answer.question,
        question_kind(answer.question, answer.refused),
        rating,
        answer.mode,
        answer.language,
        int(answer.refused),
        len(answer.citations),
        answer.text,
    )
    with _open(path) as conn, transaction(conn):
        conn.execute(
            "INSERT INTO feedback (answer_id, created, updated, question, kind, rating, mode, language, refused,"
            " citations, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(answer_id) DO UPDATE SET"
            " rating = excluded.rating, updated = excluded.updated",
            row,
        )


def save_reason(path: Path, answer_id: str, reason: str) -> bool:
    """Attach a reason to a rated answer; False when the answer has no rating (nothing to explain)."""
    text = " ".join(reason.split())[:MAX_REASON_CHARS]
    with _open(path) as conn, transaction(conn):
        cursor = conn.execute(
            "UPDATE feedback SET reason = ?, updated = ? WHERE answer_id = ?", (text, now(), answer_id)
        )
    return cursor.rowcount == 1


def remove(path: Path, answer_id: str) -> None:
    """Withdraw a rating (the user clicked the chosen thumb again)."""
    with _open(path) as conn, transaction(conn):
        conn.execute("DELETE FROM feedback WHERE answer_id = ?", (answer_id,))


def get(path: Path, answer_id: str) -> Feedback | None:
    if not path.is_file():
        return None
    with _open(path) as conn:
        row = conn.execute(
            "SELECT answer_id, rating, reason, kind FROM feedback WHERE answer_id = ?", (answer_id,)
        ).fetchone()
    return Feedback(row["answer_id"], int(row["rating"]), row["reason"], row["kind"]) if row else None


def counts_per_kind(path: Path) -> list[KindCount]:
    """Ratings per question kind, in the order of KINDS; empty when nothing was rated yet.

    Reading never creates the database: the Evaluatie page may be opened before any feedback.
    """
    if not path.is_file():
        return []
    with _open(path) as conn:
        rows = conn.execute(
            "SELECT kind, SUM(rating = 1) AS up, SUM(rating = 0) AS down, "
            "SUM(reason != '') AS with_reason FROM feedback GROUP BY kind"
        ).fetchall()
    counts = {r["kind"]: KindCount(r["kind"], int(r["up"]), int(r["down"]), int(r["with_reason"])) for r in rows}
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(counts.values(), key=lambda c: (order.get(c.kind, len(KINDS)), c.kind))


def recent_reasons(path: Path, limit: int = 20) -> list[dict[str, str]]:
    """The latest ratings that came with a reason, newest first."""
    if not path.is_file():
        return []
    with _open(path) as conn:
        rows = conn.execute(
            "SELECT updated, kind, rating, question, reason FROM feedback WHERE reason != '' "
            "ORDER BY updated DESC, rowid DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [
        {
            "moment": r["updated"],
            "soort": KIND_NL.get(r["kind"], r["kind"]),
            "oordeel": "👍" if r["rating"] == UP else "👎",
            "vraag": r["question"],
            "reden": r["reason"],
        }
        for r in rows
    ]
