"""Page: Bekostigingswizard."""

import streamlit as st

from assistant.ui.wizard import render_wizard

render_wizard("funding", chat_page=st.session_state.get("chat_page"))
