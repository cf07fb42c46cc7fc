"""Load: N concurrent simulated users asking questions, embedded Chroma vs a Chroma server.

Users are threads sharing one Assistant, as Streamlit sessions share the cached resource.
Bounded: each user asks `--per-user` questions, then stops. Only localhost is contacted.
`python bench/load.py --users 8 --per-user 10`
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _questions() -> list[str]:
    lines = (ROOT / "eval" / "questions_dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines]


def run_load(assistant, users: int, per_user: int) -> dict:  # noqa: ANN001
    qs = _questions()
    latencies: list[float] = []
    errors: list[str] = []

    def user(u: int) -> None:
        for i in range(per_user):
            t0 = time.perf_counter()
            try:
                assistant.ask(qs[(u * per_user + i) % len(qs)])
                latencies.append((time.perf_counter() - t0) * 1000)
            except Exception as exc:  # counted, not raised: the figure is the error rate
                errors.append(repr(exc))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    wall = time.perf_counter() - t0
    s = sorted(latencies) or [0.0]
    return {
        "users": users,
        "requests": users * per_user,
        "errors": len(errors),
        "p50_ms": round(s[len(s) // 2], 1),
        "p95_ms": round(s[int(0.95 * (len(s) - 1))], 1),
        "throughput_qps": round(len(latencies) / wall, 1),
    }


def main() -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.store.index import build_index, open_index
    from tests.chroma_server import chroma_server

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--users", type=int, default=8)
    ap.add_argument("--per-user", type=int, default=10)
    args = ap.parse_args()
    results = {}
    embedded = Assistant.create()
    embedded.ask("opwarmen")
    results["embedded"] = run_load(embedded, args.users, args.per_user)
    with tempfile.TemporaryDirectory() as tmp, chroma_server(Path(tmp) / "chroma") as port:
        settings = Settings(
            index_dir=Path(tmp) / "index", vector_store="server", chroma_host="127.0.0.1", chroma_port=port
        )
        build_index(settings, embedded.embedder)
        server = Assistant(settings, embedded.embedder, open_index(settings))
        server.ask("opwarmen")
        results["server"] = run_load(server, args.users, args.per_user)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
