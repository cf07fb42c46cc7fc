from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from assistant.corpus.loaders import CorpusError, corpus_hash, load_corpus, read_document
from assistant.types import DocumentInfo


def _pdf(path: Path, pages: list[str]) -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))


def test_catalog_documents_load_and_missing_files_warn(small_corpus):
    loaded = load_corpus(small_corpus)
    assert set(loaded.documents) == {"rivm-samenwerkingsverbanden", "nivel-bekostiging"}
    assert any("ontbreekt" in w for w in loaded.warnings)


def test_uncatalogued_file_is_ingested_with_warning(small_corpus):
    (small_corpus / "eigen-notitie.md").write_text("# Notitie\n\nOnze afspraken over de wijk.", encoding="utf-8")
    loaded = load_corpus(small_corpus)
    assert "eigen-notitie" in loaded.documents
    assert any("eigen-notitie.md staat niet in catalog.yaml" in w for w in loaded.warnings)


def test_pdf_keeps_real_page_numbers(tmp_path):
    path = tmp_path / "doc.pdf"
    _pdf(path, ["Eerste pagina over samenwerking.", "Tweede pagina over bekostiging."])
    doc = read_document(path, DocumentInfo(id="doc", file="doc.pdf", title="Doc"))
    assert doc.page_at(doc.text.index("bekostiging")) == 2
    assert doc.page_at(doc.text.index("samenwerking")) == 1


def test_corrupt_pdf_is_a_warning_not_a_crash(small_corpus):
    (small_corpus / "kapot.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    loaded = load_corpus(small_corpus)
    assert "nivel-bekostiging" in loaded.documents
    assert any("kapot.pdf" in w for w in loaded.warnings)


def test_encrypted_pdf_is_reported(tmp_path):
    plain = tmp_path / "plain.pdf"
    _pdf(plain, ["Geheime tekst."])
    writer = PdfWriter()
    writer.append(PdfReader(str(plain)))
    writer.encrypt("wachtwoord")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(CorpusError, match="versleuteld"):
        read_document(locked, DocumentInfo(id="l", file="locked.pdf", title="L"))


def test_non_utf8_text_is_read(tmp_path):
    path = tmp_path / "oud.txt"
    path.write_bytes("Coördinatie van zorg in één wijk.".encode("cp1252"))
    doc = read_document(path, DocumentInfo(id="oud", file="oud.txt", title="Oud"))
    assert "Coördinatie" in doc.text and "één" in doc.text


def test_corpus_hash_changes_with_content(small_corpus):
    before = corpus_hash(small_corpus)
    (small_corpus / "nieuw.txt").write_text("Nieuwe tekst.", encoding="utf-8")
    assert corpus_hash(small_corpus) != before
