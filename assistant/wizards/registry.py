"""The wizards the app offers, by id: their spec and the function that builds a result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from assistant.wizards.engine import WizardInputError, WizardSpec
from assistant.wizards.funding import build_funding_result, funding_spec
from assistant.wizards.governance import build_governance_result, governance_spec
from assistant.wizards.results import WizardResult

Builder = Callable[[Mapping[str, object], Path | None], WizardResult]

WIZARDS: dict[str, tuple[Callable[[], WizardSpec], Builder]] = {
    "funding": (funding_spec, build_funding_result),
    "governance": (governance_spec, build_governance_result),
}


def wizard_ids() -> list[str]:
    return list(WIZARDS)


def get_spec(wizard_id: str) -> WizardSpec:
    if wizard_id not in WIZARDS:
        raise WizardInputError(f"Onbekende wizard '{wizard_id}'. Kies uit: {', '.join(WIZARDS)}.")
    return WIZARDS[wizard_id][0]()


def build_result(wizard_id: str, answers: Mapping[str, object], corpus_dir: Path | None = None) -> WizardResult:
    """Result for a wizard and a complete answer set; raises WizardInputError when invalid."""
    get_spec(wizard_id)
    return WIZARDS[wizard_id][1](answers, corpus_dir)
