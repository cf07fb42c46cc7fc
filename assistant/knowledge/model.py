"""Claims: one statement from the corpus, in plain Dutch and English, behind a verbatim quote."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from assistant.types import Language

HERE = Path(__file__).resolve().parent
CLAIMS_DIR = HERE / "claims"
VOCAB_PATH = HERE / "vocab.yaml"

ClaimKind = Literal["definition", "model", "finding", "advice", "enabler", "barrier", "tool", "example"]


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+-\d{3,4}$")
    kind: ClaimKind
    nl: str = Field(min_length=10)
    en: str = Field(min_length=10)
    quote: str = Field(min_length=20)
    topics: list[str] = Field(min_length=1)
    phases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    # Filled on load: the document and the quote's offsets in its cleaned text.
    doc: str = ""
    start: int = -1
    end: int = -1

    def text(self, language: Language) -> str:
        return self.en if language == "en" else self.nl


class Skip(BaseModel):
    """A section without claims: reference lists, tables of contents, colophons."""

    model_config = ConfigDict(extra="forbid")

    section: str  # prefix of the chunk's section path
    reason: str


class ClaimFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc: str
    skip: list[Skip] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)

    def skipped(self, section: str) -> bool:
        return any(section.startswith(s.section) for s in self.skip)


class Vocabulary(BaseModel):
    kinds: dict[str, dict[str, str]]
    topics: dict[str, dict[str, str]]
    roles: dict[str, dict[str, str]]

    def label(self, group: Literal["kinds", "topics", "roles"], key: str, language: Language) -> str:
        return getattr(self, group).get(key, {}).get(language, key)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary.model_validate(yaml.safe_load(VOCAB_PATH.read_text(encoding="utf-8")))


OTHER_ROLE = "anders"  # the profile's "none of these"


def known_roles() -> list[str]:
    """The roles a profile may name: the vocabulary's, and 'anders'."""
    return [*vocabulary().roles, OTHER_ROLE]


def read_claim_file(path: Path) -> ClaimFile:
    """Parse one claims file; errors name the file (pydantic says which field)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        parsed = ClaimFile.model_validate(data)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    for claim in parsed.claims:
        claim.doc = parsed.doc
    return parsed


def claim_files(folder: Path = CLAIMS_DIR, errors: list[str] | None = None) -> list[ClaimFile]:
    """All claims files; with `errors`, an unreadable file is reported there instead of raised."""
    files = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            files.append(read_claim_file(path))
        except ValueError as exc:
            if errors is None:
                raise
            errors.append(str(exc))
    return files


def knowledge_hash(folder: Path = CLAIMS_DIR) -> str:
    """Content hash of the claims and the vocabulary: an edited claim makes the index stale."""
    h = hashlib.sha256(VOCAB_PATH.read_bytes())
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def claims_by_id() -> dict[str, Claim]:
    """Every claim of the shipped knowledge base by id, unresolved (no offsets): what curated
    guidance and wizard items cite. Read once per process."""
    return {claim.id: claim for f in claim_files() for claim in f.claims}
