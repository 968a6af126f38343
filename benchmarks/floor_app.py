"""The floor of any portal interaction: a bare Streamlit app whose one button reruns it.

benchmarks/interactions.py serves it next to the portal and times its button the way it times the
portal's interactions; no portal interaction can answer faster than this.
"""

from __future__ import annotations

import streamlit as st

clicks = int(st.session_state.get("floor_clicks", 0))
if st.button("Rerun", key="floor_rerun"):
    clicks += 1
    st.session_state["floor_clicks"] = clicks
st.write(f"Clicks: {clicks}")
