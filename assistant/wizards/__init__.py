"""Wizards (funding, governance) as data plus a small engine; see registry.py for the entry
points the app uses and ui.py for the Streamlit rendering."""
