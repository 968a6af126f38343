"""Fax (guide p.33-35): Inbox, Sent, New fax, Cover Page, Monitor."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import streamlit as st

from dashboards.markdown import plain
from dashboards.session import now, require_user, store
from dashboards.toolbar import page_toolbar
from dashboards.widgets import (
    close_dialog,
    extension_picker,
    open_dialog,
    pager,
    selectable_table,
    served_file,
    show_dialog,
)
from fvkit.domain.limits import COVER_PAGE_MAX_BYTES, MB
from fvkit.domain.screens import Screen
from fvkit.portal import fax
from fvkit.portal.auth import PermissionDenied, User
from fvkit.portal.display import ListPage
from pipelines import fax as fax_files

page_toolbar(Screen.FAX)
user = require_user()

INBOX, SENT, COVERS, MONITOR = "Inbox", "Sent", "Cover Page", "Monitor"
UPLOADED, DYNAMIC = "Uploaded", "Dynamic"  # guide p.33: Cover sheet type
_REFUSED = (fax.CannotSend, fax_files.FaxFileRefused, PermissionDenied, LookupError, ValueError)
DOWNLOAD = "Download"  # guide p.33-35: the column whose link opens the fax
_DYNAMIC_FIELDS = (("sender", "From"), ("email", "Email"), ("subject", "Subject"), ("company", "Company"))


def _open(kind: str, ids: list[int] | None = None) -> None:
    """Keep a dialog open across reruns until it is done or dismissed."""
    open_dialog("fax_dialog", kind, list(ids or []))


def _close() -> None:
    close_dialog("fax_dialog")
    st.session_state.pop("fax_dyn_shown", None)


def _ok_or_cancel(label: str, ok_key: str, cancel_key: str, *, disabled: bool = False) -> bool:
    """Draw a dialog's primary button and Cancel (kept after a refusal); Cancel closes the dialog."""
    with st.container(horizontal=True):
        ok = st.button(label, key=ok_key, type="primary", disabled=disabled)
        cancel = st.button("Cancel", key=cancel_key)
    if cancel:
        _close()
        st.rerun()
    return ok


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
    st.success(plain(st.session_state.pop("fax_flash")))
if "fax_error" in st.session_state:
    st.error(plain(st.session_state.pop("fax_error")))
version = st.session_state.get("fax_version", 0)


@st.cache_data(max_entries=200, show_spinner=False)  # a page shows 25; faxes never change
def _fax_pdf(number: str, time_zone: str, fax_id: int, account: str | None, _user: User) -> tuple[str, bytes]:
    """Return a fax's (file name, PDF), checked for `_user` (cached by its number and time zone)."""
    return fax.fax_file(store(), _user, fax_id, account)


def _links(page: ListPage, account: str | None) -> list[str]:
    """Return a served PDF's URL for each fax of the page, for its Download column (guide p.33-35)."""
    urls = []
    for fax_id in page.rows["id"]:
        name, pdf = _fax_pdf(user.number, user.time_zone, int(fax_id), account, user)
        urls.append(served_file(pdf, "application/pdf", name, f"fax_{fax_id}"))
    return urls


def _table(page: ListPage, key: str, labels: dict[str, str], account: str | None = None) -> list[int]:
    """Draw a list of faxes with row selection and a Download link per fax; return the selected ids."""
    rows = page.rows.with_columns(pl.Series(DOWNLOAD, _links(page, account), pl.String))
    ids = page.rows["id"].to_list()
    selected = selectable_table(
        rows,
        ids,
        key=f"{key}_{version}",
        column_order=[DOWNLOAD, *labels.values()],  # the link first, where it never scrolls away
        column_config={
            DOWNLOAD: st.column_config.LinkColumn(DOWNLOAD, display_text="⬇️ PDF", help="Open the fax as a PDF file")
        },
    )
    return [int(ids[i]) for i in selected]


def _dynamic_fields(prefix: str, saved: fax.DynamicCover) -> fax.DynamicCover:
    """Draw From, Email, Subject, Company and Comments, starting from the saved Dynamic Cover Page."""
    values = {
        field: st.text_input(label, value=getattr(saved, field), key=f"{prefix}_{field}")
        for field, label in _DYNAMIC_FIELDS
    }
    comments = st.text_area("Comments", value=saved.comments, key=f"{prefix}_comments")
    return fax.DynamicCover(comments=comments, recipient=saved.recipient, **values)


@st.dialog("New fax", width="large", on_dismiss=_close)
def new_fax(_: list[int]) -> None:
    """Send a fax (guide p.33)."""
    to = st.text_input("To", key="fax_new_to", placeholder="Fax number, e.g. +1 604 555 0100")
    kind = st.radio("Cover sheet type", (UPLOADED, DYNAMIC), index=1, horizontal=True, key="fax_new_cover_type")
    cover: fax.DynamicCover | int | None
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
        saved = fax.dynamic_cover(store(), user)
        if saved != fax.DynamicCover():
            to_name = f" to {saved.recipient}" if saved.recipient else ""
            st.caption(f"From your Dynamic Cover Page{to_name} (Fax > Cover Page); changes here apply to this fax.")
        cover = _dynamic_fields("fax_new", saved)
    files = st.file_uploader(
        "Attachment (PDF and JPEG only)",
        accept_multiple_files=True,
        key="fax_new_files",
        max_upload_size=fax_files.ATTACHMENT_MAX_BYTES // MB,
    )
    with st.expander("Advanced"):
        header = st.text_input("Fax header", key="fax_new_header", help="E.g. the receiver's name, subject or pages")
        station = st.text_input("Station ID", key="fax_new_station", help="Shows on each page of the fax")
    if not _ok_or_cancel("Send", "fax_send", "fax_send_cancel"):
        return
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
            now=now(),
        )
    except _REFUSED as err:
        st.error(plain(err))
        return
    st.session_state["fax_view_next"] = SENT
    _done(f"Fax sent to {fax.fax_number(to)}: {sent.pages} page(s).")


@st.dialog("New cover page", on_dismiss=_close)
def new_cover(_: list[int]) -> None:
    """Upload a cover page: JPEG or a one-page PDF, 200 MB or less (guide p.34)."""
    name = st.text_input("Name", key="fax_cover_name")
    description = st.text_input("Description", key="fax_cover_description")
    upload = st.file_uploader(
        "Upload", key="fax_cover_file", max_upload_size=COVER_PAGE_MAX_BYTES // MB, help="JPEG, or a one-page PDF"
    )
    if _ok_or_cancel("OK", "fax_cover_ok", "fax_cover_cancel", disabled=upload is None) and upload is not None:
        try:
            fax_files.add_cover_page(
                store(),
                user,
                name=name,
                description=description,
                file_name=upload.name,
                content=upload.getvalue(),
                now=now(),
            )
        except _REFUSED as err:
            st.error(plain(err))
            return
        _done(f"Cover page {name.strip()} added.")


@st.dialog("Dynamic Cover Page", on_dismiss=_close)
def dynamic_cover(_: list[int]) -> None:
    """Fill in the dynamic cover page, preview it and keep it for New fax (guide p.34-35)."""
    saved = fax.dynamic_cover(store(), user)
    to = st.text_input("To", value=saved.recipient, key="fax_dyn_to", help="The fax receiver's name")
    cover = replace(_dynamic_fields("fax_dyn", saved), recipient=to)
    with st.container(horizontal=True):
        ok = st.button("OK", key="fax_dyn_ok", type="primary")
        preview = st.button("👁️ Preview", key="fax_dyn_preview")
        cancel = st.button("Cancel", key="fax_dyn_cancel")
    if cancel:
        _close()
        st.rerun()
    if ok:
        fax.save_dynamic_cover(store(), user, cover, now())
        _done("Dynamic cover page saved: New fax uses it.")
    # NOTE: Preview is a plain button that turns the preview on; from then on every run draws the
    # fields as they are, with bytes - not a deferred download that a field's rerun would revoke.
    if preview:
        st.session_state["fax_dyn_shown"] = True
    if st.session_state.get("fax_dyn_shown"):
        st.image(fax_files.preview_cover_png(cover), caption="Preview of the cover page", width=420)
        st.download_button(
            "⬇️ Download the preview (PDF)",
            data=fax_files.preview_cover(cover.recipient, cover),
            file_name="cover-page.pdf",
            mime="application/pdf",
            on_click="ignore",
            key="fax_dyn_preview_pdf",
        )


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
    if _ok_or_cancel("OK", "fax_forward_ok", "fax_forward_cancel", disabled=to is None) and to is not None:
        try:
            copies = fax.forward(store(), user, st.session_state["fax_account"], ids, to, now())
        except _REFUSED as err:
            st.error(plain(err))
            return
        _done(f"Forwarded {len(copies)} fax(es) to {targets[to]}.")


def box_view(box: str) -> None:
    """Inbox or Sent (guide p.33-34): the list with its Download column, New."""
    key = f"fax_{box.lower()}_page"
    page = fax.list_page(store(), user, box, st.session_state.get(key, 1))
    labels = fax.SENT_LABELS if box == SENT else fax.LIST_LABELS
    _table(page, f"fax_{box.lower()}_table", labels)
    with st.container(horizontal=True, vertical_alignment="center", key=f"fax_{box.lower()}_actions"):
        if st.button("➕ New", key="fax_new", help="Send a fax"):
            _open("new")
        st.space("stretch")
        pager(page, key, fax.PAGE_SIZE)


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
    chosen = _table(page, f"fax_monitor_table_{account}_{box}", labels, account)
    with st.container(horizontal=True, vertical_alignment="center", key="fax_monitor_actions"):
        if st.button("🗑️ Delete", key="fax_monitor_delete", disabled=not chosen):
            _open("delete", chosen)
        if st.button("🔁 Resend", key="fax_monitor_resend", disabled=not chosen):
            try:
                again = fax.resend(store(), user, account, chosen, now())
            except _REFUSED as err:
                st.error(plain(err))
            else:
                _done(f"Resent {len(again)} fax(es): see the account's Sent box.")
        if st.button("📨 Forward", key="fax_monitor_forward", disabled=not chosen):
            _open("forward", chosen)
        st.space("stretch")
        pager(page, key, fax.PAGE_SIZE)


try:
    if view in (INBOX, SENT):
        box_view(view)
    elif view == COVERS:
        covers_view()
    else:
        monitor_view()
except PermissionDenied as err:
    st.error(plain(err))
    st.stop()

show_dialog(
    "fax_dialog",
    {"new": new_fax, "cover": new_cover, "dynamic": dynamic_cover, "delete": confirm_delete, "forward": forward_to},
)
