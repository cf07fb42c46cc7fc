"""Benchmark: index build, retrieval and answer latency, app cold start, peak memory.

Prints numbers (no pass/fail): `python bench/bench.py [--quick]`. Latencies are warm
(model loaded, one question asked first). Timings on a shared 2-core machine are noisy;
compare runs on the same machine, and read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def questions(limit: int) -> list[str]:
    lines = (ROOT / "eval" / "questions_dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines][:limit]


def bench_build() -> dict:
    from assistant.service import make_embedder
    from assistant.settings import Settings
    from assistant.store.index import build_index

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(index_dir=Path(tmp))
        embedder = make_embedder(settings)
        embedder.embed_query("opwarmen")  # model load is not part of the build figure
        t0 = time.perf_counter()
        manifest = build_index(settings, embedder)
        secs = time.perf_counter() - t0
    return {
        "index_build_s": round(secs, 1),
        "chunks": manifest["n_chunks"],
        "claims": manifest["n_claims"],
        "chunks_per_s": round(manifest["n_chunks"] / secs, 1),
    }


def bench_queries(n: int) -> dict:
    from assistant.service import Assistant

    assistant = Assistant.create()
    qs = questions(n)
    assistant.ask(qs[0])
    retrieval, answer, gate = [], [], []
    for q in qs:
        t0 = time.perf_counter()
        result = assistant.retriever.search(q, assistant.settings.top_k)
        retrieval.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        assistant.gate.decide(q, "nl", result)  # the gate alone, on a retrieval it is given
        gate.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        assistant.ask(q)
        answer.append((time.perf_counter() - t0) * 1000)
    return {
        "questions": len(qs),
        "retrieval_p50_ms": round(pct(retrieval, 50), 1),
        "retrieval_p95_ms": round(pct(retrieval, 95), 1),
        "gate_p50_ms": round(pct(gate, 50), 2),
        "gate_p95_ms": round(pct(gate, 95), 2),
        "answer_p50_ms": round(pct(answer, 50), 1),
        "answer_p95_ms": round(pct(answer, 95), 1),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_cold_start() -> dict:
    """A fresh process: load model + index and answer one question; and the Streamlit server's health."""
    code = (
        "import time;t=time.perf_counter();from assistant.service import Assistant;"
        "a=Assistant.create();a.ask('Wat is een kassier?');print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    first_answer = float(out.stdout.strip().splitlines()[-1])
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        health = None
        while time.perf_counter() - t0 < 120:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                health = time.perf_counter() - t0
                break
            except OSError:
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(10)
    return {
        "cold_first_answer_s": round(first_answer, 2),
        "streamlit_server_ready_s": round(health, 2) if health else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="skip the index build and the cold start")
    ap.add_argument("-n", type=int, default=40, help="questions for the latency figures")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    results: dict = {"cpus": os.cpu_count()}
    if not args.quick:
        results |= bench_build()
    results |= bench_queries(args.n)
    if not args.quick:
        results |= bench_cold_start()
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    results |= {"peak_rss_mb": round(self_rss), "peak_rss_child_mb": round(child_rss)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
