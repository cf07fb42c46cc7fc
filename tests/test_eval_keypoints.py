"""The key-point measure and its calibration against the hand labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.calibration import (
    LABELS_PATH,
    agreement,
    best_threshold,
    calibration_report,
    cohen_kappa,
    load_labels,
    scored,
)
from eval.keypoints import (
    DEFAULT_THRESHOLD,
    content_stems,
    covered,
    keypoint_score,
    tokens,
)

DEV = Path(__file__).resolve().parent.parent / "eval" / "questions_dev.jsonl"


def test_tokens_drop_stopwords_fold_accents_and_normalise_numbers() -> None:
    assert tokens("De coördinatie van het netwerk, and the zeven PlusPraktijken: 7%!") == [
        "coordinatie",
        "netwerk",
        "7",
        "pluspraktijken",
        "7",
        "procent",
    ]
    assert tokens("82,1% van de 101 DSV's") == ["82,1", "procent", "101", "dsv"]


def test_stems_conflate_dutch_inflections() -> None:
    assert content_stems("gemeenten") == content_stems("gemeente")
    assert content_stems("netwerken") == content_stems("netwerk")
    assert content_stems("de het een") == set()


def test_keypoint_score_and_threshold() -> None:
    answer = content_stems("Eén zorgorganisatie treedt op als kassier voor het netwerk.")
    assert keypoint_score("Een kassier voor het netwerk", answer) == 1.0
    assert keypoint_score("kassier verrekent loonkosten casemanagers", answer) == 0.25
    assert keypoint_score("de of en", answer) is None
    assert covered("kassier netwerk loonkosten", answer)  # 2/3 >= threshold
    assert not covered("kassier loonkosten casemanagers verrekening", answer)


def test_cohen_kappa_known_values() -> None:
    assert cohen_kappa([(True, True), (False, False)]) == 1.0
    assert cohen_kappa([(True, False), (False, True)]) == -1.0
    assert cohen_kappa([(True, True), (True, False), (False, False), (False, False)]) == 0.5
    assert cohen_kappa([]) == 0.0


def test_agreement_and_best_threshold_on_toy_points() -> None:
    points = [(0.9, True), (0.6, True), (0.4, False), (0.1, False)]
    assert agreement(points, 0.5).accuracy == 1.0
    best = best_threshold(points)
    assert best.kappa == 1.0 and 0.4 < best.threshold <= 0.6


def test_labels_file_matches_the_dev_set() -> None:
    dev = {json.loads(line)["id"]: json.loads(line) for line in DEV.read_text().splitlines()}
    labels = load_labels(LABELS_PATH)
    assert len(labels) >= 100
    assert len({lab.id for lab in labels}) == len(labels)
    for lab in labels:
        assert lab.key_point in dev[lab.question_id]["key_points"], lab.id
    share = sum(lab.covered for lab in labels) / len(labels)
    assert 0.3 < share < 0.7  # both classes well represented


def test_default_threshold_is_the_calibrated_one() -> None:
    report = calibration_report()
    assert report["threshold"] == DEFAULT_THRESHOLD == report["best_grid_threshold"]
    assert report["kappa"] >= 0.8
    assert report["accuracy"] >= 0.9
    split = report["split_check"]
    assert min(split["fit_even_test_odd_kappa"], split["fit_odd_test_even_kappa"]) >= 0.7


@pytest.mark.parametrize("style", ["refusal", "off_target"])
def test_labelled_non_answers_score_below_threshold(style: str) -> None:
    for lab in load_labels():
        if lab.style == style:
            assert scored([lab])[0][0] < DEFAULT_THRESHOLD, lab.id
