from assistant.corpus.chunking import chunk_document, is_heading
from assistant.corpus.loaders import load_corpus
from assistant.text.sentences import sentence_offsets as sentence_spans
from assistant.types import Document, DocumentInfo


def _doc(text: str) -> Document:
    return Document(info=DocumentInfo(id="d", file="d.txt", title="T"), text=text)


def test_chunks_are_exact_slices_and_within_size(small_corpus):
    docs = load_corpus(small_corpus).documents
    for doc in docs.values():
        chunks = chunk_document(doc, size=1500, overlap=200)
        assert chunks
        for c in chunks:
            assert doc.text[c.start : c.end] == c.text
            assert len(c.text) <= 1500 + 200 + 700  # size + overlap + one long sentence at most


def test_sections_follow_headings():
    text = "Inleiding\n\nEerste alinea met genoeg tekst om een alinea te zijn.\n\nMethode\n\nTweede alinea hier."
    chunks = chunk_document(_doc(text), size=1500)
    assert [c.section for c in chunks] == ["Inleiding", "Methode"]


def test_heading_rules():
    assert is_heading("3.1 Financiële aspecten", "Een lange alinea die volgt op de kop.")
    assert not is_heading("Dit is een zin.", None)
    assert not is_heading("• opsomming", None)


def test_sentence_spans_cover_sentences():
    text = "Eerste zin. Tweede zin! Derde zin?\n• punt"
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans == ["Eerste zin.", "Tweede zin!", "Derde zin?", "• punt"]


def test_long_paragraph_split_at_sentences():
    text = " ".join(f"Zin nummer {i} gaat over samenwerking in de wijk." for i in range(80))
    chunks = chunk_document(_doc(text), size=500, overlap=0)
    assert len(chunks) > 3
    assert all(c.text.endswith(".") for c in chunks)
