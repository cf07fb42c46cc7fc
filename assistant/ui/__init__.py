"""Streamlit pages and shared UI pieces of the app (`app.py` only wires navigation).

- `resources`: the cached Assistant, first-launch preparation with progress, Dutch error messages.
- `sidebar`: the user's profile (role, phase) and the answer mode.
- `chat`: the chat page with cited answers and expandable sources.
- `documents`: the corpus documents and a reader for their cleaned text.
- `passages`: HTML for a quote highlighted in its surrounding text (escaped).
- `pages/`: one small script per page, registered with `st.navigation` in app.py.
- `eval_page`: the evaluation page.
"""
