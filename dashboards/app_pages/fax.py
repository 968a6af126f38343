"""Fax (guide p.33-35): Inbox, Sent, New fax, Cover Page, Monitor."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboards.session import current_user, store
from dashboards.toolbar import page_toolbar
from dashboards.widgets import extension_picker, selectable_table
from fvkit.domain.limits import COVER_PAGE_MAX_BYTES, MB
from fvkit.domain.screens import Screen
from fvkit.portal import fax
from fvkit.portal.auth import PermissionDenied, User
from fvkit.portal.display import ListPage
from pipelines import fax as fax_files

page_toolbar(Screen.FAX)
signed_in = current_user()
assert signed_in is not None
user: User = signed_in  # typed, so the dialogs and deferred downloads see a User

INBOX, SENT, COVERS, MONITOR = "Inbox", "Sent", "Cover Page", "Monitor"
UPLOADED, DYNAMIC = "Uploaded", "Dynamic"  # guide p.33: Cover sheet type
_REFUSED = (fax.CannotSend, fax_files.FaxFileRefused, PermissionDenied, LookupError, ValueError)
_DYNAMIC_FIELDS = (("sender", "From"), ("email", "Email"), ("subject", "Subject"), ("company", "Company"))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _open(kind: str, ids: list[int] | None = None) -> None:
    """Keep a dialog open across reruns until it is done or dismissed."""
    st.session_state["fax_dialog"] = (kind, list(ids or []))


def _close() -> None:
    st.session_state.pop("fax_dialog", None)


def _done(text: str) -> None:
    """Close the dialog, show `text` after the rerun and start the lists over with nothing selected."""
    _close()
    st.session_state["fax_flash"] = text
    st.session_state["fax_version"] = st.session_state.get("fax_version", 0) + 1
    st.rerun()


if "fax_view_next" in st.session_state:  # a widget's value is set before it is drawn
    st.session_state["fax_view"] = st.session_state.pop("fax_view_next")
views = [INBOX, SENT, COVERS] + ([MONITOR] if fax.may_monitor(user) else [])
view = st.segmented_control("Fax", views, default=INBOX, key="fax_view", label_visibility="collapsed") or INBOX
if "fax_flash" in st.session_state:
    st.success(st.session_state.pop("fax_flash"))
if "fax_error" in st.session_state:
    st.error(st.session_state.pop("fax_error"))
version = st.session_state.get("fax_version", 0)


def _table(page: ListPage, key: str, labels: dict[str, str]) -> list[int]:
    """Draw a list of faxes with row selection; return the selected ids."""
    ids = page.rows["id"].to_list()
    selected = selectable_table(page.rows, ids, key=f"{key}_{version}", column_order=list(labels.values()))
    return [int(ids[i]) for i in selected]


def _download(chosen: list[int], key: str, account: str | None = None) -> None:
    """The Download column's link (guide p.33): the selected fax as a PDF, made when clicked."""
    one = chosen[0] if len(chosen) == 1 else None
    name = "fax.pdf"
    if one is not None:
        try:
            name = fax.fax_file_name(store(), user, one, account)
        except _REFUSED:
            one = None
    st.download_button(
        "⬇️ Download",
        data=lambda: fax.fax_file(store(), user, one, account)[1] if one is not None else b"",
        file_name=name,
        mime="application/pdf",
        on_click="ignore",
        key=key,
        disabled=one is None,
        help="Save the selected fax as a PDF file",
    )


def _pager(page: ListPage, key: str) -> None:
    st.space("stretch")
    st.caption(page.label)
    if st.button("◀", key=f"{key}_prev", disabled=page.first <= 1, help="Previous page"):
        st.session_state[key] = st.session_state.get(key, 1) - 1
        st.rerun()
    if st.button("▶", key=f"{key}_next", disabled=page.last >= page.total, help="Next page"):
        st.session_state[key] = st.session_state.get(key, 1) + 1
        st.rerun()


def _dynamic_fields(prefix: str) -> fax_files.DynamicCover:
    saved: fax_files.DynamicCover = st.session_state.get("fax_dynamic_saved", fax_files.DynamicCover())
    values = {
        field: st.text_input(label, value=getattr(saved, field), key=f"{prefix}_{field}")
        for field, label in _DYNAMIC_FIELDS
    }
    comments = st.text_area("Comments", value=saved.comments, key=f"{prefix}_comments")
    return fax_files.DynamicCover(comments=comments, **values)


@st.dialog("New fax", width="large", on_dismiss=_close)
def new_fax(_: list[int]) -> None:
    """Send a fax (guide p.33)."""
    to = st.text_input("To", key="fax_new_to", placeholder="Fax number, e.g. +1 604 555 0100")
    kind = st.radio("Cover sheet type", (UPLOADED, DYNAMIC), index=1, horizontal=True, key="fax_new_cover_type")
    cover: fax_files.DynamicCover | int | None
    if kind == UPLOADED:
        covers = {c.id: c.name for c in fax.cover_pages(store(), user)}
        cover = st.selectbox(
            "Attach cover sheet",
            list(covers),
            index=None,
            format_func=lambda cid: covers[cid],
            placeholder="Select a cover page" if covers else "No cover pages yet: add one under Cover Page",
            key="fax_new_cover",
        )
    else:
        cover = _dynamic_fields("fax_new")
    files = st.file_uploader(
        "Attachment (PDF and JPEG only)", accept_multiple_files=True, key="fax_new_files", max_upload_size=200
    )
    with st.expander("Advanced"):
        header = st.text_input("Fax header", key="fax_new_header", help="E.g. the receiver's name, subject or pages")
        station = st.text_input("Station ID", key="fax_new_station", help="Shows on each page of the fax")
    with st.container(horizontal=True):
        if st.button("Send", key="fax_send", type="primary"):
            if cover is None:
                st.error("Select a cover sheet, or choose the Dynamic type.")
                return
            try:
                sent = fax_files.send_fax(
                    store(),
                    user,
                    to=to,
                    attachments=[(f.name, f.getvalue()) for f in files or []],
                    cover=cover,
                    header=header,
                    station_id=station,
                    now=_now(),
                )
            except _REFUSED as err:
                st.error(str(err))
                return
            st.session_state["fax_view_next"] = SENT
            _done(f"Fax sent to {fax.fax_number(to)}: {sent.pages} page(s).")
        if st.button("Cancel", key="fax_send_cancel"):
            _close()
            st.rerun()


@st.dialog("New cover page", on_dismiss=_close)
def new_cover(_: list[int]) -> None:
    """Upload a cover page: JPEG or a one-page PDF, 200 MB or less (guide p.34)."""
    name = st.text_input("Name", key="fax_cover_name")
    description = st.text_input("Description", key="fax_cover_description")
    upload = st.file_uploader(
        "Upload", key="fax_cover_file", max_upload_size=COVER_PAGE_MAX_BYTES // MB, help="JPEG, or a one-page PDF"
    )
    with st.container(horizontal=True):
        if st.button("OK", key="fax_cover_ok", type="primary", disabled=upload is None):
            assert upload is not None
            try:
                fax_files.add_cover_page(
                    store(),
                    user,
                    name=name,
                    description=description,
                    file_name=upload.name,
                    content=upload.getvalue(),
                    now=_now(),
                )
            except _REFUSED as err:
                st.error(str(err))
                return
            _done(f"Cover page {name.strip()} added.")
        if st.button("Cancel", key="fax_cover_cancel"):
            _close()
            st.rerun()


@st.dialog("Dynamic Cover Page", on_dismiss=_close)
def dynamic_cover(_: list[int]) -> None:
    """Fill in the dynamic cover page and preview it (guide p.34-35)."""
    to = st.text_input("To", key="fax_dyn_to", help="The fax receiver's name")
    cover = _dynamic_fields("fax_dyn")
    with st.container(horizontal=True):
        if st.button("OK", key="fax_dyn_ok", type="primary"):
            # NOTE: kept for this session: the New fax dialog starts from these fields
            st.session_state["fax_dynamic_saved"] = cover
            _done("Dynamic cover page saved: New fax uses it.")
        st.download_button(
            "👁️ Preview",
            data=lambda: fax_files.preview_cover(to, cover),
            file_name="cover-page.pdf",
            mime="application/pdf",
            on_click="ignore",
            key="fax_dyn_preview",
        )
        if st.button("Cancel", key="fax_dyn_cancel"):
            _close()
            st.rerun()


@st.dialog("Delete", on_dismiss=_close)
def confirm_delete(ids: list[int]) -> None:
    """Ask before deleting cover pages or a monitored account's faxes."""
    what = "cover page(s)" if view == COVERS else "fax(es)"
    st.write(f"Delete {len(ids)} {what}?")
    with st.container(horizontal=True):
        if st.button("Yes", key="fax_delete_yes", type="primary"):
            try:
                if view == COVERS:
                    gone = fax.delete_cover_pages(store(), user, ids)
                else:
                    gone = fax.delete_monitored(store(), user, st.session_state["fax_account"], ids)
            except _REFUSED as err:
                st.session_state["fax_error"] = str(err)
                _close()
                st.rerun()
            _done(f"Deleted {gone} {what}.")
        if st.button("Cancel", key="fax_delete_cancel"):
            _close()
            st.rerun()


@st.dialog("Forward", on_dismiss=_close)
def forward_to(ids: list[int]) -> None:
    """Copy a monitored account's faxes to an extension's Inbox (guide p.35)."""
    targets = fax.forward_targets(store(), user)
    to = extension_picker(targets, "fax_forward_to")
    with st.container(horizontal=True):
        if st.button("OK", key="fax_forward_ok", type="primary", disabled=to is None):
            assert to is not None
            try:
                copies = fax.forward(store(), user, st.session_state["fax_account"], ids, to, _now())
            except _REFUSED as err:
                st.error(str(err))
                return
            _done(f"Forwarded {len(copies)} fax(es) to {targets[to]}.")
        if st.button("Cancel", key="fax_forward_cancel"):
            _close()
            st.rerun()


def box_view(box: str) -> None:
    """Inbox or Sent (guide p.33-34): the list, New, Download."""
    key = f"fax_{box.lower()}_page"
    page = fax.list_page(store(), user, box, st.session_state.get(key, 1))
    labels = fax.SENT_LABELS if box == SENT else fax.LIST_LABELS
    chosen = _table(page, f"fax_{box.lower()}_table", labels)
    with st.container(horizontal=True, vertical_alignment="center", key=f"fax_{box.lower()}_actions"):
        if st.button("➕ New", key="fax_new", help="Send a fax"):
            _open("new")
        _download(chosen, f"fax_{box.lower()}_download")
        _pager(page, key)


def covers_view() -> None:
    """Cover Page (guide p.34): New, Delete, Dynamic Cover Page."""
    covers = fax.cover_pages(store(), user)
    rows = [
        {
            "id": c.id,
            "Name": c.name,
            "Description": c.description,
            "Type": "PDF" if c.mime == fax_files.PDF else "JPEG",
            "Size (KB)": -(-c.size // 1024),
        }
        for c in covers
    ]
    selected = selectable_table(
        rows,
        [c.id for c in covers],
        key=f"fax_cover_table_{version}",
        column_order=["Name", "Description", "Type", "Size (KB)"],
    )
    chosen = [covers[i].id for i in selected]
    with st.container(horizontal=True, key="fax_cover_actions"):
        if st.button("➕ New", key="fax_cover_new", help="Upload a cover page"):
            _open("cover")
        if st.button("🗑️ Delete", key="fax_cover_delete", disabled=not chosen):
            _open("delete", chosen)
        if st.button("📝 Dynamic Cover Page", key="fax_cover_dynamic"):
            _open("dynamic")
    st.caption(f"{len(covers)} cover page(s). Upload a JPEG or a one-page PDF of 200 MB or less.")


def monitor_view() -> None:
    """Monitor (guide p.35): an eFax account's faxes - download, delete, resend, forward."""
    accounts = fax.monitored_accounts(store(), user)
    if not accounts:
        st.info("No eFax account lets your extension monitor it; ask your administrator.")
        return
    account = st.selectbox("eFax Account", list(accounts), format_func=accounts.__getitem__, key="fax_account")
    box = st.segmented_control("Box", fax.BOXES, default=INBOX, key="fax_monitor_box") or INBOX
    key = "fax_monitor_page"
    page = fax.monitor_page(store(), user, account, box, st.session_state.get(key, 1))
    labels = fax.SENT_LABELS if box == SENT else fax.LIST_LABELS
    chosen = _table(page, f"fax_monitor_table_{account}_{box}", labels)
    with st.container(horizontal=True, vertical_alignment="center", key="fax_monitor_actions"):
        _download(chosen, "fax_monitor_download", account)
        if st.button("🗑️ Delete", key="fax_monitor_delete", disabled=not chosen):
            _open("delete", chosen)
        if st.button("🔁 Resend", key="fax_monitor_resend", disabled=not chosen):
            try:
                again = fax.resend(store(), user, account, chosen, _now())
            except _REFUSED as err:
                st.error(str(err))
            else:
                _done(f"Resent {len(again)} fax(es): see the account's Sent box.")
        if st.button("📨 Forward", key="fax_monitor_forward", disabled=not chosen):
            _open("forward", chosen)
        _pager(page, key)


try:
    if view in (INBOX, SENT):
        box_view(view)
    elif view == COVERS:
        covers_view()
    else:
        monitor_view()
except PermissionDenied as err:
    st.error(str(err))
    st.stop()

# NOTE: the open dialog lives in session state, so a full rerun (and AppTest) redraws it.
if "fax_dialog" in st.session_state:
    kind, ids = st.session_state["fax_dialog"]
    dialogs = {
        "new": new_fax,
        "cover": new_cover,
        "dynamic": dynamic_cover,
        "delete": confirm_delete,
        "forward": forward_to,
    }
    dialogs[kind](ids)
