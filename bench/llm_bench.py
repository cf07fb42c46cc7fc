"""Benchmark the local LLM: prompt and generation tokens/s, time to first token, p50/p95.

    python -m assistant.llm serve &
    python bench/llm_bench.py -n 5

Two measurements per question over the same retrieved passages:
  raw   one streamed /v1/chat/completions request; llama.cpp's own timings give prompt and
        generation tokens/s, the first content chunk gives time to first token (TTFT);
  e2e   GenerativeAnswerer.answer(): prompt, generation, verification and any fallback.
Retrieval uses assistant.service.Assistant when it exists, else a small lexical retriever
over the chunked corpus, so the bench runs on its own.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from assistant.answer.generative.pipeline import GenerativeAnswerer  # noqa: E402
from assistant.settings import get_settings  # noqa: E402
from assistant.text.tokens import content_stems  # noqa: E402
from assistant.types import Answer, RetrievedChunk, Turn  # noqa: E402

QUESTIONS = [
    "Wat hoort er in de experimentfase volgens het Ontwikkelingsmodel Ketenzorg geregeld te zijn?",
    "Waarom is het zo moeilijk om preventieprojecten structureel bekostigd te krijgen?",
    "Wat zijn de acht componenten van het CAHN-raamwerk?",
    "Kunnen we uit monitoringsdata concluderen dat onze netwerkactiviteiten betere uitkomsten veroorzaken?",
    "Welke rol speelt de huisarts bij het individueel zorgplan volgens InEen?",
    "Which alternative payment models does the Nivel synthesis consider most suitable?",
]

Retrieve = Callable[[str, int], list[RetrievedChunk]]


def lexical_retriever() -> tuple[Retrieve, dict[str, Any]]:
    """Stand-alone retriever: chunks of the cleaned corpus ranked by shared content stems."""
    from assistant.corpus.chunking import chunk_document
    from assistant.corpus.loaders import load_corpus

    docs = load_corpus(get_settings().corpus_dir).documents
    chunks = [c for d in docs.values() for c in chunk_document(d)]
    stems = [content_stems(f"{c.section} {c.text}") for c in chunks]
    df = Counter(s for st in stems for s in st)
    idf = {s: math.log(len(chunks) / n) for s, n in df.items()}

    def retrieve(query: str, k: int) -> list[RetrievedChunk]:
        q = content_stems(query)
        scores = [sum(idf.get(s, 0.0) for s in q & st) for st in stems]
        top = sorted(range(len(chunks)), key=lambda i: -scores[i])[:k]
        return [RetrievedChunk(chunk=chunks[i], score=scores[i]) for i in top]

    return retrieve, docs


def project_retriever() -> tuple[Retrieve, dict[str, Any], Callable[..., Answer]] | None:
    """The project's hybrid retriever and extractive answerer, when the index can be built."""
    try:
        from assistant.service import Assistant
    except ImportError:
        return None
    a = Assistant.create()
    return (lambda q, k: a.retrieve(q, k)), a.documents, a.ask


def raw_timings(base_url: str, messages: list[dict[str, str]], max_tokens: int) -> dict:
    """One streamed request; llama.cpp reports timings in its last chunk."""
    body = {
        "messages": messages,
        "max_tokens": max_tokens,
        "temperature": 0,
        "stream": True,
        "cache_prompt": False,  # llama.cpp: read the whole prompt, as for a new question
    }
    t0 = time.perf_counter()
    ttft: float | None = None
    timings: dict[str, Any] = {}
    with httpx.stream("POST", f"{base_url}/chat/completions", json=body, timeout=300) as r:
        for line in r.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            data = json.loads(line[6:])
            delta = (data.get("choices") or [{}])[0].get("delta", {})
            if ttft is None and delta.get("content"):
                ttft = time.perf_counter() - t0
            timings = data.get("timings", timings)
    return {"ttft": ttft or 0.0, "total": time.perf_counter() - t0, **timings}


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def build(args: argparse.Namespace) -> tuple[Retrieve, GenerativeAnswerer]:
    found = None if args.lexical else project_retriever()
    if found is None:
        retrieve, docs = lexical_retriever()

        def fallback(q: str, h: Any) -> Answer:
            return Answer(question=q, text="(extractive fallback)", mode="extractive")

        print("retrieval: built-in lexical retriever (assistant.service not available)")
    else:
        retrieve, docs, ask = found

        def fallback(q: str, h: Any) -> Answer:
            return ask(q, history=list(h), mode="extractive")

        print("retrieval: assistant.service.Assistant")
    answerer = GenerativeAnswerer.from_settings(retrieve, fallback, documents=docs, k=args.k)
    if not args.cache:  # every question reads its whole prompt, as a new question would
        setattr(answerer.chat_model, "extra_body", {"cache_prompt": False})  # noqa: B010
    return retrieve, answerer


def report_question(q: str, raw: dict, answer: Answer, ttft: float) -> None:
    status = "fallback" if answer.mode != "generative" else ("refused" if answer.refused else "verified")
    print(
        f"- {q[:60]!r}\n    raw: prompt {raw.get('prompt_n', 0)} tok @ {raw.get('prompt_per_second', 0):.1f}/s,"
        f" gen {raw.get('predicted_n', 0)} tok @ {raw.get('predicted_per_second', 0):.1f}/s,"
        f" TTFT {raw['ttft']:.1f} s, total {raw['total']:.1f} s\n"
        f"    e2e: TTFT {ttft:.1f} s, answer {answer.latency_ms / 1000:.1f} s, {status},"
        f" {len(answer.citations)} citations, tokens {answer.tokens}, notice {answer.notice!r}\n"
        f"    {answer.text[:300]!r}",
        flush=True,
    )


def run(args: argparse.Namespace) -> None:
    base_url = get_settings().llm_base_url.rstrip("/")
    retrieve, answerer = build(args)
    raws: list[dict] = []
    e2e: list[tuple[Answer, float]] = []
    history = [Turn(question="Wat is het OMK?", answer="Een ontwikkelingsmodel.")] if args.history else []
    roles = {"system": "system", "human": "user"}
    for q in QUESTIONS[: args.n]:
        t0 = time.perf_counter()
        stream = answerer.stream(q, history)
        ttft = next((time.perf_counter() - t0 for piece in stream if piece), 0.0)
        answer = stream.result()
        e2e.append((answer, ttft))
        # the same prompt once more, straight to the server, for llama.cpp's own timings
        passages = [answerer._clipped(r.chunk) for r in retrieve(q, args.k)]
        messages = answerer._messages(q, passages, answer.language, None)
        plain = [{"role": roles[m.type], "content": str(m.content)} for m in messages]
        raws.append(raw_timings(base_url, plain, args.max_tokens))
        report_question(q, raws[-1], answer, ttft)
    summarize(raws, e2e)


def summarize(raws: list[dict], e2e: list[tuple[Answer, float]]) -> None:
    prompt_tps = [r["prompt_per_second"] for r in raws if r.get("prompt_per_second")]
    gen_tps = [r["predicted_per_second"] for r in raws if r.get("predicted_per_second")]
    ttft = [r["ttft"] for r in raws]
    e2e_ttft = [t for _, t in e2e if t]
    lat = [a.latency_ms / 1000 for a, _ in e2e]
    print("\nsummary over", len(raws), "questions")
    print(f"  prompt tokens/s     mean {statistics.mean(prompt_tps):6.1f}")
    print(f"  generation tokens/s mean {statistics.mean(gen_tps):6.1f}")
    print(f"  TTFT raw (no cache) p50 {pct(ttft, 0.5):5.1f} s  p95 {pct(ttft, 0.95):5.1f} s")
    if e2e_ttft:
        print(f"  TTFT e2e            p50 {pct(e2e_ttft, 0.5):5.1f} s  p95 {pct(e2e_ttft, 0.95):5.1f} s")
    print(f"  answer latency e2e  p50 {pct(lat, 0.5):5.1f} s  p95 {pct(lat, 0.95):5.1f} s")
    verified = sum(a.mode == "generative" and not a.refused for a, _ in e2e)
    refused = sum(a.mode == "generative" and a.refused for a, _ in e2e)
    print(f"  verified {verified}, refused {refused}, fallback {len(e2e) - verified - refused}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=5, help=f"questions (max {len(QUESTIONS)})")
    ap.add_argument("-k", type=int, default=4, help="passages per prompt")
    ap.add_argument("--max-tokens", type=int, default=320, help="raw requests (the pipeline uses 320)")
    ap.add_argument("--cache", action="store_true", help="let llama.cpp reuse cached prompt prefixes")
    ap.add_argument("--lexical", action="store_true", help="built-in lexical retriever, no index")
    ap.add_argument("--history", action="store_true", help="add a turn, so condensation runs")
    run(ap.parse_args())


if __name__ == "__main__":
    main()
