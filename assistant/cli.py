"""Command line: prepare the model, build the index, ask questions."""

from __future__ import annotations

import argparse
import logging
import sys

from assistant.knowledge.model import known_roles
from assistant.settings import get_settings


def _progress_bar():  # noqa: ANN202
    from tqdm import tqdm

    bar = tqdm(total=100, unit="%", desc="Index", leave=True)

    def update(message: str, fraction: float) -> None:
        bar.set_description(message[:40])
        bar.n = int(fraction * 100)
        bar.refresh()

    return bar, update


def cmd_prepare(args: argparse.Namespace) -> int:
    from assistant.embedding.prepare import prepare_model

    path = prepare_model(get_settings().model_path, force=args.force)
    print(f"Model klaar: {path}")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from assistant.embedding.prepare import prepare_model
    from assistant.service import make_embedder
    from assistant.store.builds import mark_damaged
    from assistant.store.index import IndexDamaged, IndexMissing, build_index, expected_manifest, open_index

    settings = get_settings()
    if settings.embedder == "e5":
        prepare_model(settings.model_path)
    embedder = make_embedder(settings)
    if args.if_stale:
        try:
            kb = open_index(settings)
            if not kb.is_stale(expected_manifest(settings, embedder)):
                print(f"Index is actueel: {kb.manifest['n_chunks']} chunks, gebouwd {kb.manifest.get('created')}")
                return 0
        except IndexDamaged as exc:  # marked, so the build below does not take it for current
            print(f"waarschuwing: {exc}", file=sys.stderr)
            mark_damaged(exc.folder, exc.reason)
        except IndexMissing:
            pass
    bar, update = _progress_bar()
    try:
        manifest = build_index(settings, embedder, update, if_stale=args.if_stale)
    finally:
        bar.close()  # before any error message, so it does not land inside the bar's line
    print(f"{manifest['n_chunks']} chunks uit {manifest['n_documents']} documenten in {manifest['build_seconds']} s")
    for w in manifest.get("warnings", []):
        print(f"waarschuwing: {w}", file=sys.stderr)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.service import Assistant
    from assistant.types import Profile

    assistant = Assistant.create()
    profile = Profile(role=args.role, phase=args.phase) if (args.role or args.phase) else None
    answer = assistant.ask(args.question, profile=profile, mode=args.mode)
    if args.json:
        print(answer.model_dump_json(indent=2))
        return 0
    print(answer.text)
    if answer.notice:
        print(f"\n[{answer.notice}]")
    for c in answer.citations:
        page = f", p. {c.page}" if c.page else ""
        print(f"\n[{c.n}] {c.title} — {c.section}{page}\n    “{' '.join(c.quote.split())}”")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant", description="JZOJP-kennisassistent")
    sub = p.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="maak het embeddingmodel uit de meegeleverde pakketten")
    prep.add_argument("--force", action="store_true")
    prep.set_defaults(func=cmd_prepare)
    ix = sub.add_parser("index", help="bouw (of herbouw) de index")
    ix.add_argument("--if-stale", action="store_true", help="alleen bouwen als de index ontbreekt of verouderd is")
    ix.set_defaults(func=cmd_index)
    ask = sub.add_parser("ask", help="stel een vraag")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="antwoord, citaten en opgehaalde passages als JSON")
    ask.add_argument("--phase", help="fase-id, bv. omk-2 (zie assistant/guidance/phases.yaml)")
    ask.add_argument("--role", choices=known_roles(), metavar="ROL", help=f"rol: {', '.join(known_roles())}")
    ask.add_argument("--mode", choices=["extractive", "generative"])
    ask.set_defaults(func=cmd_ask)
    from assistant.knowledge.cli import build_parser as knowledge_parser

    knowledge_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from assistant.types import InputError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (InputError, ValueError, RuntimeError, FileNotFoundError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
