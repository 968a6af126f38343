"""Widgets more than one page draws the same way."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Literal

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
        on_change: called when a button is clicked, before the run the click starts (e.g. to drop a selection).

    A click turns the page in the button's callback, so the one run it starts draws the new page.
    """
    st.session_state[state] = (page.first - 1) // size + 1 if page.total else 1
    prefix = buttons or state
    st.caption(page.label, width="content")
    for label, step, key, disabled, tip in (
        ("◀", -1, f"{prefix}_prev", page.first <= 1, "Previous page"),
        ("▶", 1, f"{prefix}_next", page.last >= page.total, "Next page"),
    ):
        st.button(label, key=key, disabled=disabled, help=tip, on_click=_turn, args=(state, step, on_change))


def _turn(state: str, step: int, on_change: Callable[[], None] | None) -> None:
    """Turn a pager's page (a button callback)."""
    st.session_state[state] = int(st.session_state.get(state, 1)) + step
    if on_change is not None:
        on_change()


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


def selectable_table(
    data: Any,
    ids: Sequence[Hashable],
    key: str,
    selection_mode: Literal["single-row", "multi-row"] = "multi-row",
    on_cell: Callable[[Hashable], None] | None = None,
    **kwargs: Any,
) -> list[int]:
    """Draw a table with row selection that follows its records; return the selected positions in `data`.

    Streamlit keeps a table's selection as row positions. When the rows change between two runs (a new
    call tops the list, a rule moves up, a record is deleted), each selected position is mapped back to
    the record the user ticked (`ids`, one per row, as shown last time) and forward to where that record
    is now; a record that left the list is unselected. So an action always hits what the user ticked.

    With `on_cell`, a click on any cell of a row calls it with that row's id (before the page reruns) and
    the cell is let go at once, so the next click, or the same one again, opens it afresh. Streamlit tables
    have no double-click event: a click on the row is the closest a user gets to "double-click a call".
    """
    ids = list(ids)
    shown_key = f"{key}__ids"
    # a clicked cell is let go by drawing the table afresh under a new key, its ticked rows carried over
    generation = int(st.session_state.get(f"{key}__gen", 0))
    widget_key = key if generation == 0 else f"{key}__{generation}"
    carried = st.session_state.pop(f"{key}__carry", None)
    if carried is not None:
        st.session_state[widget_key] = {"selection": {"rows": carried}}
    shown: list[Hashable] | None = st.session_state.get(shown_key)
    if shown is not None and shown != ids:
        state = st.session_state.get(widget_key)
        rows: list[int] = list(state["selection"]["rows"]) if state else []
        picked = {shown[i] for i in rows if 0 <= i < len(shown)}
        st.session_state[widget_key] = {"selection": {"rows": [i for i, x in enumerate(ids) if x in picked]}}
    st.session_state[shown_key] = ids
    kwargs.setdefault("hide_index", True)
    if on_cell is None:
        event = st.dataframe(data, on_select="rerun", selection_mode=selection_mode, key=widget_key, **kwargs)
    else:
        event = st.dataframe(
            data,
            on_select=lambda: _cell_clicked(key, widget_key, on_cell),
            selection_mode=[selection_mode, "single-cell"],
            key=widget_key,
            **kwargs,
        )
    return [i for i in event.selection.rows if 0 <= i < len(ids)]


def _cell_clicked(key: str, widget_key: str, on_cell: Callable[[Hashable], None]) -> None:
    """Hand the clicked cell's record to `on_cell`; the next run draws the table without the cell."""
    state = st.session_state.get(widget_key)
    if not state or not state["selection"]["cells"]:
        return
    shown: list[Hashable] = st.session_state.get(f"{key}__ids") or []
    row = int(state["selection"]["cells"][0][0])
    st.session_state[f"{key}__gen"] = int(st.session_state.get(f"{key}__gen", 0)) + 1
    st.session_state[f"{key}__carry"] = list(state["selection"]["rows"])
    if 0 <= row < len(shown):
        on_cell(shown[row])
