"""Prompt files in prompts/ rendered strictly: `{name}` fields, `{{`/`}}` for literal braces.

Rendering fails when a field has no value, when a value is given that the file does not
use, and on anything but a plain identifier inside braces (no `{a.b}`, `{a!r}`, `{a:>3}`):
a prompt that silently lost a passage or a rule is worse than one that does not render.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.settings import ROOT

PROMPTS_DIR = ROOT / "prompts"


class PromptError(ValueError):
    """A prompt file and the values given to it do not match."""


@dataclass(frozen=True)
class Template:
    name: str
    text: str

    @property
    def fields(self) -> frozenset[str]:
        return _fields(self.name, self.text)

    def render(self, values: Mapping[str, object] | None = None, **kw: object) -> str:
        given = {**(values or {}), **kw}
        missing = self.fields - given.keys()
        unused = given.keys() - self.fields
        if missing or unused:
            raise PromptError(f"prompt {self.name!r}: missing {sorted(missing)}, unused {sorted(unused)}")
        return self.text.format_map({k: str(v) for k, v in given.items()})


def _fields(name: str, text: str) -> frozenset[str]:
    found: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as e:  # a lone { or }
        raise PromptError(f"prompt {name!r}: {e}") from e
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise PromptError(f"prompt {name!r}: only plain {{name}} fields allowed, got {field!r}")
        found.add(field)
    return frozenset(found)


def load(name: str, directory: Path = PROMPTS_DIR) -> Template:
    """Read `directory/name.md`; checks the field syntax at load time."""
    path = directory / f"{name}.md"
    text = path.read_text(encoding="utf-8").strip("\n") + "\n"
    template = Template(name, text)
    _ = template.fields
    return template


@lru_cache(maxsize=32)
def cached(name: str) -> Template:
    return load(name)


def available(directory: Path = PROMPTS_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.md"))
