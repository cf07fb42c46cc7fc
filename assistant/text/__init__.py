"""The one text toolkit: sentences, tokens (fold, stem, stopwords, glossary) and language.

Word lists and the glossary are data files in `data/`, loaded once by `lexicon`.
"""
