"""Widgets more than one page draws the same way."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st
from streamlit import runtime

from fvkit.portal.display import ListPage


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


def pager(
    page: ListPage, state: str, size: int, *, buttons: str | None = None, on_change: Callable[[], None] | None = None
) -> None:
    """Draw the pager of a list, "1-25 of 59" with ◀ and ▶ (guide p.14).

    Args:
        state: the session-state key holding the page number; it is kept within the list's pages.
        size: rows per page.
        buttons: the prefix of the buttons' keys (`<buttons>_prev`, `<buttons>_next`), default `state`.
        on_change: called before the rerun a click starts (e.g. to drop a selection).
    """
    st.session_state[state] = (page.first - 1) // size + 1 if page.total else 1
    prefix = buttons or state
    st.caption(page.label, width="content")
    for label, step, key, disabled, tip in (
        ("◀", -1, f"{prefix}_prev", page.first <= 1, "Previous page"),
        ("▶", 1, f"{prefix}_next", page.last >= page.total, "Next page"),
    ):
        if st.button(label, key=key, disabled=disabled, help=tip):
            st.session_state[state] += step
            if on_change is not None:
                on_change()
            st.rerun()


# NOTE: a page's open dialog lives in session state under one key, (kind, *arguments), so a
# full rerun (and AppTest) draws it again until it is done or dismissed.


def open_dialog(key: str, kind: str, *args: object) -> None:
    """Open one of a page's dialogs with its arguments (a button callback)."""
    st.session_state[key] = (kind, *args)


def close_dialog(key: str) -> None:
    """Close the page's open dialog, if any."""
    st.session_state.pop(key, None)


def show_dialog(key: str, dialogs: Mapping[str, Callable[..., None]]) -> None:
    """Draw the page's open dialog, if any, called with the arguments it was opened with."""
    if key in st.session_state:
        kind, *args = st.session_state[key]
        dialogs[kind](*args)


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
