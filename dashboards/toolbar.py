"""The bar every widget page starts with (HOME-3, guide p.11): refresh, home, another widget."""

from __future__ import annotations

import streamlit as st

from dashboards.session import current_user
from fvkit.domain.screens import Screen
from fvkit.portal import home


def page_toolbar(screen: Screen) -> None:
    """Draw the page title, a refresh button, a link home and a jump to another widget."""
    user = current_user()
    if user is None:
        st.stop()
    with st.container(horizontal=True, vertical_alignment="center", key="page_toolbar"):
        st.subheader(screen.value, anchor=False)
        st.space("stretch")
        st.button("🔄 Refresh", key="page_refresh", help="Refresh this page", type="tertiary")
        st.page_link("app_pages/home.py", label="Home", icon="🏠", width="content")
        others = {r.screen.value: r.slug for r in home.menu(user) if r.screen is not screen}
        choice = st.selectbox(
            "Go to",
            list(others),
            index=None,
            key="page_jump",
            label_visibility="collapsed",
            placeholder="Go to widget...",
        )
        if choice:
            st.session_state.pop("page_jump", None)
            st.switch_page(f"app_pages/{others[choice]}.py")
