"""Page: Governancewizard."""

import streamlit as st

from assistant.ui.wizard import render_wizard

render_wizard("governance", chat_page=st.session_state.get("chat_page"))
