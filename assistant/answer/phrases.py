"""Fixed phrases of the extractive answer, per language. Quotes stay Dutch."""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "nl": {
        "intro": "Wat de bronnen hierover zeggen:",
        "core": "Kern",
        "do": "Wat u kunt doen",
        "watch": "Waar u op moet letten",
        "phase_intro": "Voor uw fase ({phase}) volgens {model}:",
        "now": "Nu regelen",
        "tools": "Hulpmiddelen",
        "next": "Voorbereiden op de volgende fase",
        "refusal": "De documenten in deze kennisbank geven geen antwoord op deze vraag.",
        "refusal_terms": "Ze noemen nergens: {terms}.",
        "refusal_weak": "De gevonden passages gaan niet over uw vraag.",
        "refusal_amount": "U vraagt naar een bedrag, maar de passages over dit onderwerp noemen geen bedragen.",
        "refusal_hint": "Probeer de vraag anders te formuleren, of kies een onderwerp uit de lijst met documenten.",
        "ask_phase": "Tip: kies in de zijbalk uw fase (of doe de zelftest 'Waar staan we?') "
                     "voor een antwoord per fase.",
        "sources": "Bronnen",
        "trimmed": "Uw vraag was {n} tekens; alleen de eerste {max} zijn gebruikt.",
    },
    "en": {
        "intro": "What the sources say (quoted in Dutch, as written in the documents):",
        "core": "Key points",
        "do": "What you can do",
        "watch": "What to watch out for",
        "phase_intro": "For your phase ({phase}) according to {model}:",
        "now": "Arrange now",
        "tools": "Tools",
        "next": "Prepare for the next phase",
        "refusal": "The documents in this knowledge base do not answer this question.",
        "refusal_terms": "They never mention: {terms}.",
        "refusal_weak": "The passages found are not about your question.",
        "refusal_amount": "You ask for an amount of money, but the passages on this topic give no amounts.",
        "refusal_hint": "Try rephrasing the question, or pick a topic from the list of documents.",
        "ask_phase": "Tip: choose your phase in the sidebar (or take the 'Waar staan we?' self-test) "
                     "for an answer per phase.",
        "sources": "Sources",
        "trimmed": "Your question had {n} characters; only the first {max} were used.",
    },
}


def phrase(language: str, key: str, **kwargs: object) -> str:
    return PHRASES.get(language, PHRASES["nl"])[key].format(**kwargs)
