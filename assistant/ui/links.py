"""Links a user can share: the address the browser has open, with a query string of ours.

`st.context.url` is the page the browser shows (host and page path included), so a link works
behind any host name or base path. Where it is not known (a test harness), the link is the
query string alone, which the user appends to the app's address.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st


def share_link(params: Mapping[str, str] | str) -> str:
    query = params if isinstance(params, str) else urlencode(params)
    url = st.context.url
    if not url:
        return f"?{query}"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
