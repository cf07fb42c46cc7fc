"""JZOJP-kennisassistent: `streamlit run app.py`.

Only navigation lives here. Each page is a small script in assistant/ui/pages/ that calls into
assistant/ui (chat, documents, evaluation) or assistant/wizards (self-assessment, wizards). The
sidebar (profile and answer mode) is drawn after the page, so a phase accepted on the
self-assessment page shows in the sidebar at once.
"""

import streamlit as st

from assistant.ui.sidebar import render_sidebar

PAGES = "assistant/ui/pages"


def main() -> None:
    st.set_page_config(page_title="JZOJP-kennisassistent", page_icon=":material/diversity_3:")
    chat = st.Page(f"{PAGES}/chat.py", title="Chat", icon=":material/chat:", default=True)
    documents = st.Page(
        f"{PAGES}/documents.py", title="Documenten", icon=":material/library_books:", url_path="documenten"
    )
    assessment = st.Page(
        f"{PAGES}/assessment.py", title="Waar staan we?", icon=":material/explore:", url_path="waar-staan-we"
    )
    teamscan = st.Page(f"{PAGES}/teamscan.py", title="Teamscan", icon=":material/groups:", url_path="teamscan")
    funding = st.Page(f"{PAGES}/funding.py", title="Bekostigingswizard", icon=":material/euro:", url_path="bekostiging")
    governance = st.Page(
        f"{PAGES}/governance.py", title="Governancewizard", icon=":material/account_tree:", url_path="governance"
    )
    pages = [
        chat,
        assessment,
        teamscan,
        funding,
        governance,
        documents,
        st.Page(f"{PAGES}/evaluation.py", title="Evaluatie", icon=":material/analytics:", url_path="evaluatie"),
    ]
    # The wizards' "Vraag door" buttons and the chat's source links switch pages with these.
    st.session_state["chat_page"] = chat
    st.session_state["documents_page"] = documents
    # The chat's first screen links to these starting points.
    for key, page in [
        ("assessment_page", assessment),
        ("teamscan_page", teamscan),
        ("funding_page", funding),
        ("governance_page", governance),
    ]:
        st.session_state[key] = page
    st.navigation(pages).run()
    render_sidebar()


main()
