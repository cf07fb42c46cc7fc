"""Citations name the page of their quote, also when the quoted passage starts on an earlier page."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from assistant.answer.enrich import pin_pages
from assistant.types import Answer, Citation, Document, DocumentInfo

FIRST = ("De samenwerking in de wijk begint met een gedeelde visie van huisarts, gemeente en wijkteam. " * 3).strip()
SECOND = "Populatiebekostiging geeft de regio een vast budget per inwoner voor zorg en ondersteuning."


def _document() -> Document:
    text = f"{FIRST}\n\n{SECOND}"
    return Document(
        info=DocumentInfo(id="d", file="d.pdf", title="D"), text=text, page_starts=[(0, 1), (len(FIRST) + 2, 2)]
    )


def _citation(doc: Document, quote: str, page: int | None) -> Citation:
    start = doc.text.index(quote)
    return Citation(
        n=1,
        chunk_id="d-0",
        doc_id="d",
        title="D",
        section="",
        page=page,
        quote=quote,
        start=start,
        end=start + len(quote),
    )


def test_the_page_is_where_the_quote_is_not_where_the_passage_starts() -> None:
    doc = _document()
    answer = Answer(question="q", text="x [1]", citations=[_citation(doc, SECOND, page=1)])
    pin_pages(answer, {"d": doc})
    assert answer.citations[0].page == 2


def test_text_documents_and_moved_quotes_keep_their_page() -> None:
    doc = _document()
    stale = _citation(doc, SECOND, page=1).model_copy(update={"start": 0, "end": len(SECOND)})
    text_doc = doc.model_copy(update={"page_starts": []})
    answer = Answer(question="q", text="x [1]", citations=[stale])
    pin_pages(answer, {"d": doc})
    assert answer.citations[0].page == 1  # offsets do not match the quote: nothing is guessed
    answer = Answer(question="q", text="x [1]", citations=[_citation(doc, SECOND, page=None)])
    pin_pages(answer, {"d": text_doc})
    assert answer.citations[0].page is None


def test_answers_over_a_pdf_cite_the_page_of_each_quote(tmp_path: Path, small_corpus: Path) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pages = [
        "Zuiderpolder is een wijk met 12.000 inwoners aan de rand van de stad. In de Zuiderpolder werken "
        "huisartsen, het wijkteam en de gemeente sinds 2019 samen. De bewoners van de Zuiderpolder kozen zelf "
        "drie thema's: eenzaamheid, schulden en bewegen. Het wijkteam van de Zuiderpolder houdt elke maand een "
        "open spreekuur in het buurthuis. Een stuurgroep met de huisartsen en de wethouder bewaakt de voortgang.",
        "Het buurtfonds Zuiderpolder geeft iedere wijkvereniging een vast budget per inwoner voor zorg en "
        "welzijn. Uit het buurtfonds Zuiderpolder betalen gemeente en zorgverzekeraar samen de wijkverpleging.",
    ]
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(small_corpus / "regio.pdf"))
    settings = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index", embedder="fake")
    assistant = Assistant.create(settings)
    doc = assistant.documents["regio"]
    answer = assistant.ask("Wat betaalt het buurtfonds Zuiderpolder?")
    cited = [c for c in answer.citations if c.doc_id == "regio"]
    assert cited, answer.text
    assert {assistant.kb.chunks[c.chunk_id].page for c in cited} == {1}  # one passage, starting on page 1
    assert [c.page for c in cited] == [doc.page_at(c.start) for c in cited] == [2] * len(cited)
