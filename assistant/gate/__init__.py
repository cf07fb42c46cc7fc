"""The answerability gate: does the corpus answer this question? One gate for both modes."""
