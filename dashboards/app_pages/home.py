"""Main page: a tile for every widget the user may open (HOME-1, guide p.10)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards.session import require_user
from fvkit.portal import home

PAGES = Path(__file__).parent
TILES_PER_ROW = 4

user = require_user()

tiles = [rule for rule in home.menu(user) if (PAGES / f"{rule.slug}.py").exists()]
if not tiles:
    st.info("The screens appear here as they are enabled for your extension.", icon="ℹ️")
for start in range(0, len(tiles), TILES_PER_ROW):
    row = st.columns(TILES_PER_ROW)
    for column, rule in zip(row, tiles[start : start + TILES_PER_ROW], strict=False):
        with column, st.container(border=True, key=f"home_tile_{rule.slug}"):
            st.page_link(
                f"app_pages/{rule.slug}.py",
                label=rule.screen.value,
                icon=rule.icon,
                width="stretch",
            )
