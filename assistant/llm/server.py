"""Serve the local GGUF as an OpenAI-compatible HTTP API with xllamacpp.

`xllamacpp.Server(params)` runs llama.cpp's own C++ server (continuous batching,
prompt cache, `/v1/chat/completions`, `/health`) on a background thread inside this
process; `serve()` only configures it and keeps the process alive until a signal.
xllamacpp is an optional dependency (requirements-llm.txt), imported lazily.
"""

from __future__ import annotations

import signal
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.llm.fetch import MODEL_FILE

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8088
DEFAULT_THREADS = 2
DEFAULT_CTX = 4096


@dataclass(frozen=True)
class ServerConfig:
    model_path: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    threads: int = DEFAULT_THREADS
    n_ctx: int = DEFAULT_CTX
    alias: str = "qwen2.5-coder-1.5b-instruct"
    verbose: bool = False


def default_model_path(models_dir: Path) -> Path:
    return models_dir / MODEL_FILE


def xllamacpp_available() -> bool:
    try:
        import xllamacpp  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return False
    return True


def build_params(cfg: ServerConfig) -> Any:
    """The xllamacpp.CommonParams for `cfg` (CPU only, one slot, greedy-ish defaults)."""
    import xllamacpp as xlc  # type: ignore[import-untyped]

    p = xlc.CommonParams()
    p.model.path = str(cfg.model_path)
    p.hostnames = [cfg.host]
    p.port = cfg.port
    p.n_ctx = cfg.n_ctx
    p.n_parallel = 1  # one slot: the whole context belongs to the one request at a time
    p.n_batch = 512
    p.n_ubatch = 512
    p.cpuparams.n_threads = cfg.threads
    p.cpuparams_batch.n_threads = cfg.threads
    p.n_threads_http = 2
    p.n_gpu_layers = 0
    p.model_alias = {cfg.alias}
    p.warmup = False
    p.verbosity = 3 if cfg.verbose else 0
    return p


def start_server(cfg: ServerConfig) -> Any:
    """Load the model and start serving; returns the xllamacpp.Server (keep a reference)."""
    if not cfg.model_path.is_file():
        raise FileNotFoundError(f"{cfg.model_path} not found; run `python -m assistant.llm fetch` first")
    import xllamacpp as xlc  # type: ignore[import-untyped]

    return xlc.Server(build_params(cfg))


def wait_healthy(base: str, timeout_s: float = 120.0) -> bool:
    """Poll `base`/health (base without /v1) until it answers 200 or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


def serve(cfg: ServerConfig) -> None:
    """Serve until SIGINT/SIGTERM."""
    server = start_server(cfg)
    base = str(server.listening_address).rstrip("/")
    if not wait_healthy(base):
        raise RuntimeError(f"server at {base} did not become healthy")
    print(f"serving {cfg.model_path.name} at {base}/v1 ({cfg.threads} threads, ctx {cfg.n_ctx})")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        del server
