"""Calibrate the citation-verification thresholds on the labelled pairs.

    python scripts/calibrate_verify.py            # lexical test only
    python scripts/calibrate_verify.py --e5       # also the semantic test (needs the e5 model)

Prints accuracy per threshold and the confusion at the thresholds in assistant/answer/generative/verify.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.generative.verify import (  # noqa: E402
    LEXICAL_THRESHOLD,
    SEMANTIC_THRESHOLD,
    lexical_support,
    numbers_ok,
)
from assistant.text.language import detect_language  # noqa: E402
from assistant.text.sentences import sentence_spans  # noqa: E402

DATA = ROOT / "tests" / "data" / "verify_pairs.json"


def load() -> tuple[dict[str, str], list[dict]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return data["passages"], data["pairs"]


def accuracy(preds: list[bool], rows: list[dict]) -> float:
    return sum(p == bool(r["label"]) for p, r in zip(preds, rows, strict=True)) / len(rows)


def lexical_preds(passages: dict[str, str], rows: list[dict], t: float) -> list[bool]:
    out = []
    for r in rows:
        p = passages[r["passage"]]
        out.append(numbers_ok(r["claim"], p) and lexical_support(r["claim"], p) >= t)
    return out


def report(name: str, preds: list[bool], rows: list[dict]) -> None:
    print(f"{name}: accuracy {accuracy(preds, rows):.3f} on {len(rows)} pairs")
    for lang in ("nl", "en"):
        sub = [(p, r) for p, r in zip(preds, rows, strict=True) if r["lang"] == lang]
        if sub:
            acc = sum(p == bool(r["label"]) for p, r in sub) / len(sub)
            print(f"  {lang}: {acc:.3f} ({len(sub)} pairs)")
    for p, r in zip(preds, rows, strict=True):
        if p != bool(r["label"]):
            print(f"  wrong ({r['kind']}, label {r['label']}): {r['claim'][:90]}")


def semantic_scores(passages: dict[str, str], rows: list[dict]) -> list[float]:
    from assistant.answer.generative.verify import SemanticScorer
    from assistant.embedding.e5 import E5Embedder
    from assistant.settings import get_settings

    scorer = SemanticScorer(E5Embedder(get_settings().model_path, threads=2))
    sents = {k: [s.text for s in sentence_spans(v)] for k, v in passages.items()}
    return [scorer.best(r["claim"], sents[r["passage"]]) for r in rows]


def combined(passages: dict[str, str], rows: list[dict], sem: list[float], t: float) -> list[bool]:
    """The Verifier's rule: lexical; for non-Dutch claims also e5 cosine >= t."""
    lex = lexical_preds(passages, rows, LEXICAL_THRESHOLD)
    out = []
    for lx, s, r in zip(lex, sem, rows, strict=True):
        cross = detect_language(r["claim"]) != "nl"
        out.append(lx or (cross and numbers_ok(r["claim"], passages[r["passage"]]) and s >= t))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--e5", action="store_true", help="also calibrate the semantic test")
    args = ap.parse_args()
    passages, rows = load()
    nl = [r for r in rows if r["lang"] == "nl"]
    for t in [x / 20 for x in range(4, 17)]:
        print(f"lexical t={t:.2f}: Dutch pairs {accuracy(lexical_preds(passages, nl, t), nl):.3f}")
    report(
        f"lexical at {LEXICAL_THRESHOLD}",
        lexical_preds(passages, rows, LEXICAL_THRESHOLD),
        rows,
    )
    if not args.e5:
        return
    sem = semantic_scores(passages, rows)
    en = [i for i, r in enumerate(rows) if r["lang"] == "en"]
    for t in [x / 100 for x in range(80, 94)]:
        preds = combined(passages, rows, sem, t)
        acc_en = sum(preds[i] == bool(rows[i]["label"]) for i in en) / len(en)
        print(f"lexical + e5 t={t:.2f}: all {accuracy(preds, rows):.3f}, English {acc_en:.3f}")
    report(
        f"lexical + e5 at {SEMANTIC_THRESHOLD}",
        combined(passages, rows, sem, SEMANTIC_THRESHOLD),
        rows,
    )


if __name__ == "__main__":
    main()
