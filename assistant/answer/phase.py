"""How an answer uses the user's phase: which phase a question is about, what to retrieve
with, which documents to prefer, and the phase block (now / watch / tools / next).

The phase knowledge itself (models, phases, curated guidance) lives in `assistant.guidance`.
"""

from __future__ import annotations

from assistant.answer.phrases import phrase
from assistant.guidance.answer import detect_phase_in_text, is_phase_question, phase_answer
from assistant.guidance.phases import phase_label, phase_passages
from assistant.types import Answer, Profile


def phase_for(question: str, profile: Profile | None) -> str | None:
    """The phase a phase question is about: named in the question, else the user's profile."""
    if not is_phase_question(question):
        return None
    return detect_phase_in_text(question) or (profile.phase if profile else None)


def phase_context(question: str, query: str, profile: Profile | None) -> tuple[str, Profile | None, str | None]:
    """(retrieval query, profile, phase id) for a question; unchanged when it is no phase question.

    A phase question retrieves on the phase's own name too, and prefers the model that defines it.
    """
    phase_id = phase_for(question, profile)
    if not phase_id:
        return query, profile, None
    profile = Profile(role=profile.role if profile else None, phase=phase_id)
    return f"{query} {phase_label(phase_id)}", profile, phase_id


def preferred_docs(profile: Profile | None) -> set[str] | None:
    """The documents that define the profile's phase (retrieval prefers them), or None."""
    if not profile or not profile.phase:
        return None
    return {doc for doc, _, _ in phase_passages(profile.phase)}


def add_phase_block(answer: Answer, profile: Profile | None, phase_id: str | None) -> None:
    if not is_phase_question(answer.question):
        return
    if not phase_id:
        answer.text += "\n\n_" + phrase(answer.language, "ask_phase") + "_"
        return
    block = phase_answer(phase_id, answer.language, first_n=len(answer.citations) + 1)
    answer.text = (answer.text + "\n\n" + block.markdown).strip()
    answer.citations += block.citations
    answer.sections |= {f"phase_{k}": v for k, v in block.sections.items()}
