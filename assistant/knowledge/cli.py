"""`python -m assistant knowledge {chunks,check,draft}`: inspect, verify and extend the knowledge base."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from assistant.settings import get_settings


def _corpus() -> tuple[dict[str, Any], list[Any]]:
    from assistant.corpus.chunking import chunk_document
    from assistant.corpus.loaders import load_corpus

    s = get_settings()
    docs = load_corpus(s.corpus_dir).documents
    chunks = [c for d in docs.values() for c in chunk_document(d, s.chunk_chars, s.chunk_overlap_chars)]
    return docs, chunks


def _phase_ids() -> set[str]:
    from assistant.guidance.phases import all_phase_ids

    return set(all_phase_ids())


def cmd_chunks(args: argparse.Namespace) -> int:
    from assistant.knowledge.checks import uncovered_chunks
    from assistant.knowledge.store import ClaimStore

    docs, chunks = _corpus()
    if args.doc not in docs:
        print(f"fout: onbekend document {args.doc!r}; kies uit {', '.join(sorted(docs))}", file=sys.stderr)
        return 2
    chunks = [c for c in chunks if c.doc_id == args.doc]
    if args.uncovered:
        chunks = uncovered_chunks(ClaimStore.load(docs), chunks)
    for c in chunks:
        print(f"=== {c.id} [{c.start}-{c.end}] {c.section}\n{c.text}\n")
    print(f"{len(chunks)} chunks", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from assistant.knowledge.checks import check_all, checking_embedder
    from assistant.knowledge.store import ClaimStore

    docs, chunks = _corpus()
    embedder = None if args.no_semantic else checking_embedder(get_settings())
    problems = check_all(docs, chunks, _phase_ids(), embedder, args.doc)
    for p in problems:
        print(p)
    store = ClaimStore.load(docs)
    n = sum(len(f.claims) for f in store.files if args.doc in (None, f.doc))
    print(f"{n} claims, {len(problems)} problemen" + ("" if embedder else " (Engelse tekst niet semantisch getoetst)"))
    return 1 if problems else 0


def cmd_draft(args: argparse.Namespace) -> int:
    from assistant.knowledge.checks import uncovered_chunks
    from assistant.knowledge.draft import draft, write_review
    from assistant.knowledge.model import HERE
    from assistant.knowledge.store import ClaimStore
    from assistant.llm.chat import make_chat_model

    docs, chunks = _corpus()
    if args.doc not in docs:
        print(f"fout: onbekend document {args.doc!r}; kies uit {', '.join(sorted(docs))}", file=sys.stderr)
        return 2
    store = ClaimStore.load(docs, get_settings().knowledge_dir)
    todo = [c for c in chunks if c.doc_id == args.doc]
    if args.doc in store.covered_docs():
        todo = uncovered_chunks(store, todo)
    todo = todo[: args.max_passages]
    if not todo:
        print(f"{args.doc}: elke passage heeft al een claim")
        return 0
    prefix = re.sub(r"[^a-z0-9]", "", args.doc.split("-")[0].lower()) or "doc"
    result = draft(make_chat_model(get_settings(), max_tokens=700), todo, docs, _phase_ids(), prefix)
    path = args.out or HERE / "review" / f"{args.doc}.draft.yaml"
    write_review(result, path)
    ok = len({c.id for c in result.claims} - {p.claim for p in result.problems})
    print(
        f"{len(result.claims)} claims voorgesteld voor {len(todo)} passages ({ok} zonder problemen, "
        f"{len(result.rejected)} onbruikbaar) -> {path}"
    )
    return 0


def build_parser(sub: Any) -> None:
    k = sub.add_parser("knowledge", help="kennisbank: claims bekijken, toetsen en aanvullen")
    ks = k.add_subparsers(dest="knowledge_command", required=True)
    ch = ks.add_parser("chunks", help="de chunks van een document (om claims bij te schrijven)")
    ch.add_argument("--doc", required=True)
    ch.add_argument("--uncovered", action="store_true", help="alleen chunks zonder claim")
    ch.set_defaults(func=cmd_chunks)
    ck = ks.add_parser("check", help="alle controles op de claims")
    ck.add_argument("--doc")
    ck.add_argument("--no-semantic", action="store_true", help="Engelse tekst niet met e5 toetsen (sneller)")
    ck.set_defaults(func=cmd_check)
    dr = ks.add_parser("draft", help="laat het taalmodel claims voorstellen voor passages zonder claim")
    dr.add_argument("--doc", required=True)
    dr.add_argument("--max-passages", type=int, default=20)
    dr.add_argument("--out", type=Path, help="reviewbestand (standaard assistant/knowledge/review/DOC.draft.yaml)")
    dr.set_defaults(func=cmd_draft)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m assistant.knowledge")
    build_parser(p.add_subparsers(dest="command", required=True))
    args = p.parse_args(["knowledge", *(argv if argv is not None else sys.argv[1:])])
    return int(args.func(args))
