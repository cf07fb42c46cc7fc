"""Teamscan scoring, plan and exports: medians, disagreement, computed phase, cited actions."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assistant.answer.generative.verify import lexical_support
from assistant.guidance.phases import equivalent_phases, get_phase
from assistant.guidance.sources import cleaned_text
from assistant.knowledge.model import claims_by_id
from assistant.teamscan import export
from assistant.teamscan.model import (
    Response,
    TeamscanInputError,
    computed_phase,
    load_spec,
    score,
    validate_scores,
)
from assistant.teamscan.plan import build_plan
from assistant.teamscan.store import Scan

SPEC = load_spec()
IDS = [s.id for s in SPEC.statements()]


def member(name: str, phase: str = "omk-2", default: int = 3, **overrides: int) -> Response:
    scores = {sid: default for sid in IDS}
    for prefix, value in overrides.items():
        scores.update({sid: value for sid in IDS if sid.startswith(prefix)})
    return Response(respondent=name, role="coordinator", phase=phase, scores=scores)


def test_every_statement_cites_a_claim_whose_quote_is_in_the_corpus() -> None:
    assert len(SPEC.dimensions) >= 7 and all(len(d.statements) >= 3 for d in SPEC.dimensions)
    for statement in SPEC.statements():
        source = statement.source()
        assert source.quote in cleaned_text(source.doc)


def test_median_resists_one_outlier_and_disagreement_is_flagged() -> None:
    result = score(SPEC, [member("a", bekostiging=4), member("b", bekostiging=4), member("c", bekostiging=0)])
    funding = next(d for d in result.dimensions if d.id == "bekostiging")
    assert (funding.median, funding.low, funding.high) == (4, 0, 4)
    assert funding.disagree and funding.spread == 4
    vision = next(d for d in result.dimensions if d.id == "visie")
    assert not vision.disagree and vision.spread == 0


def test_from_four_members_the_interquartile_range_decides() -> None:
    members = [member("a", visie=3), member("b", visie=3), member("c", visie=3), member("d", visie=0)]
    vision = next(d for d in score(SPEC, members).dimensions if d.id == "visie")
    assert vision.high - vision.low == 3 and not vision.disagree  # one outlier of four is no disagreement


def test_computed_phase_needs_each_phase_two_thirds_in_place() -> None:
    everything = dict.fromkeys(IDS, True)
    assert computed_phase(SPEC, everything) == "omk-4"
    assert computed_phase(SPEC, dict.fromkeys(IDS, False)) == "omk-1"
    phase2 = [s.id for s in SPEC.statements() if s.phase == "omk-2"]
    gaps = {**everything, **dict.fromkeys(phase2[: len(phase2) // 2 + 1], False)}
    assert computed_phase(SPEC, gaps) == "omk-1"  # phase 3 elements do not count without phase 2


def test_computed_and_self_rated_phase_are_shown_side_by_side() -> None:
    result = score(SPEC, [member("a", "omk-1", default=5), member("b", "omk-2", default=5), member("c", "omk-2")])
    assert result.computed_phase == "omk-4" and result.self_rated_phase == "omk-2"
    computed, rated = result.labels()
    assert "4" in computed and "2" in rated


def test_bad_scores_and_an_empty_scan_get_clear_messages() -> None:
    with pytest.raises(TeamscanInputError, match="Geef een score bij"):
        validate_scores(SPEC, {})
    with pytest.raises(TeamscanInputError, match="niet tussen 0 en 5"):
        validate_scores(SPEC, dict.fromkeys(IDS, 7))
    with pytest.raises(TeamscanInputError, match="geen score"):
        validate_scores(SPEC, dict.fromkeys(IDS, "veel"))
    with pytest.raises(TeamscanInputError, match="nog geen antwoorden"):
        score(SPEC, [])


def test_plan_acts_on_the_weakest_dimensions_with_verbatim_citations() -> None:
    result = score(SPEC, [member("a", bekostiging=1, data=2, inwoners=2), member("b", bekostiging=0, data=1)])
    plan = build_plan(SPEC, result)
    dims = [a.dimension for a in plan.actions]
    assert dims[0] == "bekostiging" and set(dims) == {"bekostiging", "data", "inwoners"}
    assert len({a.key for a in plan.actions}) == len(plan.actions)
    missing = {s.action for d in result.weakest(3) for s in SPEC.statements() if s.id in d.missing}
    elements = [a for a in plan.actions if a.origin == "element"]
    assert missing and {a.text for a in elements} == missing  # every missing element, worded as a task
    for citation in plan.citations:
        assert cleaned_text(citation.doc_id)[citation.start : citation.end] == citation.quote


def test_plan_draws_on_the_phase_guidance_of_the_computed_phase() -> None:
    result = score(SPEC, [member("a", default=1, samenwerking=4, visie=4), member("b", default=2, visie=4)])
    assert result.computed_phase == "omk-1"
    plan = build_plan(SPEC, result)
    phases = [get_phase(p) for p in ("omk-1", *equivalent_phases("omk-1"))]
    guidance = {item.claim for phase in phases for group in ("now", "next") for item in phase.group(group)}
    from_phase = [a for a in plan.actions if a.origin == "fase"]
    assert from_phase, "the weakest dimensions get advice for the phase the network is in"
    for action in from_phase:
        claim = action.key.split(":", 1)[1]
        dimension = next(d for d in SPEC.dimensions if d.id == action.dimension)
        assert claim in guidance and set(claims_by_id()[claim].topics) & set(dimension.topics)
    for dimension in {a.dimension for a in plan.actions}:
        assert sum(a.dimension == dimension and a.origin != "element" for a in plan.actions) <= 2


def test_each_action_is_worded_as_a_task_supported_by_its_claim() -> None:
    for statement in SPEC.statements():
        quote = claims_by_id()[statement.claim].quote
        assert statement.action != statement.text
        assert lexical_support(statement.action, quote) >= 0.6, statement.id  # the claim check's own threshold


def test_exports_hold_the_chart_the_plan_and_the_sources() -> None:
    result = score(SPEC, [member("a", bekostiging=1), member("b", bekostiging=2)])
    previous = score(SPEC, [member("a", bekostiging=0)])
    plan = build_plan(SPEC, result)
    scan = Scan("ABC234", "Netwerk Oost", "2026-12-04", None)
    markdown = export.to_markdown(scan, result, plan, previous)
    assert "# Teamscan: Netwerk Oost" in markdown and "data:image/png;base64," in markdown
    assert "Bekostiging: mediaan 1.5 (was 0)" in markdown and plan.actions[0].text in markdown
    reader = PdfReader(io.BytesIO(export.to_pdf(scan, result, plan, previous)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Netwerk Oost" in text and "Actieplan" in text and "Bronnen" in text
    assert reader.pages[0].images, "the radar chart is on the first page"
    assert export.radar_png(result).startswith(b"\x89PNG")
