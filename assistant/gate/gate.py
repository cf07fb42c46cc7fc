"""The answerability gate: intent, evidence type, term coverage and match scores, combined
by a fitted logistic model (gate_model.json) into P(answerable).

A question may be partly answerable: the domain part is covered, but the specific thing it
asks for (an amount, a phone number) is nowhere in the passages. Then the gate answers and
names the missing part.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

from assistant.answer.scope import ScopeChecker
from assistant.gate.intents import EVIDENCE, INTENTS, detect_intents
from assistant.gate.model import EXEMPLARS_PATH, MODEL_PATH, Exemplars, LogisticModel
from assistant.retrieval.hybrid import RetrievalResult
from assistant.text.lexicon import GLOSSARY
from assistant.text.tokens import content_stems
from assistant.types import Language

log = logging.getLogger(__name__)
FEATURES = [
    *(f"intent_{i}" for i in INTENTS),
    "intent_unsupported",
    "unknown_terms",
    "top_dense",
    "top_claim_dense",
    "lexical",
    "term_coverage",
    "english",
    "length",
    "neighbours",
]
PASSAGES = 5


@dataclass
class GateDecision:
    answerable: bool
    probability: float
    intents: set[str] = field(default_factory=set)
    unsupported: list[str] = field(default_factory=list)  # intents whose kind of answer no passage holds
    unknown_terms: list[str] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        return self.answerable and bool(self.unsupported)


class AnswerabilityGate:
    def __init__(
        self,
        scope: ScopeChecker,
        model: LogisticModel | None = None,
        min_dense: float = 0.80,
        exemplars: Exemplars | None = None,
    ) -> None:
        self.scope = scope
        self.model = model  # None: rules only (no fitted model for this embedder)
        self.exemplars = exemplars
        self.min_dense = min_dense
        self._stems: dict[str, frozenset[str]] = {}

    @classmethod
    def load(cls, scope: ScopeChecker, embedder: str, min_dense: float) -> AnswerabilityGate:
        """The fitted model, when it was fitted on this embedder's scores; else the rules."""
        try:
            model = LogisticModel.load(MODEL_PATH)
            exemplars = Exemplars.load(EXEMPLARS_PATH)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.error("Gate-model %s niet geladen (%s): de regels beslissen", MODEL_PATH.name, exc)
            return cls(scope, None, min_dense)
        if model.report.get("embedder") != embedder:
            log.info("Gate-model gefit op %s, niet op %s: de regels beslissen", model.report.get("embedder"), embedder)
            return cls(scope, None, min_dense)
        return cls(scope, model, min_dense, exemplars)

    def signals(
        self, question: str, language: Language, retrieval: RetrievalResult
    ) -> tuple[dict[str, float], set[str], list[str], list[str]]:
        intents = detect_intents(question)
        passages = " ".join(rc.chunk.text for rc in retrieval.chunks[:PASSAGES])
        unsupported = [i for i in sorted(intents) if i in EVIDENCE and not EVIDENCE[i].search(passages)]
        unknown = list(dict.fromkeys(self.scope.unknown_terms(question, language)))
        x = {f"intent_{i}": float(i in intents) for i in INTENTS}
        x |= {
            "intent_unsupported": float(bool(unsupported)),
            "unknown_terms": min(len(unknown), 3) / 3,
            "top_dense": retrieval.top_dense,
            "top_claim_dense": retrieval.top_claim_dense,
            "lexical": math.log1p(retrieval.top_lexical),
            "term_coverage": self._coverage(question, retrieval),
            "english": float(language == "en"),
            "length": math.log1p(len(question.split())),
            "neighbours": self.exemplars.margin(retrieval.query_vector)
            if self.exemplars is not None and retrieval.query_vector is not None
            else 0.0,
        }
        return x, intents, unsupported, unknown

    def decide(self, question: str, language: Language, retrieval: RetrievalResult) -> GateDecision:
        x, intents, unsupported, unknown = self.signals(question, language, retrieval)
        if self.model is None:
            categorical = intents - set(EVIDENCE)  # clinical, legal, news, creative, off-task, meta
            ok = (
                not unknown
                and not unsupported
                and not categorical
                and bool(retrieval.chunks)
                and retrieval.top_dense >= self.min_dense
            )
            return GateDecision(ok, float(ok), intents, unsupported, unknown, x)
        p = self.model.probability(x)
        return GateDecision(p >= self.model.threshold, round(p, 4), intents, unsupported, unknown, x)

    def _coverage(self, question: str, retrieval: RetrievalResult) -> float:
        """Share of the question's content stems (with Dutch glossary terms) found in the evidence."""
        extra = " ".join(GLOSSARY.get(w, "") for w in question.lower().split())
        q = content_stems(f"{question} {extra}")
        if not q:
            return 0.0
        found: set[str] = set()
        for rc in retrieval.chunks[:PASSAGES]:
            found |= self._chunk_stems(rc.chunk.id, rc.chunk.text)
        for c in retrieval.claims[:10]:
            found |= self._chunk_stems(c.claim.id, f"{c.claim.nl} {c.claim.en}")
        return len(q & found) / len(q)

    def _chunk_stems(self, key: str, text: str) -> frozenset[str]:
        if key not in self._stems:
            self._stems[key] = frozenset(content_stems(text))
        return self._stems[key]
