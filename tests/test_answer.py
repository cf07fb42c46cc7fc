import pytest

from assistant.guidance.phases import UnknownPhaseError
from assistant.service import Assistant
from assistant.types import InputError, Profile, Turn


def test_answer_cites_verbatim_quotes(assistant):
    answer = assistant.ask("Hoe verrekenen we casemanagers van verschillende organisaties via een kassier?")
    assert not answer.refused and answer.citations
    for c in answer.citations:
        assert assistant.documents[c.doc_id].text[c.start : c.end] == c.quote
        assert f"[{c.n}]" in answer.text
    assert answer.retrieved and answer.latency_ms > 0


def test_out_of_scope_terms_refuse_without_citations(assistant):
    answer = assistant.ask("Welke dosering metformine adviseert de NHG-standaard?")
    assert answer.refused and not answer.citations
    assert "metformine" in answer.text


def test_empty_question_is_a_clear_error(assistant):
    with pytest.raises(InputError, match="leeg"):
        assistant.ask("   ")


def test_huge_question_is_trimmed_with_notice(assistant):
    answer = assistant.ask("Hoe werkt de kassier bij bekostiging? " * 600)
    assert answer.notice and "20" in answer.notice


def test_unknown_phase_is_rejected(assistant):
    with pytest.raises(UnknownPhaseError):
        assistant.ask("Wat moeten we nu doen?", profile=Profile(phase="fase-99"))


def test_english_question_gets_english_framing(assistant):
    answer = assistant.ask("What does the synthesis say about the kassier for casemanagers?")
    assert answer.language == "en" and answer.text.startswith("What the sources say")


def test_follow_up_uses_previous_turn():
    history = [Turn(question="Hoe werkt een kassier bij dementienetwerken?", answer="...")]
    assert "kassier" in Assistant.retrieval_query("En wat kost dat?", history)
    assert Assistant.retrieval_query("En wat kost dat?", None) == "En wat kost dat?"


def test_phase_question_with_profile_gets_phase_block(assistant):
    answer = assistant.ask("Wat moeten we in onze fase nu regelen?", profile=Profile(phase="rivm-1"))
    assert "phase_now" in answer.sections
    assert len({c.n for c in answer.citations}) == len(answer.citations)


def test_phase_question_without_phase_asks_for_it(assistant):
    answer = assistant.ask("In welke fase zitten we en wat moeten we nu doen?")
    assert "Waar staan we?" in answer.text


def test_scope_ignores_common_words_and_compounds(assistant):
    scope = assistant.scope
    assert scope.unknown_terms("Telt onze samenwerking mee als kassier?", "nl") == []
    assert scope.unknown_terms("Wat zegt de kassierfunctie over bekostiging?", "nl") == []
    assert scope.unknown_terms("Welke dosering metformine bij bekostiging in 2031?", "nl") == ["metformine", "2031"]


@pytest.mark.parametrize(
    "sentence",
    [
        "In hoofdstuk 3 bespreken we de belangrijkste knelpunten die in de praktijk ervaren worden.",
        "Hoofdstuk 2 beschrijft de toegepaste onderzoeksmethoden van deze synthese.",
        "In dit hoofdstuk beschrijven we wat we in de diverse stappen gedaan hebben.",
        "(2023) komen de in de interviews genoemde problemen nauwelijks aan bod.",
        "en daarom is het belangrijk dat de gemeente op tijd aan tafel zit.",
        "Wat is er qua bekostiging nodig om te komen tot een domeinoverstijgende samen-",
    ],
)
def test_signposts_and_fragments_are_not_quoted(sentence):
    from assistant.answer.extractive import is_quotable

    assert not is_quotable(sentence)


def test_a_statement_about_the_subject_is_quotable():
    from assistant.answer.extractive import is_quotable

    assert is_quotable("Gemeente en zorgverzekeraar maken samen een regiobeeld voordat zij afspraken maken.")


def test_abbreviations_do_not_end_sentences():
    from assistant.text.sentences import sentence_offsets as sentence_spans

    text = "Volgens Ndayishimiye et al. (2023) komen deze problemen nauwelijks aan bod. Dat is o.a. jammer."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Volgens Ndayishimiye et al. (2023) komen deze problemen nauwelijks aan bod.",
        "Dat is o.a. jammer.",
    ]


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("Hoeveel geld heeft de gemeente in 2025 ontvangen uit de regeling?", True),
        ("How much IZA transformation funding was allocated to the region?", True),
        ("Welk bedrag bespaarde het project per cliënt?", True),
        ("Wat is het maximumtarief voor de nieuwe betaaltitel?", True),
        ("Hoeveel partijen zitten er gemiddeld in een netwerk?", False),
        ("Welke bekostigingsmodellen passen bij domeinoverstijgende samenwerking?", False),
    ],
)
def test_questions_for_an_amount_are_recognised(question, amount):
    from assistant.gate.intents import detect_intents

    assert ("amount" in detect_intents(question)) is amount


def test_amount_question_without_amounts_in_the_passages_is_refused(assistant):
    answer = assistant.ask("Hoeveel geld krijgen casemanagers via de kassier van het samenwerkingsverband?")
    assert answer.refused and not answer.citations
    assert "bedrag" in answer.text


def test_amount_question_is_answered_when_a_passage_states_an_amount(tmp_path, small_corpus):
    from assistant.settings import Settings

    extra = "Het project in de wijk bespaarde 38.400 euro per cliënt aan zorgkosten voor de kassier."
    path = small_corpus / "bedragen.txt"
    path.write_text(f"Bedragen\n\n{extra}\n", encoding="utf-8")
    assistant = Assistant.create(Settings(corpus_dir=small_corpus, index_dir=tmp_path / "ix", embedder="fake"))
    answer = assistant.ask("Welk bedrag bespaarde het project in de wijk per cliënt aan zorgkosten?")
    assert not answer.refused
    assert any("38.400 euro" in c.quote for c in answer.citations)


def test_generative_mode_refuses_what_the_default_refuses_without_the_model(assistant, monkeypatch):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    made: list[FakeListChatModel] = []

    def model(settings, **kw):  # noqa: ANN001, ANN202
        made.append(FakeListChatModel(responses=["Metformine 500 mg [1]."]))
        return made[-1]

    monkeypatch.setattr("assistant.llm.chat.make_chat_model", model)
    answer = assistant.ask("Welke dosering metformine adviseert de NHG-standaard?", mode="generative")
    assert answer.refused and answer.mode == "extractive" and not answer.citations
    assert not made or made[0].i == 0  # the model was never asked


@pytest.mark.parametrize("question", ["😀🙏", "?!…", "👍 👍"])
def test_a_question_without_words_says_so(assistant, question):
    with pytest.raises(InputError, match="geen woorden"):
        assistant.ask(question)


def test_lone_surrogates_become_replacement_characters(assistant):
    answer = assistant.ask("Hoe werkt de kassier\ud83d bij casemanagers? \ud83d\ude00")
    assert answer.question.endswith("😀") and "\ufffd" in answer.question
    answer.model_dump_json()  # encodes: nothing unpaired is left


def test_unknown_role_is_rejected_with_the_known_ones(assistant):
    with pytest.raises(InputError, match="Onbekende rol 'kassier'.*gemeente"):
        assistant.ask("Hoe werkt de kassier?", profile=Profile(role="kassier"))
    assert assistant.ask("Hoe werkt de kassier?", profile=Profile(role="gemeente")).text
