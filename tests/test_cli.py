"""The command line on a small corpus with the fake embedder."""

from __future__ import annotations

import json

import pytest

from assistant import cli
from assistant.settings import get_settings


@pytest.fixture
def env(monkeypatch, tmp_path, small_corpus):
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(small_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "fake")
    get_settings.cache_clear()
    yield tmp_path / "index"
    get_settings.cache_clear()


def test_index_if_stale_builds_once_then_keeps_the_index(env, capsys):
    assert cli.main(["index", "--if-stale"]) == 0
    first = (env / "ACTIVE").read_text()
    assert "chunks uit" in capsys.readouterr().out
    assert cli.main(["index", "--if-stale"]) == 0
    assert "Index is actueel" in capsys.readouterr().out
    assert (env / "ACTIVE").read_text() == first
    assert cli.main(["index"]) == 0  # without the flag: always a new build
    assert (env / "ACTIVE").read_text() != first


def test_ask_json_has_citations_and_scores(env, capsys):
    assert cli.main(["ask", "Wie treedt op als kassier voor de casemanagers?", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["citations"] and out["retrieved"]
    assert all("score" in r for r in out["retrieved"])


def test_empty_question_is_a_clear_error(env, capsys):
    assert cli.main(["ask", "   "]) != 0
    assert "fout:" in capsys.readouterr().err


def test_unknown_role_is_refused_before_anything_loads(env, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["ask", "Hoe werkt de kassier?", "--role", "kassier"])
    assert exit_info.value.code == 2
    assert "kassier" in capsys.readouterr().err
    assert not env.exists()  # no index was built for a question that cannot be asked
