"""Widgets more than one page draws the same way."""

from __future__ import annotations

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
