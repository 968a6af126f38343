"""Call Recording (guide p.31-32): list, play, delete, forward and download personal recordings."""

from __future__ import annotations

import streamlit as st

from dashboards.markdown import plain
from dashboards.session import require_user, store
from dashboards.toolbar import page_toolbar
from dashboards.widgets import close_dialog, extension_picker, open_dialog, pager, selectable_table, show_dialog
from fvkit.domain.screens import Screen
from fvkit.portal import call_recording
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.messages import Kind, headers
from pipelines.media import file_name, recording_file, recordings_tgz

page_toolbar(Screen.CALL_RECORDING)
user = require_user()

how = call_recording.recording_help(user)
if how.can_record:
    st.info(how.text, icon="⏺️")
    st.caption(call_recording.CONSENT)
else:
    st.info(f"**Recording:** {how.text}", icon="ℹ️")


def _changed() -> None:
    """Start a fresh table: row positions of the old selection would point at other recordings."""
    st.session_state["rec_version"] = st.session_state.get("rec_version", 0) + 1
    _stop_playing()


def _stop_playing() -> None:
    """Turning the page stops the player; the table stays, so the browser updates its rows instead of
    building a new grid (its selection follows the records: none of them is on the next page)."""
    st.session_state.pop("rec_playing", None)


try:
    page = call_recording.list_page(store(), user, st.session_state.get("rec_page", 1))
except PermissionDenied as err:
    st.error(plain(err))
    st.stop()
if "rec_flash" in st.session_state:
    st.success(plain(st.session_state.pop("rec_flash")))
if "rec_error" in st.session_state:
    st.error(plain(st.session_state.pop("rec_error")))

selected = selectable_table(
    page.rows,
    page.rows["id"].to_list(),
    key=f"rec_table_{st.session_state.get('rec_version', 0)}",
    column_order=list(call_recording.LIST_LABELS.values()),
)
chosen = [int(page.rows["id"][i]) for i in selected]


def _close_dialog() -> None:
    close_dialog("rec_dialog")


@st.dialog("Delete recordings", on_dismiss=_close_dialog)
def confirm_delete(ids: list[int]) -> None:
    """Ask before deleting (guide p.32: "To confirm the deletion, click Yes")."""
    st.write(f"Delete {len(ids)} recording(s)?")
    with st.container(horizontal=True):
        if st.button("Yes", key="rec_delete_yes", type="primary"):
            _close_dialog()
            try:
                gone = call_recording.delete(store(), user, ids)
            except (PermissionDenied, LookupError) as err:
                st.session_state["rec_error"] = str(err)
            else:
                st.session_state["rec_flash"] = f"Deleted {gone} recording(s)."
                _changed()
            st.rerun()
        if st.button("Cancel", key="rec_delete_cancel"):
            _close_dialog()
            st.rerun()


@st.dialog("Forward recordings", on_dismiss=_close_dialog)
def forward_to(ids: list[int]) -> None:
    """Send copies to another extension (guide p.32: "Select the extension and click OK")."""
    targets = call_recording.forward_targets(store(), user)
    to = extension_picker(targets, "rec_forward_to")
    with st.container(horizontal=True):
        if st.button("OK", key="rec_forward_ok", type="primary", disabled=to is None):
            assert to is not None
            _close_dialog()
            try:
                copies = call_recording.forward(store(), user, ids, to)
            except (call_recording.CannotForward, PermissionDenied, LookupError) as err:
                st.session_state["rec_error"] = str(err)
            else:
                st.session_state["rec_flash"] = f"Forwarded {len(copies)} recording(s) to {targets[to]}."
                _changed()
            st.rerun()
        if st.button("Cancel", key="rec_forward_cancel"):
            _close_dialog()
            st.rerun()


with st.container(horizontal=True, vertical_alignment="center", key="rec_actions"):
    if st.button("▶️ Play", key="rec_play", disabled=len(chosen) != 1, help="Listen to the selected recording"):
        st.session_state["rec_playing"] = chosen[0]
    if st.button("🗑️ Delete", key="rec_delete", disabled=not chosen, help="Delete the selected recordings"):
        open_dialog("rec_dialog", "delete", chosen)
    if st.button("📨 Forward", key="rec_forward", disabled=not chosen, help="Send a copy to another extension"):
        open_dialog("rec_dialog", "forward", chosen)
    if len(chosen) == 1:
        (header,) = headers(store(), user, Kind.RECORDING, chosen)
        one = chosen[0]
        st.download_button(
            "⬇️ Download",
            data=lambda: recording_file(store(), user, one)[1],
            file_name=file_name(header, user.time_zone),
            mime="audio/wav",
            on_click="ignore",
            key="rec_download",
            help="Save the recording as a WAV file",
        )
    else:
        several = list(chosen)
        st.download_button(
            "⬇️ Download",
            data=lambda: recordings_tgz(store(), user, several),
            file_name="recordings.tgz",
            mime="application/gzip",
            on_click="ignore",
            key="rec_download",
            disabled=not several,
            help="Save the selected recordings (several: one TGZ file of WAVs, guide p.32)",
        )
    # the pager sits below the list: above it, the table's own toolbar would cover it
    st.space("stretch")
    pager(page, "rec_page", call_recording.PAGE_SIZE, buttons="rec", on_change=_stop_playing)

show_dialog("rec_dialog", {"delete": confirm_delete, "forward": forward_to})

playing = st.session_state.get("rec_playing")
if playing is not None and chosen == [playing]:
    st.audio(call_recording.play(store(), user, playing), format="audio/wav")
elif playing is not None:
    st.session_state.pop("rec_playing", None)
