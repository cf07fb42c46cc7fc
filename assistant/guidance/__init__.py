"""Phase guidance from the corpus: phase models, the 'Waar staan we?' self-assessment and
phase-structured answer blocks for the chat. See phases.yaml and assessment.yaml."""
