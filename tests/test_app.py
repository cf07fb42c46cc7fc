"""The Streamlit app (app.py) driven with AppTest, on the full corpus with the fake embedder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.embedding.base import ModelLoadError
from assistant.guidance.assessment import load_assessment
from assistant.settings import ROOT, get_settings
from assistant.ui.passages import escape_text

APP = str(ROOT / "app.py")
DOCUMENTS = "assistant/ui/pages/documents.py"
QUESTION = "Welke bekostigingsmodellen passen bij domeinoverstijgende samenwerking?"


def _use_settings(monkeypatch: pytest.MonkeyPatch, index_dir: Path, corpus_dir: Path | None = None) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "fake")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("ASSISTANT_MODE", "extractive")
    if corpus_dir:
        monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus_dir))
    get_settings.cache_clear()


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, fake_index: Path) -> Iterator[None]:
    _use_settings(monkeypatch, fake_index)
    yield
    get_settings.cache_clear()  # later tests get their own settings


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    return at.run()


def _ask(at: AppTest, question: str) -> AppTest:
    return at.chat_input(key="chat_input").set_value(question).run()


def _phase_box(at: AppTest):  # noqa: ANN202 - AppTest's Selectbox
    return next(s for s in at.sidebar.selectbox if s.label == "Fase van uw samenwerking")


def _role_box(at: AppTest):  # noqa: ANN202
    return next(s for s in at.sidebar.selectbox if s.label == "Uw rol")


def _answers(at: AppTest) -> list:
    return list(at.session_state["chat_messages"])


@pytest.mark.usefixtures("app_env")
def test_chat_page_renders_with_profile_and_mode() -> None:
    at = _app()
    assert not at.exception
    assert at.title[0].value.startswith("Kennisassistent")
    assert [s.label for s in at.sidebar.selectbox] == ["Uw rol", "Fase van uw samenwerking"]
    phases = _phase_box(at)
    assert phases.value == "onbekend"
    assert "OMK fase 2 – Experiment- en uitvoeringsfase" in phases.options  # labels from the phase models
    assert any("Antwoordmodus:** Extractief" in m.value for m in at.sidebar.markdown)
    assert len(at.button) >= 3  # example questions


@pytest.mark.usefixtures("app_env")
def test_question_gets_answer_with_sources_in_context() -> None:
    at = _ask(_app(), QUESTION)
    assert not at.exception
    assert len(at.chat_message) == 2
    answer = _answers(at)[0]["answer"]
    assert answer.citations and not answer.refused
    assert [e.label for e in at.expander][0].startswith("Bronnen · ")  # one collapsed source list
    message = _answers(at)[0]
    at.button(key=f"cite_{message['id']}_1_1").click().run()  # the chip after the first point
    assert at.session_state["chat_reader"] == {"answer": message["id"], "n": 1}
    html = " ".join(m.value for m in at.markdown if "<mark>" in m.value)
    quote = answer.citations[0].quote
    marked = re.search(r"<mark>(.*?)</mark>", html, re.S)
    assert marked and marked.group(1) == escape_text(quote)  # the highlight is exactly the quote
    link = at.get("page_link")[0].proto
    assert link.page == "documenten" and f"doc={answer.citations[0].doc_id}" in link.query_string
    if len(answer.citations) > 1:
        at.button(key="reader_next").click().run()
        assert at.session_state["chat_reader"]["n"] == 2
        marks = [re.search(r"<mark>(.*?)</mark>", m.value, re.S) for m in at.markdown if "<mark>" in m.value]
        assert any(m and m.group(1) == escape_text(answer.citations[1].quote) for m in marks)
    assert any("Modus: Extractief" in m.value for m in at.markdown)


@pytest.mark.usefixtures("app_env")
def test_follow_up_passes_history_and_empty_input_keeps_it() -> None:
    at = _ask(_app(), QUESTION)
    at = _ask(at, "En wat zijn daarvan de nadelen?")
    assert len(_answers(at)) == 2
    assert len(at.chat_message) == 4
    at = _ask(at, "   ")
    assert not at.exception
    assert "Stel een vraag: het invoerveld is leeg." in [w.value for w in at.warning]
    assert len(_answers(at)) == 2 and len(at.chat_message) == 4


@pytest.mark.usefixtures("app_env")
def test_very_long_question_is_trimmed_with_notice() -> None:
    question = (QUESTION + " ") * 280  # about 20,000 characters
    at = _ask(_app(), question[:20000])
    assert not at.exception
    assert any("20000 tekens" in i.value for i in at.info)
    user_text = at.chat_message[0].markdown[0].value
    assert len(user_text) < 700 and "20.000 tekens" in user_text


@pytest.mark.usefixtures("app_env")
def test_sidebar_phase_is_used_for_phase_questions() -> None:
    at = _app()
    _phase_box(at).set_value("omk-2").run()
    assert at.session_state["profile_phase"] == "omk-2"
    assert any("OMK fase 2" in c.value for c in at.caption)
    at = _ask(at, "Wat moeten we in onze fase nu regelen?")
    answer = _answers(at)[0]["answer"]
    assert any(key.startswith("phase_") for key in answer.sections), answer.text


@pytest.mark.usefixtures("app_env")
def test_phase_from_self_assessment_appears_in_sidebar() -> None:
    at = _app()
    at.session_state["profile_phase"] = "rivm-2"  # what the assessment's accept button stores
    at.run()
    assert _phase_box(at).value == "rivm-2"
    _role_box(at).set_value("gemeente").run()
    assert at.session_state["profile_role"] == "gemeente"
    assert at.session_state["profile_phase"] == "rivm-2"
    assert _role_box(at).value == "gemeente" and _phase_box(at).value == "rivm-2"
    _phase_box(at).set_value("onbekend").run()
    assert at.session_state["profile_phase"] is None and _phase_box(at).value == "onbekend"


@pytest.mark.usefixtures("app_env")
def test_accepting_the_self_assessment_sets_the_sidebar_phase() -> None:
    at = _app()
    at.switch_page("assistant/ui/pages/assessment.py").run()
    for question in load_assessment().questions:  # "we verkennen ...": the first phase everywhere
        at.radio(key=f"assessment_q_{question.id}").set_value(question.options[0].id)
    at.button(key="assessment_submit").click().run()
    assert not at.exception
    at.button(key="assessment_accept").click().run()
    assert at.session_state["profile_phase"] == "omk-1"
    assert _phase_box(at).value == "omk-1"  # shown in the sidebar in the same run


@pytest.mark.usefixtures("app_env")
def test_unknown_phase_gives_clear_message_and_keeps_history() -> None:
    at = _ask(_app(), QUESTION)
    at.session_state["profile_phase"] = "omk-9"
    at = _ask(at, "Wat moeten we in onze fase nu regelen?")
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Onbekende fase 'omk-9'" in e for e in errors)
    assert len(_answers(at)) == 1 and len(at.chat_message) == 2
    assert at.session_state["profile_phase"] is None  # the sidebar reset it
    assert any(b.label == "Vraag opnieuw stellen" for b in at.button)


@pytest.mark.usefixtures("app_env")
def test_pending_question_from_wizard_is_asked_once() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["pending_question"] = "Wie houdt toezicht op een samenwerkingsverband?"
    at.run()
    assert not at.exception
    assert len(_answers(at)) == 1
    assert "pending_question" not in at.session_state
    at.run()
    assert len(_answers(at)) == 1


@pytest.mark.usefixtures("app_env")
def test_wizard_follow_up_opens_the_chat_and_asks() -> None:
    at = _app()
    at.query_params.update(
        {"wizard": "funding", "role": "coordinator", "laws": "zvw", "bottlenecks": "loonlijst", "phase": "omk-3"}
    )
    at.switch_page("assistant/ui/pages/funding.py").run()
    assert not at.exception
    at.button(key="funding_ask_loonlijst-found-0").click().run()
    assert not at.exception
    assert at.title[0].value == "Kennisassistent"  # switched to the chat page
    assert len(_answers(at)) == 1 and "kassier" in _answers(at)[0]["question"]
    assert "pending_question" not in at.session_state


@pytest.mark.usefixtures("app_env")
def test_documents_page_lists_the_corpus() -> None:
    at = _app()
    at.switch_page(DOCUMENTS).run()
    assert not at.exception
    assert at.title[0].value == "Documenten"
    frame = at.dataframe[0].value
    assert len(frame) == 8
    assert {"titel", "uitgever", "jaar", "soort", "tekens", "chunks"} <= set(frame.columns)
    assert (frame["chunks"] > 0).all()
    assert len(at.selectbox(key="doc_select").options) == 8
    assert not at.warning


@pytest.mark.usefixtures("app_env")
def test_documents_page_highlights_a_linked_quote() -> None:
    at = _ask(_app(), QUESTION)
    citation = _answers(at)[0]["answer"].citations[0]
    at.query_params.update({"doc": citation.doc_id, "start": str(citation.start), "end": str(citation.end)})
    at.switch_page(DOCUMENTS).run()
    assert not at.exception
    assert at.selectbox(key="doc_select").value == citation.doc_id
    html = [m.value for m in at.markdown if "<mark" in m.value]
    assert len(html) == 2  # the quoted passage and the reader's part
    assert "Geciteerde passage" in " ".join(m.value for m in at.markdown)


def test_start_up_errors_are_shown_as_messages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "corpus"
    empty.mkdir()
    _use_settings(monkeypatch, tmp_path / "index", corpus_dir=empty)
    at = _app()
    assert not at.exception
    assert "De kennisbank (index) is niet beschikbaar" in at.error[0].value
    assert "Geen leesbare documenten" in at.error[0].value

    def broken(*args: object, **kwargs: object) -> None:
        raise ModelLoadError("Embeddingmodel niet gevonden in /nergens.")

    monkeypatch.setattr("assistant.ui.resources.ensure_index", broken)
    at = _app()
    assert not at.exception
    assert "Het embeddingmodel kon niet worden geladen" in at.error[0].value
    assert any(b.label == "Opnieuw proberen" for b in at.button)
    get_settings.cache_clear()


def test_corpus_warnings_show_on_documents_page_and_sidebar(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in (ROOT / "corpus").iterdir():
        (corpus / path.name).write_bytes(path.read_bytes())
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.4 dit is geen pdf")
    _use_settings(monkeypatch, tmp_path / "index", corpus_dir=corpus)
    at = _app()
    at.switch_page(DOCUMENTS).run()
    assert not at.exception
    assert any("kapot.pdf" in w.value for w in at.main.warning)
    assert any("zie de pagina Documenten" in w.value for w in at.sidebar.warning)
    assert len(at.dataframe[0].value) == 8
    get_settings.cache_clear()


@pytest.mark.usefixtures("app_env")
def test_first_screen_guides_and_answers_suggest_follow_ups() -> None:
    at = _app()
    assert any("acht kennissyntheses" in m.value for m in at.markdown)  # one sentence on what this is
    links = [link.proto.page for link in at.get("page_link")]
    assert links == ["waar-staan-we", "teamscan", "bekostiging", "governance"]
    tabs = [t.label for t in at.tabs]
    assert tabs[:4] == ["Coördinator netwerk", "Huisarts", "Gemeente", "Zorgverzekeraar"]
    _role_box(at).set_value("gemeente").run()
    assert [t.label for t in at.tabs][0] == "Gemeente"  # the user's own role first
    at.button(key="chat_example_gemeente_1").click().run()
    message = _answers(at)[0]
    assert message["question"].startswith("Hoe kunnen gemeente en zorgverzekeraar")
    followups = message["followups"]
    assert 1 <= len(followups) <= 3 and message["question"] not in followups
    at.button(key=f"followup_{message['id']}_0").click().run()
    assert [m["question"] for m in _answers(at)] == [message["question"], followups[0]]
