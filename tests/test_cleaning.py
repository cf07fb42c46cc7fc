from assistant.corpus.cleaning import clean_text, normalize_for_match


def test_hyphenated_line_breaks_are_joined():
    assert clean_text("de samen-\nwerking loopt") == "de samenwerking loopt"


def test_hyphen_kept_before_conjunction_and_capital():
    assert clean_text("zorg-\nen welzijn") == "zorg- en welzijn"
    assert "Zvw-\nVerzekeraar" not in clean_text("Zvw-\nVerzekeraar")


def test_replacement_character_becomes_full_stop_or_bullet():
    text = clean_text("Dit is zorg\ufffd Echter e\ufffdd\ufffd\n\n\ufffd punt een")
    assert "zorg. Echter e.d." in text
    assert "• punt een" in text
    assert "\ufffd" not in text


def test_bullet_tabs_urls_and_whitespace():
    raw = "Kop tekst hier\n•\tEerste punt\n•\tTweede   punt\nhttps://example.org/x\n\n\nNieuwe alinea"
    text = clean_text(raw)
    assert "• Eerste punt\n• Tweede punt" in text
    assert "https://" not in text
    assert "\n\n\n" not in text and "  " not in text


def test_double_spaced_document_becomes_paragraphs():
    lines = [f"regel {i} van de tekst" for i in range(30)]
    text = clean_text("\n\n".join(lines))
    assert text.count("\n\n") < 3


def test_running_footer_removed():
    page = "Tekst van de pagina die doorloopt.\n© Uitgever Denkraam 3/21\n"
    text = clean_text(page * 3)
    assert "©" not in text


def test_normalize_for_match_ignores_artefacts():
    assert normalize_for_match("samen-\nwerking  is ‘goed’") == normalize_for_match("samenwerking is 'goed'")
