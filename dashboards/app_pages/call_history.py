"""Call History (guide p.12-16): filter, search, page, details, call back, download, act."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import streamlit as st

from dashboards.markdown import plain
from dashboards.session import now, require_user, store
from dashboards.toolbar import page_toolbar
from dashboards.widgets import close_dialog, open_dialog, pager, selectable_table, show_dialog
from fvkit.domain.calls import Direction, Disposition, HistoryFilter
from fvkit.domain.clock import local_midnight
from fvkit.domain.org import Privilege
from fvkit.domain.screens import Screen
from fvkit.portal import block_list, call_history, contact
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.runtime import SEARCH_FIELDS, CannotDial
from pipelines import call_records

page_toolbar(Screen.CALL_HISTORY)
COLUMN_WIDTHS = {
    label: st.column_config.Column(width=width)
    for label, width in zip(call_history.LIST_LABELS.values(), (105, 95, 105, 90, 130, 62, 120, 68, 62), strict=True)
}
user = require_user()


saved = call_history.saved_searches(store(), user)


def apply_saved() -> None:
    """Put a saved search's filters into the widgets (runs before they are drawn)."""
    chosen_q = saved.get(st.session_state.get("ch_saved_pick") or "")
    if chosen_q is None:
        return
    st.session_state["ch_view"] = chosen_q.view
    st.session_state["ch_direction"] = chosen_q.direction or call_history.ANY
    st.session_state["ch_disposition"] = chosen_q.disposition or call_history.ANY
    st.session_state["ch_search"] = chosen_q.search
    st.session_state["ch_fields"] = list(chosen_q.fields)


with st.container(horizontal=True, vertical_alignment="bottom", key="ch_filters"):
    view = st.selectbox("Show", list(HistoryFilter), key="ch_view", width=140)
    direction = st.selectbox("Direction", [call_history.ANY, *Direction], key="ch_direction", width=150)
    disposition = st.selectbox("Disposition", [call_history.ANY, *Disposition], key="ch_disposition", width=210)
    search = st.text_input("Search", key="ch_search", placeholder="Name or number, then Enter", width=260)
    with st.popover("⚙️ Search settings", key="ch_settings"):
        fields = st.multiselect("Search in", list(SEARCH_FIELDS), default=list(SEARCH_FIELDS), key="ch_fields")
        days = st.date_input("Time range", value=[], key="ch_range", help="Start and end day, in your time zone")
        st.divider()
        st.selectbox("Saved searches", list(saved), index=None, key="ch_saved_pick", placeholder="Pick one")
        with st.container(horizontal=True):
            st.button("Apply", key="ch_saved_apply", on_click=apply_saved, disabled=not saved)
            delete_saved = st.button("Delete", key="ch_saved_delete", disabled=not saved)
        save_name = st.text_input("Save these filters as", key="ch_saved_name", max_chars=60)
        save_clicked = st.button("Save search", key="ch_saved_save")
    with_flow = st.toggle("With call flow", key="ch_with_flow")

since = until = None
if isinstance(days, tuple) and len(days) == 2:
    since, until = local_midnight(days[0], user.time_zone), local_midnight(days[1] + timedelta(days=1), user.time_zone)
try:
    q = call_history.query(
        user,
        view=view or HistoryFilter.ALL,
        direction=direction,
        disposition=disposition,
        search=search,
        fields=tuple(fields),
        since=since,
        until=until,
    )
except call_history.BadSearch as err:
    st.error(plain(err))
    st.stop()

if save_clicked:
    try:
        call_history.save_search(store(), user, save_name, q)
    except call_history.BadSearch as err:
        st.error(plain(err))
    else:
        st.toast(f"Saved search '{plain(save_name.strip())}'.", icon="💾")
if delete_saved and st.session_state.get("ch_saved_pick"):
    call_history.delete_search(store(), user, st.session_state["ch_saved_pick"])
    st.toast("Saved search deleted.", icon="🗑️")

# a changed filter starts again at page 1
signature = repr(q)
if st.session_state.get("ch_query") != signature:
    st.session_state["ch_query"] = signature
    st.session_state["ch_page"] = 1
page = call_history.list_page(store(), user, q, st.session_state["ch_page"])
# actions and messages above the list: on a 1366x768 screen they show without scrolling
actions = st.container(horizontal=True, vertical_alignment="center", key="ch_actions")
notices = st.container(key="ch_notices")
with st.container(horizontal=True, vertical_alignment="center", key="ch_pager"):
    pager(page, "ch_page", call_history.PAGE_SIZE, buttons="ch")


def _open(kind: str, uniqueid: str = "") -> None:
    """Keep a dialog open across reruns until it is done or dismissed."""
    open_dialog("ch_dialog", kind, uniqueid)


def _close() -> None:
    close_dialog("ch_dialog")


selected = selectable_table(
    page.rows,
    page.rows["uniqueid"].to_list(),
    key="ch_table",
    on_cell=lambda uniqueid: _open("details", str(uniqueid)),  # a click on a call opens its details (guide p.13)
    column_order=list(call_history.LIST_LABELS.values()),
    column_config=COLUMN_WIDTHS,  # all nine columns, Call Type too, without sideways scrolling at 1366 px
    height=38 + 35 * max(1, page.rows.height),  # a whole page without an inner scrollbar
)
chosen = [page.rows["uniqueid"][i] for i in selected]


@st.dialog("Call details", width="large", on_dismiss=_close)
def show_details(uniqueid: str) -> None:
    """The call-details view (CH-4, guide p.13)."""
    d = call_history.details(store(), user, uniqueid)
    with st.expander("Call Information", expanded=True):
        for label, value in d.information.items():
            st.markdown(f"**{label}:** {plain(value)}")
    with st.expander("Detail Information", expanded=True):
        left, right = st.columns(2)
        for i, (label, value) in enumerate(d.detail.items()):
            (left if i % 2 == 0 else right).markdown(f"**{label}:** {value}")
    with st.expander("Call Flow", expanded=True):
        st.caption(f"1-{d.flow.height} of {d.flow.height}")
        st.dataframe(d.flow, hide_index=True, key="ch_flow_table")
        st.download_button(
            "Download",
            d.flow.write_csv(include_bom=True),
            file_name=f"call-flow-{uniqueid}.csv",
            mime="text/csv",
            key="ch_flow_download",
        )
        st.plotly_chart(call_history.flow_timeline(d), key="ch_flow_chart")


may_dial = call_history.may_dial(user)  # guide p.56: Basic has no "Contacts and Click to dial"
with actions:
    one = len(chosen) == 1
    if may_dial and st.button(
        "📞 Call", key="ch_call", disabled=not one, help="Call the other party of the selected call"
    ):
        try:
            number = call_history.other_party(store(), user, chosen[0])
            new = call_history.dial(store(), user, number, now())
        except (PermissionDenied, CannotDial) as err:
            notices.error(plain(err))
        else:
            st.session_state["ch_dialled"] = (number, new)
            st.rerun()
    if st.button(
        "🔎 Details", key="ch_details", disabled=not one, help="Call Information, Detail Information, Call Flow"
    ):
        _open("details", chosen[0])


@st.dialog("Download search result", on_dismiss=_close)
def confirm_search_download(_: str = "") -> None:
    """Download > Search Result, after a confirmation (guide p.15 steps 4-5)."""
    flow = " with call flow" if with_flow else ""
    st.write(f"Download the first 20,000 records of the search result{flow}? This can take a while.")
    # NOTE: the file is made when the dialog opens, not on click: a deferred file is forgotten as soon as
    # the dialog closes, and the browser would then fetch nothing; a made file outlives one more run.
    if st.download_button(
        "OK",
        data=call_records.download_search_result(store(), user, q, with_flow=with_flow),
        file_name=f"call-history-{user.number}-search.csv",
        mime="text/csv",
        type="primary",
        key="ch_download_search_ok",
    ):
        _close()
        st.rerun()  # the whole page: the dialog closes after OK


with actions, st.popover("⬇️ Download", key="ch_download"):
    st.download_button(
        "All",
        data=lambda: call_records.download_all(store(), user, q),
        file_name=f"call-history-{user.number}.csv",
        mime="text/csv",
        key="ch_download_all",
        disabled=with_flow,
        help="The filtered list, first 20,000 records. Only with 'With call flow' OFF.",
    )
    if st.button("Search Result", key="ch_download_search", disabled=not q.search, help="Enter a search string first"):
        _open("search")


@st.dialog("Add to Contact", on_dismiss=_close)
def add_to_contact(uniqueid: str) -> None:
    """More Action > Add to Contact (CH-9, guide p.15)."""
    number, name = call_history.counterpart(store(), user, uniqueid)
    with st.form("ch_add_contact_form", border=False):
        display = st.text_input("Display Name", value=name, key="ch_add_name")
        main = st.text_input("Main Number", value=number, key="ch_add_number")
        mobile = st.text_input("Mobile Number", key="ch_add_mobile")
        email = st.text_input("Email", key="ch_add_email")
        description = st.text_input("Description", key="ch_add_description")
        create = st.form_submit_button("Create", type="primary")
    if create:
        try:
            contact.add_contact(
                store(), user, display, main, mobile_number=mobile, email=email, description=description
            )
        except (contact.BadContact, PermissionDenied) as err:
            st.error(plain(err))
        else:
            st.session_state["ch_notice"] = f"{display or main} was added to your personal contacts."
            _close()
            st.rerun()


@st.dialog("Block", on_dismiss=_close)
def block_caller(uniqueid: str) -> None:
    """More Action > Block (CH-10, guide p.16): the number joins the personal block list."""
    number, name = call_history.counterpart(store(), user, uniqueid)
    st.write(f"Block calls from **{plain(name or number)}** ({plain(number)})?")
    description = st.text_input("Description", key="ch_block_description")
    if st.button("Block", type="primary", key="ch_block_ok"):
        try:
            block_list.block_number(store(), user, number, name, description)
        except (contact.BadContact, PermissionDenied) as err:
            st.error(plain(err))
        else:
            st.session_state["ch_notice"] = f"{number} is on your personal block list: its next calls are denied."
            _close()
            st.rerun()


with actions, st.popover("More Action", key="ch_more"):
    one = len(chosen) == 1
    if may_dial and st.button("Add to Contact", key="ch_add", disabled=not one, help="Select one call"):
        _open("add", chosen[0])
    may_block = user.extension.can(Privilege.BLOCK_LIST)
    if st.button(
        "Block",
        key="ch_block",
        disabled=not (one and may_block),
        help="Select one call" if may_block else "Your administrator has not enabled the block list for you",
    ):
        _open("block", chosen[0])
    if may_block and not may_dial and st.button("🚫 Personal Block List", key="ch_block_list"):
        _open("block_list", "")  # Basic access has no Contact screen, where the list lives


@st.dialog("Personal Block List", width="large", on_dismiss=_close)
def own_block_list(_: str) -> None:
    """The numbers the user blocked, to see and remove (CT-10) - for those without the Contact screen."""
    if "ch_bl_note" in st.session_state:
        st.success(st.session_state.pop("ch_bl_note"))
    rows = block_list.entries(store(), user)
    ids = rows["id"].to_list()
    picked = selectable_table(rows, ids, key="ch_bl_table", column_order=list(block_list.BLOCK_LABELS.values()))
    chosen_ids = [int(ids[i]) for i in picked]
    if rows.is_empty():
        st.caption("No numbers blocked: use More Action > Block on a call.")
    with st.container(horizontal=True):
        if st.button("🗑️ Remove", key="ch_bl_remove", disabled=not chosen_ids):
            gone = block_list.unblock(store(), user, chosen_ids)
            st.session_state["ch_bl_note"] = f"{gone} number{'s' if gone != 1 else ''} removed from the block list."
            st.rerun()
        if st.button("Close", key="ch_bl_close"):
            _close()
            st.rerun()


DIALOGS: dict[str, Callable[..., None]] = {
    "details": show_details,
    "search": confirm_search_download,
    "add": add_to_contact,
    "block": block_caller,
    "block_list": own_block_list,
}
show_dialog("ch_dialog", DIALOGS)

if "ch_notice" in st.session_state:
    notices.success(plain(st.session_state.pop("ch_notice")))
if "ch_dialled" in st.session_state:
    number, new = st.session_state.pop("ch_dialled")
    notices.success(f"Called {number}: the call is at the top of your call history (ID {new}).")
