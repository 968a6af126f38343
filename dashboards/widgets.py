"""Widgets more than one page draws the same way."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import streamlit as st


def extension_picker(targets: dict[str, str], key: str) -> str | None:
    """Draw the "Extension" choice of a Forward dialog (guide p.32, p.35); None until one is picked."""
    return st.selectbox(
        "Extension",
        list(targets),
        index=None,
        format_func=lambda number: targets[number],
        placeholder="Select the extension",
        key=key,
    )


def selectable_table(
    data: Any,
    ids: Sequence[Hashable],
    key: str,
    selection_mode: Literal["single-row", "multi-row"] = "multi-row",
    **kwargs: Any,
) -> list[int]:
    """Draw a table with row selection that follows its records; return the selected positions in `data`.

    Streamlit keeps a table's selection as row positions. When the rows change between two runs (a new
    call tops the list, a rule moves up, a record is deleted), each selected position is mapped back to
    the record the user ticked (`ids`, one per row, as shown last time) and forward to where that record
    is now; a record that left the list is unselected. So an action always hits what the user ticked.
    """
    ids = list(ids)
    shown_key = f"{key}__ids"
    shown: list[Hashable] | None = st.session_state.get(shown_key)
    if shown is not None and shown != ids:
        state = st.session_state.get(key)
        rows: list[int] = list(state["selection"]["rows"]) if state else []
        picked = {shown[i] for i in rows if 0 <= i < len(shown)}
        st.session_state[key] = {"selection": {"rows": [i for i, x in enumerate(ids) if x in picked]}}
    st.session_state[shown_key] = ids
    kwargs.setdefault("hide_index", True)
    event = st.dataframe(data, on_select="rerun", selection_mode=selection_mode, key=key, **kwargs)
    return [i for i in event.selection.rows if 0 <= i < len(ids)]
