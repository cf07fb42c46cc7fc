"""The generative answerer: a local LLM writes from the prepared context, every sentence verified.

The model runtime (fetch, serve) and the chat-model client live in `assistant.llm`.
"""
