"""Question sets: one JSON object per line, validated with pydantic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Kind = Literal["phase", "funding", "governance", "factual", "monitoring", "out_of_scope"]
KINDS: tuple[str, ...] = ("phase", "funding", "governance", "factual", "monitoring", "out_of_scope")
OUT_OF_SCOPE = "out_of_scope"


class QuestionFileError(ValueError):
    """A question file could not be read; the message names the file and line."""


class Case(BaseModel):
    """One evaluation question with its reference material."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    persona: str = ""
    kind: Kind
    expected_docs: list[str] = Field(default_factory=list)  # catalog ids that answer it
    evidence: list[str] = Field(default_factory=list)  # verbatim spans from those documents
    key_points: list[str] = Field(default_factory=list)  # what a complete answer says

    @property
    def in_scope(self) -> bool:
        return self.kind != OUT_OF_SCOPE

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if not self.in_scope and (self.evidence or self.expected_docs):
            raise ValueError("out_of_scope questions have no evidence and no expected_docs")
        if self.in_scope and not self.expected_docs:
            raise ValueError(f"kind {self.kind!r} needs at least one expected_docs entry")
        if any(not span.strip() for span in self.evidence):
            raise ValueError("evidence spans must not be empty")
        return self


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where + ': ' if where else ''}{err['msg']}{more}"


def parse_line(line: str, where: str) -> Case:
    """Parse one JSONL line; `where` ("file:line") prefixes any error message."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise QuestionFileError(f"{where}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise QuestionFileError(f"{where}: expected a JSON object, got {type(data).__name__}")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise QuestionFileError(f"{where}: {_first_error(exc)}") from exc


def load_questions(path: Path) -> list[Case]:
    """Read and validate a question file; blank lines are skipped, ids must be unique."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionFileError(f"{path}: cannot read question file ({exc})") from exc
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        case = parse_line(line, f"{path}:{number}")
        if case.id in seen:
            raise QuestionFileError(f"{path}:{number}: duplicate id {case.id!r} (first on line {seen[case.id]})")
        seen[case.id] = number
        cases.append(case)
    if not cases:
        raise QuestionFileError(f"{path}: no questions in file")
    return cases
