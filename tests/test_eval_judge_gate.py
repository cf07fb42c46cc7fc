"""LLM-judge metrics with a scripted model, the unreachable-endpoint path, and the gate."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from assistant.settings import get_settings
from assistant.types import Answer, Chunk, Citation, RetrievedChunk
from eval.fake import FakeAssistant
from eval.gate import CEILINGS, THRESHOLDS, check
from eval.judge import Judge, judge_from_settings, lexical_cosine, parse_json
from eval.questions import Case
from eval.runner import run_eval

CASE = Case(
    id="q",
    question="Wie treedt op als kassier?",
    kind="funding",
    expected_docs=["d"],
    evidence=["kassier"],
    key_points=["kassier"],
)
CHUNK = Chunk(id="d#0", doc_id="d", title="d", section="", text="Eén organisatie is kassier.", start=0, end=27)
ANSWER = Answer(
    question=CASE.question,
    text="Eén organisatie is kassier [1].",
    citations=[
        Citation(
            n=1, chunk_id="d#0", doc_id="d", title="d", section="", quote="Eén organisatie is kassier.", start=0, end=27
        )
    ],
    retrieved=[RetrievedChunk(chunk=CHUNK, score=1.0)],
)


def scripted(prompt: str) -> str:
    if "beweringen" in prompt:
        assert "Eén organisatie is kassier." in prompt  # the cited quote is the context
        return (
            '```json\n{"statements": [{"text": "a", "supported": true},'
            ' {"text": "b", "supported": true}, {"text": "c", "supported": false}]}\n```'
        )
    return 'Hier: {"questions": ["Wie treedt op als kassier?", "Wat is een kassier?"]}'


def test_judge_scores_faithfulness_and_relevance() -> None:
    scores = Judge(scripted).score(CASE, ANSWER)
    assert scores["faithfulness"] == pytest.approx(2 / 3)
    expected = (1.0 + lexical_cosine(CASE.question, "Wat is een kassier?")) / 2
    assert scores["answer_relevance"] == pytest.approx(expected)


def test_judge_skips_refusals_and_survives_bad_replies() -> None:
    judge = Judge(lambda prompt: "geen json")
    refused = ANSWER.model_copy(update={"refused": True})
    assert judge.score(CASE, refused) == {"faithfulness": None, "answer_relevance": None}
    assert judge.failures == 0
    assert judge.score(CASE, ANSWER) == {"faithfulness": None, "answer_relevance": None}
    assert judge.failures == 2
    with pytest.raises(ValueError):
        parse_json("nothing here")


@pytest.fixture
def dead_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_unreachable_endpoint_marks_judge_unavailable(dead_endpoint: None, tmp_path: Path) -> None:
    judge = judge_from_settings(probe_timeout_s=1.0)
    assert not judge.available and "unreachable" in judge.reason
    q = tmp_path / "q.jsonl"
    q.write_text(CASE.model_dump_json() + "\n", encoding="utf-8")
    summary = run_eval(FakeAssistant({"d": CHUNK.text}), q, tmp_path / "run", judge=judge, progress=False)
    assert summary["judge"]["enabled"] and not summary["judge"]["available"]
    assert "Unavailable" in (tmp_path / "run" / "summary.md").read_text()
    record = json.loads((tmp_path / "run" / "results.jsonl").read_text())
    assert record["judge"] == {}


def summary_with(**means: float | None) -> dict[str, object]:
    return {
        "metrics": {k: {"mean": v, "n": 1} for k, v in means.items()},
        "cost": {"latency_ms": {"p50": 100.0, "p95": 900.0}},
    }


def test_gate_passes_fails_and_reports_missing_metrics() -> None:
    passing = summary_with(**{k: 1.0 for k in THRESHOLDS}, false_refusal=0.0)
    assert check(passing) == []
    failing = summary_with(**{**{k: 1.0 for k in THRESHOLDS}, "mrr": 0.1}, false_refusal=0.5)
    assert check(failing) == [
        f"mrr: 0.100 < minimum {THRESHOLDS['mrr']}",
        f"false_refusal: 0.500 > maximum {CEILINGS['false_refusal']}",
    ]
    assert check(summary_with(), {"mrr": 0.5}, {}) == ["mrr: missing from summary (needs >= 0.5)"]
    assert check(passing, {}, {"latency_p95_ms": 500.0}) == ["latency_p95_ms: 900.000 > maximum 500.0"]


class _FakeOpenAI(BaseHTTPRequestHandler):
    """Just enough of an OpenAI-compatible server: /models and /chat/completions."""

    def _send(self, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._send({"object": "list", "data": [{"id": "judge", "object": "model"}]})

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        content = scripted(request["messages"][-1]["content"])
        self._send(
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "judge",
                "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        )

    def log_message(self, *args: object) -> None:
        pass


def test_judge_talks_to_an_openai_compatible_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    server = HTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
    get_settings.cache_clear()
    try:
        judge = judge_from_settings(timeout_s=10)
        assert judge.available
        assert judge.score(CASE, ANSWER)["faithfulness"] == pytest.approx(2 / 3)
    finally:
        server.shutdown()
        get_settings.cache_clear()
