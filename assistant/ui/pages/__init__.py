"""Page scripts for `st.navigation` in app.py: each file renders one page (file pages, so that
`AppTest.switch_page` can open them in tests)."""
