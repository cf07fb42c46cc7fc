"""The LangChain chat model named by the settings: an OpenAI-compatible server or Ollama.

Both client packages are optional (requirements-llm.txt) and imported lazily.
"""

from __future__ import annotations

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.settings import Settings


class BackendUnavailable(RuntimeError):
    """The client package for the configured backend is not installed."""


def make_chat_model(settings: Settings, *, max_tokens: int = 320) -> BaseChatModel:
    """A deterministic (temperature 0), non-retrying client with the settings' timeout.

    320 tokens hold the 6 short sentences the prompt asks for (~3.3 characters of Dutch
    per token) and keep generation under ~25 s at 13-15 tokens/s on 2 cores.
    """
    if settings.llm_backend == "ollama":
        return _ollama(settings, max_tokens)
    return _openai(settings, max_tokens)


def _openai(settings: Settings, max_tokens: int) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as e:  # pragma: no cover - depends on the install
        raise BackendUnavailable("pip install -r requirements-llm.txt (langchain-openai)") from e
    from pydantic import SecretStr

    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=SecretStr(settings.llm_api_key),
        temperature=0.0,
        max_completion_tokens=max_tokens,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        stream_usage=True,
        # llama.cpp reuses the KV cache of the shared prefix (the fixed system prompt).
        extra_body={"cache_prompt": True},
    )


def _ollama(settings: Settings, max_tokens: int) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as e:  # pragma: no cover - depends on the install
        raise BackendUnavailable("pip install -r requirements-llm.txt (langchain-ollama)") from e
    base = settings.llm_base_url.rstrip("/")
    base = base.removesuffix("/v1")  # Ollama's native API lives at the root
    return ChatOllama(
        model=settings.llm_model,
        base_url=base,
        temperature=0.0,
        num_predict=max_tokens,
        client_kwargs={"timeout": settings.llm_timeout_s},
    )
