"""Contact (guide p.21-25): personal contacts, business contacts, directory, block list."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboards.markdown import plain
from dashboards.session import now, require_user, store
from dashboards.toolbar import page_toolbar
from dashboards.widgets import close_dialog, open_dialog, selectable_table, show_dialog
from fvkit.domain.contacts import SPEED_DIAL_KEYS, Category, ContactList, SortBy
from fvkit.domain.limits import MB
from fvkit.domain.org import Privilege
from fvkit.domain.screens import Screen
from fvkit.portal import block_list, call_history, contact, speed_dial
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.runtime import CannotDial
from pipelines import contacts as contacts_csv

page_toolbar(Screen.CONTACT)
user = require_user()
db = store()
may_block = user.extension.can(Privilege.BLOCK_LIST)
NOT_IMPORTED = "(not imported)"


def _open(name: str, *args: object) -> None:
    """Open a dialog; it stays open over reruns until it finishes or is dismissed."""
    open_dialog("ct_dialog", name, *args)


def _open_from_menu(menu: str, name: str) -> None:
    """Close the popover menu (it would cover the dialog), then open a dialog: a button callback."""
    st.session_state[menu] = False
    _open(name)


def _close() -> None:
    close_dialog("ct_dialog")


def _done(message: str) -> None:
    """Close any dialog, remember a result for the next run, clear the selection, rerun."""
    _close()
    st.session_state["ct_flash"] = message
    st.session_state["ct_gen"] = st.session_state.get("ct_gen", 0) + 1
    st.rerun()


def _contact_form(prefix: str, found: contact.Contact | None) -> dict[str, str]:
    """Draw the contact fields (guide p.21: Main Number is mandatory) and return what is typed."""
    typed = {}
    for field, label in contact.FIELD_LABELS.items():
        shown = f"{label} *" if field == "main_number" else label
        value = str(getattr(found, field)) if found else ""
        typed[field] = st.text_input(shown, value=value, key=f"{prefix}_{field}", max_chars=contact.MAX_TEXT_CHARS)
    return typed


@st.dialog("New contact", on_dismiss=_close)
def new_contact() -> None:
    """Add a personal contact (CT-4, guide p.21)."""
    with st.form("ct_new_form", border=False):
        typed = _contact_form("ct_new", None)
        create = st.form_submit_button("Create", type="primary", key="ct_new_create")
    if create:
        try:
            contact.add_contact(db, user, **typed)  # type: ignore[arg-type]  # text fields only, no favorite
        except (contact.BadContact, PermissionDenied) as err:
            st.error(plain(err))
        else:
            _done(f"Contact {typed['display_name'].strip() or typed['main_number'].strip()} created.")


@st.dialog("Edit contact", on_dismiss=_close)
def edit_contact(contact_id: int) -> None:
    """Edit a personal contact (CT-5, guide p.22)."""
    try:
        found = contact.get_contact(db, user, contact_id)
    except PermissionDenied as err:
        st.error(plain(err))
        return
    with st.form(f"ct_edit_form_{contact_id}", border=False):
        typed = _contact_form(f"ct_edit_{contact_id}", found)
        ok = st.form_submit_button("OK", type="primary", key="ct_edit_ok")
    if ok:
        try:
            saved = contact.edit_contact(db, user, contact_id, **typed)
        except (contact.BadContact, PermissionDenied) as err:
            st.error(plain(err))
        else:
            _done(f"Contact {saved.label} saved.")


@st.dialog("Delete contacts", on_dismiss=_close)
def delete_contacts(ids: list[int], names: list[str]) -> None:
    """Confirm, then delete the selected contacts (CT-5, guide p.22)."""
    st.write(f"Delete {len(ids)} contact{'s' if len(ids) != 1 else ''}: {plain(', '.join(names))}?")
    st.caption("Their speed dials go with them.")
    with st.container(horizontal=True):
        if st.button("Delete", type="primary", key="ct_delete_ok"):
            try:
                gone = contact.delete_contacts(db, user, ids)
            except PermissionDenied as err:
                st.error(plain(err))
            else:
                _done(f"{gone} contact{'s' if gone != 1 else ''} deleted.")
        if st.button("Cancel", key="ct_delete_cancel"):
            _close()
            st.rerun()


@st.dialog("Add to Block List", on_dismiss=_close)
def block_contact(contact_id: int) -> None:
    """Block one of a contact's numbers, with an optional description (CT-10, guide p.25)."""
    try:
        found = contact.get_contact(db, user, contact_id)
    except PermissionDenied as err:
        st.error(plain(err))
        return
    number = st.selectbox("Number", found.numbers, key="ct_block_number")
    description = st.text_input("Description", key="ct_block_description", max_chars=contact.MAX_TEXT_CHARS)
    if st.button("OK", type="primary", key="ct_block_ok"):
        try:
            block_list.block_contact(db, user, found.id, number, description)
        except (contact.BadContact, PermissionDenied) as err:
            st.error(plain(err))
        else:
            _done(f"{number} ({found.label}) added to your block list.")


@st.dialog("Personal Block List", width="large", on_dismiss=_close)
def personal_block_list() -> None:
    """List, add and remove blocked numbers (CT-10, guide p.24-25)."""
    if "ct_bl_note" in st.session_state:
        st.success(plain(st.session_state.pop("ct_bl_note")))
    rows = block_list.entries(db, user)
    gen = st.session_state.get("ct_bl_gen", 0)
    picked = selectable_table(
        rows, rows["id"].to_list(), key=f"ct_bl_table_{gen}", column_order=list(block_list.BLOCK_LABELS.values())
    )
    chosen = [int(rows["id"][i]) for i in picked]
    with st.expander("➕ New", expanded=rows.is_empty()):
        with st.form("ct_bl_form", border=False, clear_on_submit=True):
            number = st.text_input("Number *", key="ct_bl_number", max_chars=contact.MAX_NUMBER_CHARS)
            name = st.text_input("Display name", key="ct_bl_name", max_chars=contact.MAX_TEXT_CHARS)
            description = st.text_input("Description", key="ct_bl_description", max_chars=contact.MAX_TEXT_CHARS)
            create = st.form_submit_button("Create", type="primary", key="ct_bl_create")
        if create:
            try:
                block_list.block_number(db, user, number, name, description)
            except (contact.BadContact, PermissionDenied) as err:
                st.error(plain(err))
            else:
                st.session_state["ct_bl_note"] = f"{number.strip()} blocked."
                st.session_state["ct_bl_gen"] = gen + 1
                st.rerun()
    with st.container(horizontal=True):
        if st.button("🗑️ Remove", key="ct_bl_remove", disabled=not chosen):
            gone = block_list.unblock(db, user, chosen)
            st.session_state["ct_bl_note"] = f"{gone} number{'s' if gone != 1 else ''} removed from the block list."
            st.session_state["ct_bl_gen"] = gen + 1
            st.rerun()
        if st.button("Close", key="ct_bl_close"):
            _close()
            st.rerun()


@st.dialog("Import Contacts", width="large", on_dismiss=_close)
def import_contacts() -> None:
    """Import a CSV file of contacts (CT-6, guide p.22-23)."""
    upload = st.file_uploader(
        "CSV file", type=["csv", "txt"], key="ct_import_file", max_upload_size=contacts_csv.MAX_IMPORT_BYTES // MB
    )
    delete_existing = st.toggle("Delete all existing contacts before importing", value=True, key="ct_import_delete")
    skip_first = st.toggle("Skip CSV first line", value=True, key="ct_import_skip")
    if upload is None:
        st.caption("Choose a CSV file: its first line names the columns you then map to contact fields.")
        return
    data = upload.getvalue()
    try:
        preview = contacts_csv.import_preview(data)
    except contacts_csv.ImportRefused as err:
        st.error(plain(err.message))
        return
    st.markdown(f"**Select Mapping Fields** &nbsp; {preview.rows:,} rows after the first line, {preview.layout}")
    choices: dict[str, str | int] = {}
    left, right = st.columns(2)
    for i, field in enumerate(contacts_csv.MAPPED_FIELDS):
        suggested = f"As the file suggests: {preview.derived[field]}" if field in preview.derived else None
        options = [NOT_IMPORTED, *([suggested] if suggested else []), *preview.columns]
        column = preview.suggested[field]
        default = preview.columns[column - 1] if column else suggested or NOT_IMPORTED
        label = f"{field.value} *" if field is contacts_csv.Field.MAIN else field.value
        picked = (left if i % 2 == 0 else right).selectbox(
            label, options, index=options.index(default), key=f"ct_map_{field.name.lower()}"
        )
        if picked != default:
            choices[field.value] = "" if picked == NOT_IMPORTED else preview.columns.index(picked) + 1
    if st.button("OK", type="primary", key="ct_import_ok"):
        try:
            report = contacts_csv.import_contacts(
                db,
                user,
                data,
                mapping=choices or None,
                delete_existing=delete_existing,
                skip_first_line=skip_first,
            )
        except contacts_csv.ImportRefused as err:
            st.error(plain(err.message))
        except PermissionDenied as err:
            st.error(plain(err))
        else:
            # the skipped rows stay listed until dismissed or the next import
            st.session_state["ct_import_notes"] = [f"Skipped {row}" for row in report.skipped] + report.notes
            _done(report.message)


def _numbers(found: contact.Contact | None) -> list[tuple[str, str]]:
    """Return a contact's numbers that are set, labelled Main, Mobile, Home."""
    if found is None:
        return []
    numbers = zip(("Main", "Mobile", "Home"), (found.main_number, found.mobile_number, found.home_number), strict=True)
    return [(label, n) for label, n in numbers if n]


def _finish(menu: str, message: str) -> None:
    """End a popover action (a button callback): close the menu, show the result, clear the selection."""
    st.session_state[menu] = False
    st.session_state["ct_flash"] = message
    st.session_state["ct_gen"] = st.session_state.get("ct_gen", 0) + 1


def _call(menu: str, number: str) -> None:
    """Place the call (CH-3 click to dial); a button callback."""
    try:
        new = call_history.dial(db, user, number, now())
    except (PermissionDenied, CannotDial) as err:
        st.session_state[menu] = False
        st.session_state["ct_error"] = str(err)
    else:
        _finish(menu, f"Called {number}: the call is at the top of your call history (ID {new}).")


def _call_menu(numbers: list[tuple[str, str]], key: str) -> None:
    """Draw 📞 Call: one button per number of the selected entry (CT-3, guide p.21)."""
    with st.popover("📞 Call", disabled=not numbers, key=key, on_change="rerun"):
        for i, (label, number) in enumerate(numbers):
            st.button(f"{label}: {number}", key=f"{key}_{i}", on_click=_call, args=(key, number))


def _add_speed_dial(contact_id: int) -> None:
    """Put the chosen number on the chosen key; on a refusal the menu stays open with the reason."""
    try:
        dial = speed_dial.add_speed_dial(
            db, user, contact_id, st.session_state["ct_speed_key"], st.session_state["ct_speed_number"]
        )
    except (contact.BadContact, PermissionDenied) as err:
        st.session_state["ct_speed_error"] = str(err)
    else:
        _finish("ct_speed", f"Speed dial {dial.label} added.")


def _remove_speed_dial(keypad: int) -> None:
    try:
        speed_dial.remove_speed_dial(db, user, keypad)
    except contact.BadContact as err:
        st.session_state["ct_speed_error"] = str(err)
    else:
        _finish("ct_speed", f"Speed dial key {keypad} removed.")


def _speed_dial_menu(found: contact.Contact | None) -> None:
    """Draw Speed dial: add one of the contact's numbers to a key pad number, or remove (CT-9)."""
    dials = speed_dial.speed_dials(db, user)
    taken = {d.keypad: d for d in dials}
    with st.popover("⚡ Speed dial", disabled=found is None, key="ct_speed", on_change="rerun"):
        if found is None:
            return
        if "ct_speed_error" in st.session_state:
            st.error(plain(st.session_state.pop("ct_speed_error")))
        st.markdown("**Add to Speed Dial**")
        st.selectbox("Number", found.numbers, key="ct_speed_number")
        st.selectbox(
            "Key pad number",
            SPEED_DIAL_KEYS,
            format_func=lambda k: f"{k} - taken: {taken[k].who}" if k in taken else f"{k} - free",
            index=next((i for i, k in enumerate(SPEED_DIAL_KEYS) if k not in taken), 0),
            key="ct_speed_key",
        )
        st.button("OK", type="primary", key="ct_speed_ok", on_click=_add_speed_dial, args=(found.id,))
        mine = [d for d in dials if d.contact_id == found.id]
        if mine:
            st.markdown("**Remove from Speed Dial**")
        for d in mine:
            st.button(
                f"Remove key {d.keypad} ({d.number})",
                key=f"ct_speed_remove_{d.keypad}",
                on_click=_remove_speed_dial,
                args=(d.keypad,),
            )
        if dials:
            st.caption("Keys in use: " + "; ".join(d.label for d in dials))


def personal(kind_box: DeltaGenerator) -> None:
    """The Personal Contact list with its actions (CT-2..CT-10)."""
    with kind_box:
        sort_by = st.selectbox("Sort By", list(SortBy), key="ct_sort", width=170)
        category = st.selectbox("Category", list(Category), key="ct_category", width=150)
        st.space("stretch")
        if may_block and st.button("🚫 Personal Block List", key="ct_block_list"):
            _open("block_list")
        with st.popover("⋮", key="ct_more", help="Import or export contacts", on_change="rerun"):
            st.button("Import", key="ct_import", icon="📥", on_click=_open_from_menu, args=("ct_more", "import"))
            st.download_button(
                "Export",
                data=lambda: contacts_csv.export_contacts(db, user),
                file_name=f"contacts-{user.number}.csv",
                mime="text/csv",
                key="ct_export",
                icon="📤",
                on_click="ignore",
            )
    rows = contact.personal_list(db, user, sort_by=sort_by or SortBy.DISPLAY_NAME, category=category or Category.ALL)
    st.caption(f"{rows.height} contact{'s' if rows.height != 1 else ''}")
    gen = st.session_state.get("ct_gen", 0)
    positions = selectable_table(
        rows,
        rows["id"].to_list(),
        key=f"ct_table_{sort_by}_{category}_{gen}",
        column_order=list(contact.PERSONAL_LABELS.values()),
        column_config={"★": st.column_config.TextColumn("★", width=40, help="Favorite")},
    )
    ids = [int(rows["id"][i]) for i in positions]
    names = [str(rows["Display Name"][i] or rows["Main Number"][i]) for i in positions]
    found = contact.get_contact(db, user, ids[0]) if len(ids) == 1 else None
    with st.container(horizontal=True, key="ct_actions"):
        if st.button("➕ New", key="ct_new"):
            _open("new")
        if st.button("✏️ Edit", key="ct_edit", disabled=found is None):
            assert found is not None
            _open("edit", found.id)
        if st.button("🗑️ Delete", key="ct_delete", disabled=not ids):
            _open("delete", ids, names)
        if st.button("⭐ Favorite", key="ct_favorite", disabled=not ids, help="Star or unstar the selected contacts"):
            on = contact.toggle_favorite(db, user, ids)
            _done(f"{', '.join(names)} {'added to' if on else 'removed from'} your favorites.")
        _call_menu(_numbers(found), "ct_call")
        _speed_dial_menu(found)
        if may_block and st.button("🚫 Add to Block List", key="ct_block", disabled=found is None):
            assert found is not None
            _open("block", found.id)


def read_only(kind: ContactList) -> None:
    """The Business Contact or Directory list: read-only, but callable (CT-1, CT-3)."""
    if kind is ContactList.BUSINESS:
        rows = contact.business_list(db, user)
        phones: tuple[str, ...] = ("Main Number", "Mobile Number")
    else:
        rows = contact.directory_list(db, user)
        phones = ("Extension Number",)
    st.caption(f"{rows.height} entries, managed by your administrator")
    picked = selectable_table(
        rows, list(rows.iter_rows()), key=f"ct_{kind.name.lower()}_table", selection_mode="single-row"
    )
    row = rows.row(picked[0], named=True) if picked else {}
    numbers = [(label, str(row[label])) for label in phones if row.get(label)]
    with st.container(horizontal=True, key="ct_ro_actions"):
        _call_menu(numbers, f"ct_{kind.name.lower()}_call")


if "ct_flash" in st.session_state:
    st.success(plain(st.session_state.pop("ct_flash")), icon="✅")
if "ct_error" in st.session_state:
    st.error(plain(st.session_state.pop("ct_error")))
if st.session_state.get("ct_import_notes"):
    notes = st.session_state["ct_import_notes"]
    with st.expander(f"{len(notes)} note{'s' if len(notes) != 1 else ''} on the last import", expanded=True):
        st.dataframe(pl.DataFrame({"Note": notes}), hide_index=True)
        if st.button("Dismiss", key="ct_import_dismiss", type="tertiary"):
            st.session_state.pop("ct_import_notes")
            st.rerun()

filters = st.container(horizontal=True, vertical_alignment="bottom", key="ct_filters")
with filters:
    kind = ContactList(st.selectbox("List", list(ContactList), key="ct_list", width=200) or ContactList.PERSONAL)
if kind is ContactList.PERSONAL:
    personal(filters)
else:
    read_only(kind)

DIALOGS: dict[str, Callable[..., None]] = {
    "new": new_contact,
    "edit": edit_contact,
    "delete": delete_contacts,
    "block": block_contact,
    "block_list": personal_block_list,
    "import": import_contacts,
}
show_dialog("ct_dialog", DIALOGS)
