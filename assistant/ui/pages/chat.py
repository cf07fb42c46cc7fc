"""Page: Chat (the default page)."""

from assistant.ui.chat import render_chat_page

render_chat_page()
