"""HTML of highlighted passages (escaping, context, parts) and the documents page's link parsing."""

from __future__ import annotations

from assistant.types import Citation, Document, DocumentInfo
from assistant.ui.citations import citation_label
from assistant.ui.documents import Target, target_from_params
from assistant.ui.passages import (
    context_bounds,
    escape_text,
    highlight_html,
    part_of,
    passage_html,
    split_parts,
)

TEXT = "Eerste alinea over zorg.\nTweede alinea <script>alert(1)</script> kost $5 en *niets*.\nDerde alinea."


def test_escape_text_neutralises_html_and_markdown() -> None:
    out = escape_text(TEXT)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "$" not in out and "&#36;5" in out
    assert "\n" not in out and out.count("<br>") == 2
    assert escape_text("a\n\n\nb").count("display:block") == 1  # a blank line: a new paragraph


def test_passage_html_marks_exactly_the_quote_in_context() -> None:
    start = TEXT.index("Tweede")
    end = TEXT.index("Derde") - 1
    out = passage_html(TEXT, start, end, context=10)
    assert out.startswith("<div") and out.endswith("</div>")
    assert out.count("<mark>") == 1
    inner = out.split("<mark>")[1].split("</mark>")[0]
    assert inner == escape_text(TEXT[start:end])
    assert '">… ' in out  # cut before: an ellipsis opens the passage
    assert "Eerste alinea" not in out and "Derde" in out
    assert "\n" not in out  # one raw HTML block: Markdown leaves it alone


def test_context_bounds_cut_at_whitespace() -> None:
    text = "woord " * 1000
    lo, hi = context_bounds(text, 3000, 3005, context=100)
    assert text[lo - 1] == " " and 2900 <= lo <= 2906
    assert text[hi] == " " and 3095 <= hi <= 3105
    assert context_bounds("kort", 0, 4) == (0, 4)


def test_highlight_html_clips_marks_to_the_window_and_sets_anchor() -> None:
    out = highlight_html(TEXT, 0, 10, [(5, 50)], anchor="citaat")
    assert '<mark id="citaat">' in out and out.endswith(" …</div>")
    assert highlight_html(TEXT, 0, 10, [(50, 60)]).count("<mark") == 0


def test_split_parts_covers_the_text_at_paragraph_ends() -> None:
    text = "\n".join(f"Alinea {i} " + "x" * 300 for i in range(100))
    parts = split_parts(text, size=2000)
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
    assert all(text[hi - 1] == "\n" for _, hi in parts[:-1])
    assert part_of(parts, parts[3][0]) == 3 and part_of(parts, len(text) + 5) == len(parts) - 1
    assert split_parts("") == [(0, 0)]


def _documents() -> dict[str, Document]:
    info = DocumentInfo(id="d", file="d.txt", title="D")
    return {"d": Document(info=info, text=TEXT)}


def test_target_from_params_validates_document_and_offsets() -> None:
    docs = _documents()
    assert target_from_params({"doc": "d", "start": "5", "end": "10"}, docs) == Target("d", 5, 10)
    assert target_from_params({"doc": "d", "start": "x"}, docs) == Target("d", 0, 0)
    assert target_from_params({"doc": "d", "start": "5", "end": "99999"}, docs) == Target("d", 0, 0)
    assert target_from_params({"doc": "onbekend"}, docs) is None
    assert target_from_params({}, docs) is None


def test_citation_label_shows_title_short_section_and_page() -> None:
    citation = Citation(
        n=2, chunk_id="c", doc_id="d", title="Titel", section="A > B > C", page=7, quote="q", start=0, end=1
    )
    assert citation_label(citation) == "[2] Titel — B > C (p. 7)"
    assert citation_label(citation.model_copy(update={"section": "", "page": None})) == "[2] Titel"
    long_title = citation.model_copy(
        update={"title": "Bekostigingsmodellen (kennissynthese)", "section": "", "page": None}
    )
    assert citation_label(long_title) == "[2] Bekostigingsmodellen"
