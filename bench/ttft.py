"""Time to first token of generative answers through the service, claims vs passages as context.

    python -m assistant.llm serve &          # the bundled model on 127.0.0.1:8088
    python bench/ttft.py -n 6

Each question is answered twice per context (the second run shows the prompt cache of the
fixed system prompt at work: llama.cpp keeps the KV cache of the shared prefix).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Literal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402

QUESTIONS = [
    "Wat hoort er in de experimentfase volgens het Ontwikkelingsmodel Ketenzorg geregeld te zijn?",
    "Waarom is het zo moeilijk om preventieprojecten structureel bekostigd te krijgen?",
    "Which alternative payment models does the Nivel synthesis consider most suitable?",
    "Welke rol speelt de huisarts bij het individueel zorgplan volgens InEen?",
    "What are the pros and cons of a network administrative organisation?",
    "Hoe kunnen gemeente en zorgverzekeraar samen preventie bekostigen?",
]


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


Context = Literal["claims", "passages"]


def measure(context: Context, questions: list[str]) -> None:
    assistant = Assistant.create(Settings(llm_context=context))
    assistant.ask(questions[0], mode="generative")  # warm: model loaded, system prompt cached
    ttfts, totals, prompts, modes = [], [], [], []
    for q in questions:
        t0 = time.perf_counter()
        stream = assistant.stream(q, mode="generative")
        first = next((time.perf_counter() - t0 for piece in stream if piece), None)
        answer = stream.result()
        totals.append(time.perf_counter() - t0)
        if first is not None:
            ttfts.append(first)
        prompts.append(answer.tokens.get("prompt", 0))
        modes.append(answer.mode)
        print(
            f"  {context:8} TTFT {first or 0:5.1f} s  total {totals[-1]:5.1f} s  prompt {prompts[-1]} tok  "
            f"{answer.mode}{' (refused)' if answer.refused else ''}  {q[:50]!r}",
            flush=True,
        )
    print(
        f"{context}: TTFT p50 {pct(ttfts, 0.5):.1f} s p95 {pct(ttfts, 0.95):.1f} s, answer p50 "
        f"{pct(totals, 0.5):.1f} s, prompt tokens mean {statistics.mean(prompts):.0f}, "
        f"from the model {modes.count('generative')}/{len(modes)}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=6)
    ap.add_argument("--context", choices=["claims", "passages", "both"], default="both")
    args = ap.parse_args()
    contexts: list[Context] = ["claims", "passages"] if args.context == "both" else [args.context]
    for context in contexts:
        measure(context, QUESTIONS[: args.n])


if __name__ == "__main__":
    main()
