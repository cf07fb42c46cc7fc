"""Export a wizard result as Markdown or PDF, with numbered citations, date and corpus version.

Networks take advice into meetings (stuurgroep, bestuur); an export must therefore stand on
its own: the answers it is based on, every source quote, and the corpus version so that a
later reader knows which texts were used. The PDF embeds DejaVu Sans (shipped with
matplotlib) for full Unicode; without it we fall back to a core font with Latin-1 only.
"""

from __future__ import annotations

import os
from pathlib import Path

from fpdf import FPDF

from assistant.types import Citation
from assistant.wizards.results import ResultItem, WizardResult

_REPLACEMENTS = {
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "•": "-",
    "€": "EUR",
    "\u2002": " ",
    "\u2009": " ",
}


def _markers(item: ResultItem) -> str:
    return "".join(f"[{c.n}]" for c in item.citations)


def citation_line(citation: Citation) -> str:
    """'Title' – section: “quote” (document id), as used in both exports."""
    section = f", {citation.section}" if citation.section else ""
    return f"{citation.title}{section}: “{citation.quote}” ({citation.doc_id})"


def to_markdown(result: WizardResult) -> str:
    """Self-contained Markdown: headline, answers, sections with [n] markers, sources."""
    lines = [f"# {result.title}", ""]
    if result.headline:
        lines += [f"**{result.headline}**", ""]
    lines += [f"Datum: {result.created} · Corpusversie: {result.corpus_version}", "", "## Uw antwoorden", ""]
    lines += [f"- **{question}** {answer}" for question, answer in result.answer_summary]
    for section in result.sections:
        lines += ["", f"## {section.title}", ""]
        if section.intro:
            lines += [section.intro, ""]
        lines += [f"- {item.text} {_markers(item)}" for item in section.items]
    if result.notices:
        lines += ["", "## Let op", ""] + [f"- {notice}" for notice in result.notices]
    lines += ["", "## Bronnen", ""]
    lines += [f"{c.n}. {citation_line(c)}" for c in result.citations]
    return "\n".join(lines).rstrip() + "\n"


def _font_path() -> Path | None:
    candidates = []
    try:
        import matplotlib

        candidates.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    except ImportError:  # matplotlib is optional; the system font or core font still works
        pass
    candidates.append(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    return next((p for p in candidates if p.is_file()), None)


class Pdf(FPDF):
    """FPDF with one Unicode font family (or a Latin-1 fallback) and simple helpers."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=16)
        regular = None if os.environ.get("ASSISTANT_PDF_CORE_FONT") else _font_path()
        self.unicode = regular is not None
        if regular is not None:
            bold = regular.with_name("DejaVuSans-Bold.ttf")
            self.add_font("DejaVu", "", str(regular))
            self.add_font("DejaVu", "B", str(bold if bold.is_file() else regular))
            self.family_name = "DejaVu"
        else:
            self.family_name = "Helvetica"

    def clean(self, text: str) -> str:
        if self.unicode:
            return text
        for old, new in _REPLACEMENTS.items():
            text = text.replace(old, new)
        return text.encode("latin-1", "replace").decode("latin-1")

    def para(self, text: str, size: float = 10, bold: bool = False, gap: float = 1.5) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)


def to_pdf(result: WizardResult) -> bytes:
    """PDF bytes with the same content as the Markdown export."""
    pdf = Pdf()
    pdf.set_title(pdf.clean(result.title))
    pdf.set_creator("JZOJP beslisondersteuning")
    pdf.add_page()
    pdf.para(result.title, size=16, bold=True)
    if result.headline:
        pdf.para(result.headline, size=12, bold=True)
    pdf.para(f"Datum: {result.created} · Corpusversie: {result.corpus_version}", size=9, gap=3)
    pdf.para("Uw antwoorden", size=12, bold=True)
    for question, answer in result.answer_summary:
        pdf.para(f"{question} {answer}", size=9, gap=0.5)
    for section in result.sections:
        pdf.ln(2)
        pdf.para(section.title, size=12, bold=True)
        if section.intro:
            pdf.para(section.intro, size=9)
        for item in section.items:
            pdf.para(f"• {item.text} {_markers(item)}", size=10, gap=0.8)
    if result.notices:
        pdf.ln(2)
        pdf.para("Let op", size=12, bold=True)
        for notice in result.notices:
            pdf.para(f"• {notice}", size=9)
    pdf.ln(2)
    pdf.para("Bronnen", size=12, bold=True)
    for citation in result.citations:
        pdf.para(f"[{citation.n}] {citation_line(citation)}", size=8, gap=0.8)
    return bytes(pdf.output())


def export_filename(result: WizardResult, extension: str) -> str:
    return f"{result.wizard_id}-advies-{result.created}.{extension.lstrip('.')}"
