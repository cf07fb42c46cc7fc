"""Page: Documenten (corpus overview and reader)."""

from assistant.ui.documents import render_documents_page

render_documents_page()
