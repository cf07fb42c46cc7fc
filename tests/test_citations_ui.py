"""Citation chips: the answer split at its markers, sources grouped by document, Markdown copy."""

from __future__ import annotations

from assistant.types import Answer, Citation
from assistant.ui.citations import answer_markdown, group_sources, sources_summary, split_blocks


def _cite(n: int, doc: str, section: str, start: int, quote: str = "q", page: int | None = None) -> Citation:
    return Citation(
        n=n,
        chunk_id=f"{doc}-{n}",
        doc_id=doc,
        title=f"Titel {doc} (kennissynthese)",
        section=section,
        page=page,
        quote=quote,
        start=start,
        end=start + len(quote),
    )


def test_split_blocks_takes_markers_of_known_citations_only() -> None:
    text = "Inleiding:\n\n**Kern**\n- Eerste punt [1].\n- Tweede [2][3] en \\[4\\]\nSlot [9]"
    blocks = split_blocks(text, {1, 2, 3})
    assert [(b.markdown, b.numbers) for b in blocks] == [
        ("Inleiding:\n\n**Kern**", ()),
        ("- Eerste punt.", (1,)),
        ("- Tweede en \\[4\\]", (2, 3)),
        ("Slot [9]", ()),  # 9 is no citation of this answer: left as text
    ]
    assert split_blocks("A [1, 2] b", {1, 2})[0].numbers == (1, 2)


def test_group_sources_names_each_document_once_and_folds_repeated_quotes() -> None:
    citations = [
        _cite(1, "a", "H > Fase 2", 10),
        _cite(2, "b", "X", 5, page=3),
        _cite(3, "a", "H > Fase 2", 50),
        _cite(4, "a", "Ander", 10),
        _cite(5, "a", "Ander", 90),
    ]
    groups = group_sources(citations)
    assert [g.doc_id for g in groups] == ["a", "b"] and groups[0].title == "Titel a"
    sections = groups[0].sections
    assert [s.name for s in sections] == ["H > Fase 2", "Ander"]
    assert [q.numbers for q in sections[0].quotes] == [[1, 4], [3]]  # [4] quotes the same span as [1]
    assert [q.numbers for q in sections[1].quotes] == [[5]]
    assert groups[1].sections[0].pages == [3]
    assert sources_summary(groups) == "Bronnen · 5 citaten (4 verschillende) uit 2 documenten"


def test_answer_markdown_keeps_markers_and_lists_every_quote() -> None:
    answer = Answer(
        question="Vraag?",
        text="- Punt [1]\n- Punt [2]",
        citations=[_cite(1, "a", "S", 0, "eerste  citaat"), _cite(2, "b", "", 0, "tweede")],
    )
    md = answer_markdown(answer)
    assert md.startswith("**Vraag:** Vraag?\n\n- Punt [1]\n- Punt [2]")
    assert "[1] Titel a — S: “eerste citaat”" in md and "[2] Titel b: “tweede”" in md


def test_phase_sections_become_tabs_and_later_headings_stay_outside():
    from assistant.ui.citations import phase_parts

    text = (
        "Intro\n\n**Kern**\n- a [1]\n\n**OMK fase 2**\n\n**Wat nu te doen**\n- b [2]\n- c [3]\n\n"
        "**Waar op te letten**\n- d [4]\n\n**Voor uw rol**\n- e [5]"
    )
    parts = phase_parts(text)
    assert parts.before.startswith("Intro") and "**OMK fase 2**" in parts.before
    assert parts.tabs == [("Wat nu te doen", "- b [2]\n- c [3]"), ("Waar op te letten", "- d [4]")]
    assert parts.after.startswith("**Voor uw rol**")
    english = phase_parts("**What to do now**\n- x [1]\n\n**Tools**\n- y [2]")
    assert [t for t, _ in english.tabs] == ["What to do now", "Tools"]
    assert phase_parts("**Kern**\n- a [1]\n\n**Wat nu te doen**\n- b [2]").tabs == []  # one section: no tabs


def test_an_image_in_the_question_is_shown_as_text_not_fetched():
    from assistant.ui.chat import _shown_question

    shown = _shown_question("Kijk ![logo](https://example.org/x.png) en [link](https://example.org)")
    assert "![" not in shown.replace("!\\[", "") and "!\\[logo]" in shown
    assert _shown_question("Hoe werkt de kassier?") == "Hoe werkt de kassier?"
