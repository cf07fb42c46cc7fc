import shutil
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from assistant.corpus.loaders import CorpusError, corpus_hash, load_corpus, read_document
from assistant.types import DocumentInfo

FUZZ = Path(__file__).parent / "data" / "damaged-pdfs"


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


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path):
    plain = tmp_path / "plain.pdf"
    _pdf(plain, ["Afspraken over samenwerking in de wijk."])
    writer = PdfWriter()
    writer.append(PdfReader(str(plain)))
    writer.encrypt(user_password="", owner_password="eigenaar")  # only printing/copying restricted
    locked = tmp_path / "beperkt.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    doc = read_document(locked, DocumentInfo(id="b", file="beperkt.pdf", title="B"))
    assert "samenwerking" in doc.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_encodings_with_and_without_bom_are_decoded(tmp_path, codec):
    text = "Coördinatie van zorg in één wijk: “samen” 😀 en ‘populatiebekostiging’."
    path = tmp_path / "notitie.txt"
    path.write_bytes(text.encode(codec))
    warnings: list[str] = []
    doc = read_document(path, DocumentInfo(id="n", file="notitie.txt", title="N"), warnings)
    assert "Coördinatie van zorg in één wijk" in doc.text and "😀" in doc.text
    if codec == "utf-8-sig":
        assert not warnings and not doc.text.startswith("\ufeff")
    else:
        assert warnings == [f"notitie.txt is niet in UTF-8; gelezen als {codec}"]


def test_encoding_warning_reaches_the_corpus_warnings(small_corpus):
    (small_corpus / "windows.txt").write_bytes("Één wijkteam voor iedereen.".encode("utf-16"))
    loaded = load_corpus(small_corpus)
    assert "Één wijkteam" in loaded.documents["windows"].text
    assert "windows.txt is niet in UTF-8; gelezen als utf-16" in loaded.warnings


def test_files_with_the_same_stem_are_both_kept_under_unique_ids(small_corpus):
    (small_corpus / "notitie.txt").write_text("Tekst over de huisarts.", encoding="utf-8")
    _pdf(small_corpus / "notitie.pdf", ["Tekst over de gemeente."])
    loaded = load_corpus(small_corpus)
    kept = {k: d.text for k, d in loaded.documents.items() if k.startswith("notitie")}
    assert len(kept) == 2, kept
    assert any("huisarts" in t for t in kept.values()) and any("gemeente" in t for t in kept.values())
    renamed = [w for w in loaded.warnings if "dezelfde document-id" in w]
    assert len(renamed) == 1 and "notitie" in renamed[0]


def test_oversized_file_is_skipped_with_a_warning(small_corpus):
    limit = max(p.stat().st_size for p in small_corpus.glob("*.txt")) + 1
    (small_corpus / "groot.txt").write_text("woord " * (limit // 5), encoding="utf-8")
    loaded = load_corpus(small_corpus, max_bytes=limit)
    assert "groot" not in loaded.documents
    assert any(w.startswith("groot.txt is groter dan") for w in loaded.warnings)
    assert not any("groot.txt staat niet in catalog.yaml" in w for w in loaded.warnings)
    assert "nivel-bekostiging" in loaded.documents


@pytest.mark.parametrize(
    "error", [NotImplementedError("filter /JBIG2Decode"), RecursionError("diep"), MemoryError("te groot")]
)
def test_any_pdf_reader_error_names_the_file_and_keeps_the_others(small_corpus, monkeypatch, error):
    import pypdf

    from assistant.corpus import loaders

    _pdf(small_corpus / "vreemd.pdf", ["Een pagina."])

    class Broken(pypdf.PdfReader):
        @property
        def pages(self):  # type: ignore[override]
            raise error

    monkeypatch.setattr(pypdf, "PdfReader", Broken)
    loaded = loaders.load_corpus(small_corpus)
    assert "vreemd" not in loaded.documents and "nivel-bekostiging" in loaded.documents
    assert any(
        w.startswith("vreemd.pdf: de PDF kon niet worden gelezen") and type(error).__name__ in w
        for w in loaded.warnings
    )


def test_damaged_pdfs_never_abort_the_load(small_corpus):
    """The fuzz corpus in tests/data/damaged-pdfs (make.py there says how each file is broken)."""
    damaged = sorted(FUZZ.glob("*.pdf"))
    assert len(damaged) >= 20
    for path in damaged:
        shutil.copy(path, small_corpus / path.name)
    loaded = load_corpus(small_corpus)  # must not raise
    assert {"nivel-bekostiging", "rivm-samenwerkingsverbanden"} <= set(loaded.documents)
    for path in damaged:
        read = path.stem in loaded.documents
        assert read or any(path.name in w for w in loaded.warnings), path.name
        assert not read or loaded.documents[path.stem].text.strip() or any(path.name in w for w in loaded.warnings)
