"""One typed settings object; every field can be overridden by an ASSISTANT_* env var."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    models_dir: Path = ROOT / "models"
    knowledge_dir: Path = ROOT / "assistant" / "knowledge" / "claims"
    # What users create (feedback, assessments) lives apart from the rebuildable index.
    data_dir: Path = ROOT / "data"

    # embedding
    embedder: Literal["e5", "fake"] = "e5"
    embedding_batch_size: int = 16
    # bfloat16 halves embedding time on CPUs with native bf16 (AVX512-BF16/AMX) at cosine
    # >= 0.9999 to float32 (bench/bench.py); "auto" uses it only where the CPU has it.
    embedding_dtype: Literal["auto", "float32", "bfloat16"] = "auto"

    # chunking (e5-small reads 512 tokens; 1,500 characters of Dutch measured at most 511 with title and section)
    chunk_chars: int = 1500
    chunk_overlap_chars: int = 200

    # retrieval
    top_k: int = 8
    candidates: int = 40  # per ranker, before fusion
    rrf_k: int = 60
    # Claims of the knowledge base as extra keys of their passage (document expansion) and as
    # retrievable units; off = passages only (for measuring what the claims add).
    claim_retrieval: bool = True

    # Complete builds kept, newest first (the new one counts): a running app may still read the
    # previous one, and it is the fallback when the newest turns out damaged.
    index_keep_builds: int = 2

    # vector store
    vector_store: Literal["embedded", "server"] = "embedded"
    chroma_host: str = "localhost"
    chroma_port: int = 8000
    chroma_token: str | None = None

    # answering
    mode: Literal["extractive", "generative"] = "extractive"
    max_question_chars: int = 2000
    llm_backend: Literal["openai", "ollama"] = "openai"
    llm_base_url: str = "http://127.0.0.1:8088/v1"
    llm_api_key: str = Field(default="not-needed")
    llm_model: str = "qwen2.5-coder-1.5b-instruct"
    llm_timeout_s: float = 90.0
    # The generative prompt's context: short claim quotes (fast to read on a CPU) or whole passages.
    llm_context: Literal["claims", "passages"] = "claims"
    llm_claims: int = 6

    @property
    def model_path(self) -> Path:
        return self.models_dir / "multilingual-e5-small"

    @property
    def app_db(self) -> Path:
        return self.data_dir / "app.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
