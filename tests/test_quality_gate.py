"""The deterministic eval metrics on the dev set must not fall below the measured baseline."""

from __future__ import annotations

import pytest

from assistant.settings import ROOT
from eval.gate import check
from eval.runner import run_eval

pytestmark = pytest.mark.slow


def test_dev_set_meets_quality_gate(real_assistant, tmp_path):
    summary = run_eval(real_assistant, ROOT / "eval" / "questions_dev.jsonl", tmp_path, progress=False)
    failures = check(summary)
    assert not failures, "quality regressed:\n" + "\n".join(failures)
