"""End to end with the real model: `python -m assistant.llm serve` on a free port.

Skipped unless the GGUF (python -m assistant.llm fetch) and xllamacpp
(pip install -r requirements-llm.txt) are present. Takes ~30-60 s on 2 cores.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence

import pytest

from assistant.answer.generative.pipeline import GenerativeAnswerer
from assistant.llm.fetch import MODEL_FILE
from assistant.llm.server import wait_healthy, xllamacpp_available
from assistant.settings import ROOT, Settings, get_settings
from assistant.types import Answer, Chunk, Document, DocumentInfo, RetrievedChunk, Turn

MODEL = get_settings().models_dir / MODEL_FILE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.llm,
    pytest.mark.skipif(not MODEL.is_file(), reason=f"{MODEL} missing: python -m assistant.llm fetch"),
    pytest.mark.skipif(not xllamacpp_available(), reason="xllamacpp missing: pip install -r requirements-llm.txt"),
]

P1 = (
    "In de experiment- en uitvoeringsfase voeren de betrokkenen gezamenlijke experimenten of "
    "initiatieven uit. De samenwerking krijgt concreet vorm op kleine schaal, bijvoorbeeld door "
    "een pilot te beginnen op een aantal locaties. Er is afstemming tussen samenwerkingspartners "
    "door een netwerkoverleg en er is een persoon met een coördinerende rol benoemd."
)
P2 = (
    "Ons gezondheidszorgsysteem staat onder druk. Bovendien is er een groeiend tekort aan "
    "zorgpersoneel. Het wordt steeds moeilijker om goede zorg te leveren die betaalbaar is."
)
TEXT = P1 + "\n\n" + P2 + "\n"
DOC = Document(info=DocumentInfo(id="d", file="d.txt", title="Integrale zorg"), text=TEXT)
CHUNKS = [
    Chunk(
        id=f"d:{i}",
        doc_id="d",
        title="Integrale zorg",
        section="Fasen",
        text=p,
        start=TEXT.index(p),
        end=TEXT.index(p) + len(p),
    )
    for i, p in enumerate([P1, P2])
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "assistant.llm", "serve", "--port", str(port), "--threads", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        if not wait_healthy(f"http://127.0.0.1:{port}", timeout_s=120):
            out = proc.stdout.read().decode() if proc.poll() is not None and proc.stdout else ""
            pytest.fail(f"server did not start: {out[-2000:]}")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_dutch_question_over_two_passages(server_url: str) -> None:
    fallbacks: list[str] = []

    def fallback(question: str, history: Sequence[Turn]) -> Answer:
        fallbacks.append(question)
        return Answer(question=question, text="Extractief antwoord.", mode="extractive")

    def retrieve(query: str, k: int) -> list[RetrievedChunk]:
        return [RetrievedChunk(chunk=c, score=1.0) for c in CHUNKS][:k]

    settings = Settings(llm_base_url=server_url, llm_timeout_s=240)
    answerer = GenerativeAnswerer.from_settings(
        retrieve, fallback, settings=settings, documents={"d": DOC}, max_sentences=3
    )
    run = answerer.stream("Wat moet er in de experimentfase geregeld zijn?")
    pieces = list(run)
    answer = run.result()
    print(f"\n{answer.mode}: {answer.text!r}\nnotice: {answer.notice}\ntokens: {answer.tokens}")
    if answer.mode == "generative":
        assert pieces, "the answer was streamed"
        assert not answer.refused, answer.text
        assert answer.citations and answer.tokens["prompt"] > 100 and answer.tokens["completion"] > 0
        assert "estimated" not in answer.tokens  # the server reports usage
        for c in answer.citations:
            assert DOC.text[c.start : c.end] == c.quote
    else:  # the model's answer did not verify: fallback, visibly explained
        assert answer.notice and fallbacks


def test_draft_claims_for_one_passage_with_the_local_model(server_url: str, tmp_path) -> None:
    import yaml

    from assistant.knowledge.draft import draft, write_review
    from assistant.knowledge.model import Claim
    from assistant.llm.chat import make_chat_model

    model = make_chat_model(Settings(llm_base_url=server_url, llm_timeout_s=240), max_tokens=500)
    result = draft(model, CHUNKS[:1], {"d": DOC}, {"omk-2"}, "d")
    path = tmp_path / "d.draft.yaml"
    write_review(result, path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["doc"] == "d" and (data["claims"] or data["rejected"])
    for item in data["claims"]:
        review = item.pop("review")
        assert review == ["ok"] or all(r.startswith("[") for r in review)
        claim = Claim.model_validate(item)
        assert claim.quote in TEXT  # verbatim by construction
