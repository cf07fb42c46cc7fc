"""The knowledge base: verified claims over the corpus (see claims/*.yaml and vocab.yaml)."""
