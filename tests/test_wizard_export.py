"""Markdown and PDF exports carry the advice, numbered sources, date and corpus version."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from assistant.wizards.export import export_filename, to_markdown, to_pdf
from assistant.wizards.registry import build_result
from assistant.wizards.results import WizardResult


@pytest.fixture(scope="module")
def result() -> WizardResult:
    return build_result(
        "funding",
        {"role": "gemeente", "laws": ["wmo", "wlz"], "bottlenecks": ["overgang-wlz", "loonlijst"], "phase": "omk-2"},
    )


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def test_markdown_contains_answers_sections_and_numbered_sources(result: WizardResult) -> None:
    md = to_markdown(result)
    assert md.startswith("# Bekostigingswizard")
    assert f"Corpusversie: {result.corpus_version}" in md and result.created in md
    assert "## Uw antwoorden" in md and "Gemeente" in md
    assert "## Bronnen" in md
    for citation in result.citations:
        assert f"{citation.n}. {citation.title}" in md
        assert f"“{citation.quote}”" in md
    first = result.sections[0].items[0]
    assert f"- {first.text} [{first.citations[0].n}]" in md


def test_pdf_is_valid_and_text_is_extractable(result: WizardResult) -> None:
    data = to_pdf(result)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert result.corpus_version in text
    assert "Bronnen" in text
    assert "Deels overlappende" in text or "kassier" in text
    fragments = [c.quote[:40] for c in result.citations]
    assert sum(fragment in text for fragment in fragments) >= len(fragments) - 1


def test_pdf_falls_back_to_core_font(result: WizardResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_PDF_CORE_FONT", "1")
    data = to_pdf(result)
    assert data.startswith(b"%PDF")
    assert "Bekostigingswizard" in _pdf_text(data)


def test_export_filename(result: WizardResult) -> None:
    assert export_filename(result, "pdf") == f"funding-advies-{result.created}.pdf"
    assert export_filename(result, ".md").endswith(".md")
