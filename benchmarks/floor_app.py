"""The floor of any portal interaction: a bare Streamlit app whose one button reruns it.

benchmarks/interactions.py serves it next to the portal and times its button the way it times the
portal's interactions; no portal interaction can answer faster than this.
"""

from __future__ import annotations

import os

import streamlit as st

# NOTE: $FLOOR_ELEMENTS adds that many small elements: how a rerun's cost grows with what it draws
for i in range(int(os.environ.get("FLOOR_ELEMENTS", "0"))):
    st.caption(f"element {i}")

clicks = int(st.session_state.get("floor_clicks", 0))
if st.button("Rerun", key="floor_rerun"):
    clicks += 1
    st.session_state["floor_clicks"] = clicks
st.write(f"Clicks: {clicks}")
