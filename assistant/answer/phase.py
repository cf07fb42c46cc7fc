"""Add the phase block (now / watch / tools / next) to an answer when the question is about phases."""

from __future__ import annotations

from assistant.answer.phrases import phrase
from assistant.guidance.answer import detect_phase_in_text, is_phase_question, phase_answer
from assistant.types import Answer, Profile


def phase_for(question: str, profile: Profile | None) -> str | None:
    """The phase a phase question is about: named in the question, else the user's profile."""
    if not is_phase_question(question):
        return None
    return detect_phase_in_text(question) or (profile.phase if profile else None)


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
