"""Prompt files render strictly: every field filled, no value unused, no fancy fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.generative import prompts
from assistant.answer.generative.prompts import PromptError, Template

EXPECTED = {
    "answer": {"passages", "audience", "question", "language_name"},
    "answer_system": {"max_sentences", "refusal_nl", "refusal_en"},
    "condense": {"history", "question", "language_name"},
    "passage": {"n", "title", "section", "text"},
    "draft_claims": {"title", "section", "text", "max_claims", "kinds", "topics"},
}


def test_every_prompt_file_is_known_and_renders() -> None:
    assert set(prompts.available()) == set(EXPECTED)
    for name, fields in EXPECTED.items():
        template = prompts.load(name)
        assert template.fields == fields, name
        values = {f: f"<{f}>" for f in fields}
        text = template.render(values)
        for f in fields:
            assert f"<{f}>" in text
        assert "{" not in text and "}" not in text


def test_answer_prompts_demand_citations_refusal_and_language() -> None:
    system = prompts.load("answer_system").render(max_sentences=6, refusal_nl="WEIGER.", refusal_en="REFUSE.")
    assert "ONLY the numbered passages" in system
    assert "square brackets" in system and "REFUSE." in system and "WEIGER." in system and "Dutch" in system
    user = prompts.load("answer").render(passages="-", audience="", question="?", language_name="English")
    assert "in English" in user


def test_missing_and_unused_values_fail() -> None:
    t = Template("t", "Hallo {name}, {{letterlijk}}")
    assert t.render(name="Ans") == "Hallo Ans, {letterlijk}"
    with pytest.raises(PromptError, match="missing"):
        t.render()
    with pytest.raises(PromptError, match="unused"):
        t.render(name="Ans", extra=1)


@pytest.mark.parametrize("text", ["{a.b}", "{a!r}", "{a:>3}", "{0}", "{}", "open { brace"])
def test_only_plain_fields(text: str) -> None:
    with pytest.raises(PromptError):
        Template("t", text).render(a=1)


def test_load_checks_syntax(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("een {kapot veld\n", encoding="utf-8")
    with pytest.raises(PromptError):
        prompts.load("bad", tmp_path)
