"""Widgets more than one page draws the same way."""

from __future__ import annotations

import streamlit as st
from streamlit import runtime


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


def served_file(data: bytes, mime: str, file_name: str, key: str) -> str:
    """Serve `data` as a download for this browser session and return its URL, for a table's link column.

    NOTE: Streamlit has no public call for this; it is what `st.download_button` does with bytes.
    The file stays served while the page that draws the link is open (each run serves it again);
    its URL is a hash of the content, not guessable from the fax or the user.
    """
    if not runtime.exists():  # a bare script run (no server): nothing is served
        return ""
    return runtime.get_instance().media_file_mgr.add(
        data, mime, f"fvkit.served.{key}", file_name=file_name, is_for_static_download=True
    )
