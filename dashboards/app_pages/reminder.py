"""Reminder (guide p.40-42): calendar views, New/Edit with guests and audio, Copy/Paste, Delete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

import polars as pl
import streamlit as st
from streamlit_calendar import calendar  # type: ignore[import-untyped]

from dashboards.markdown import plain
from dashboards.session import now, require_user, store, today
from dashboards.toolbar import page_toolbar
from dashboards.widgets import close_dialog, open_dialog, selectable_table, show_dialog
from fvkit.domain.clock import to_local
from fvkit.domain.limits import MB, REMINDER_AUDIO_MAX_BYTES
from fvkit.domain.screens import Screen
from fvkit.portal import reminder
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.reminder import AudioUnavailable, BadReminder, Draft

page_toolbar(Screen.REMINDER)
user = require_user()
try:
    guests_on_offer = reminder.available_guests(store(), user)
except PermissionDenied as denied:
    st.error(plain(denied))
    st.stop()
everyone = {**guests_on_offer, user.number: f"{user.number} {user.extension.display_name}"}
EXTERNAL = "external:"  # the selected list's token for an external number


# --- dialogs stay open across reruns until done or dismissed (as on Call History) ---


def _open(kind: str, reminder_id: int = 0) -> None:
    open_dialog("rem_dialog", kind, reminder_id)


def _close() -> None:
    close_dialog("rem_dialog")


def _fill(draft: Draft, reminder_id: int = 0) -> None:
    """Put a reminder into the form's widgets (New, Edit, Paste)."""
    s = st.session_state
    s["rem_filled"] = reminder_id
    s["rem_f_title"], s["rem_f_description"], s["rem_f_location"] = draft.title, draft.description, draft.location
    s["rem_f_frequency"] = draft.frequency
    s["rem_f_ends"] = "After" if draft.count else "On date" if draft.until else "Never"
    s["rem_f_count"] = draft.count or 1
    # NOTE: the date and time widgets take the reminder's values as defaults, not through session
    # state: typing while the dialog is still drawn sends a widget's own default as its value, and
    # Streamlit's ("today", "now") would replace the reminder's (see the Conference page).
    s["rem_when"] = {
        "rem_f_date": draft.start.date(),
        "rem_f_time": draft.start.time(),
        "rem_f_until": draft.until or draft.start.date(),
    }
    for key in s["rem_when"]:
        s.pop(key, None)  # drawn afresh from the new defaults
    # every guest, the viewer among them when it is someone else's reminder (issue 11 item 14)
    s["rem_f_selected"] = [*draft.guests, *(EXTERNAL + x for x in draft.external)]
    for key in ("rem_pick", "rem_pick_external"):
        s.pop(key, None)
    s["rem_f_audio"] = draft.audio
    s["rem_f_audio_sha"] = draft.audio_sha256


def open_new(start: datetime | None = None) -> None:
    """New (guide p.40): an empty form starting at `start`, else at the next full hour."""
    hour = to_local(now(), user.time_zone).replace(minute=0, second=0, microsecond=0)
    _fill(Draft(start=start or hour.replace(hour=min(hour.hour + 1, 23))))
    _open("new")


def open_reminder(reminder_id: int) -> None:
    """Open a reminder from the calendar or the list: editable if it is the user's own."""
    _fill(reminder.draft_of(store(), user, reminder_id), reminder_id)
    _open("edit", reminder_id)


def paste() -> None:
    """Paste (guide p.41): the copied reminder fills the New form."""
    clip = st.session_state.get("rem_clipboard")
    if clip is not None:
        _fill(reminder.paste(clip))


def _form_draft() -> Draft:
    s = st.session_state
    if s.get("rem_f_date") is None:
        raise BadReminder("Choose the start date.")
    frequency = s["rem_f_frequency"]
    ends = s.get("rem_f_ends", "Never") if frequency != "None" else "Never"
    if ends == "On date" and s.get("rem_f_until") is None:
        raise BadReminder("Choose the date the reminder stops on.")
    return Draft(
        title=s["rem_f_title"],
        description=s["rem_f_description"],
        location=s["rem_f_location"],
        start=datetime.combine(s["rem_f_date"], s["rem_f_time"] or time(9)),
        frequency=frequency,
        count=int(s["rem_f_count"]) if ends == "After" else None,
        until=s["rem_f_until"] if ends == "On date" else None,
        guests=tuple(g for g in s["rem_f_selected"] if not g.startswith(EXTERNAL)),
        external=tuple(g.removeprefix(EXTERNAL) for g in s["rem_f_selected"] if g.startswith(EXTERNAL)),
        audio=s["rem_f_audio"],
        audio_sha256=s.get("rem_f_audio_sha"),
    )


def _audio_section(read_only: bool) -> None:
    """Reminder audio (REM-3, guide p.41): Default beep or a Customized message."""
    choice = st.radio("Reminder audio", reminder.AUDIO_CHOICES, key="rem_f_audio", horizontal=True, disabled=read_only)
    if choice == "Default":
        st.caption("A beep is sent to the guests' phones.")
        st.audio(reminder.default_beep_wav(), format="audio/wav")
        try:
            gsm = reminder.default_beep_gsm()
        except AudioUnavailable as err:
            st.caption(plain(err))
        else:
            st.download_button("💾 Save GSM", gsm, file_name="reminder-beep.gsm", mime="audio/x-gsm", key="rem_gsm")
        return
    sha = st.session_state.get("rem_f_audio_sha")
    if sha:
        st.audio(reminder.audio_wav(store(), user, sha), format="audio/wav")
    if read_only:
        return
    with st.expander("Create New", expanded=not sha):
        with st.container(horizontal=True, vertical_alignment="bottom"):
            phone = st.selectbox("Extension", [user.number, *guests_on_offer], key="rem_callme_ext", width=160)
            script = st.text_input("What you will say", key="rem_callme_script", placeholder="This is your reminder.")
            if st.button("📞 Call me", key="rem_callme"):
                st.session_state["rem_f_audio_sha"] = reminder.call_me(store(), user, phone, script, now())
                st.rerun()
        upload = st.file_uploader(
            "Upload (WAV PCM, at most 5 MB)", key="rem_upload", max_upload_size=REMINDER_AUDIO_MAX_BYTES // MB
        )
        if upload is not None and st.button("Upload", key="rem_upload_ok"):
            try:
                st.session_state["rem_f_audio_sha"] = reminder.upload_audio(store(), user, upload.getvalue(), now())
            except BadReminder as err:
                st.error(plain(err))
            else:
                st.rerun()


def _form(read_only: bool) -> None:
    """The reminder's fields (REM-2, guide p.40-41)."""
    st.text_input("Title", key="rem_f_title", max_chars=reminder.MAX_TITLE_CHARS, disabled=read_only)
    st.text_area("Description", key="rem_f_description", height=68, disabled=read_only)
    st.text_input("Location", key="rem_f_location", disabled=read_only)
    with st.container(horizontal=True):
        when = st.session_state["rem_when"]
        st.date_input(f"Start date ({user.time_zone})", value=when["rem_f_date"], key="rem_f_date", disabled=read_only)
        st.time_input("Start time", value=when["rem_f_time"], key="rem_f_time", step=300, disabled=read_only)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        frequency = st.selectbox("Recurrence", reminder.FREQUENCIES, key="rem_f_frequency", disabled=read_only)
        if frequency != "None":
            ends = st.selectbox("Ends", ("Never", "After", "On date"), key="rem_f_ends", disabled=read_only)
            if ends == "After":
                st.number_input("Times", 1, reminder.MAX_COUNT, key="rem_f_count", disabled=read_only)
            elif ends == "On date":
                st.date_input("Until", value=when["rem_f_until"], key="rem_f_until", disabled=read_only)
    _guests(read_only)
    _audio_section(read_only)


def _guest_label(guest: str) -> str:
    if guest.startswith(EXTERNAL):
        return f"📞 {guest.removeprefix(EXTERNAL)} (external)"
    return everyone.get(guest, guest)


def _move_right() -> None:
    """The arrow right icon (>): the available and external picks join the selected list (guide p.41)."""
    s = st.session_state
    picked = [*s.get("rem_pick", [])]
    typed = s.get("rem_pick_external", "").strip()
    if typed:
        try:
            picked.append(EXTERNAL + reminder.external_number(typed))
        except BadReminder as err:
            s["rem_guest_error"] = str(err)
            return
    s["rem_f_selected"] = list(dict.fromkeys([*s.get("rem_f_selected", []), *picked]))
    s["rem_pick"], s["rem_pick_external"] = [], ""


def _guests(read_only: bool) -> None:
    """Guest (guide p.41): pick from the available and external lists, > moves them to the selected list."""
    selected: list[str] = st.session_state.setdefault("rem_f_selected", [])
    st.markdown("**Guest**")
    if not read_only:
        with st.container(horizontal=True, vertical_alignment="bottom", key="rem_guest_pickers"):
            st.multiselect(
                "Available", [n for n in guests_on_offer if n not in selected], key="rem_pick",
                format_func=guests_on_offer.__getitem__, placeholder="Extensions", width=360,
            )  # fmt: skip
            st.text_input("External", key="rem_pick_external", placeholder="Phone number", width=200)
            st.button("\\>", key="rem_guest_add", on_click=_move_right, help="Add to the selected list")
        if "rem_guest_error" in st.session_state:
            st.error(st.session_state.pop("rem_guest_error"))
    # NOTE: its options are its value, so the list shows every guest; x on a guest takes it off the list
    st.multiselect(
        "Selected", list(selected), key="rem_f_selected", format_func=_guest_label, disabled=read_only,
        placeholder="No guests yet: pick them above and click >",
        help="Guests in the selected list receive the reminder call",
    )  # fmt: skip


def _copy(draft: Draft) -> None:
    st.session_state["rem_clipboard"] = draft
    st.session_state["rem_notice"] = f"Copied '{draft.title}': click New, then Paste."


@st.dialog("New reminder", width="large", on_dismiss=_close)
def new_dialog(_: int = 0) -> None:
    """New, with Paste of a copied reminder (REM-2, REM-4)."""
    clip = st.session_state.get("rem_clipboard")
    st.button("📋 Paste", key="rem_paste", on_click=paste, disabled=clip is None,
              help=f"Fill the form with '{clip.title}'" if clip else "Copy a reminder first")  # fmt: skip
    _form(read_only=False)
    if st.button("OK", type="primary", key="rem_ok"):
        try:
            reminder.create(store(), user, _form_draft())
        except BadReminder as err:
            st.error(plain(err))
        else:
            st.session_state["rem_notice"] = f"Reminder '{st.session_state['rem_f_title'].strip()}' saved."
            _close()
            st.rerun()


@st.dialog("Reminder", width="large", on_dismiss=_close)
def edit_dialog(reminder_id: int) -> None:
    """Open a reminder: edit or delete one's own; others' and the system's are read-only (REM-5)."""
    if st.session_state.get("rem_filled") != reminder_id:  # opened from the calendar
        _fill(reminder.draft_of(store(), user, reminder_id), reminder_id)
    editable = reminder.is_editable(store(), user, reminder_id)
    if not editable:
        st.info("Set by another user or the system: read-only.")
    _form(read_only=not editable)
    with st.container(horizontal=True):
        if editable and st.button("OK", type="primary", key="rem_ok"):
            try:
                reminder.update(store(), user, reminder_id, _form_draft())
            except (BadReminder, PermissionDenied) as err:
                st.error(plain(err))
            else:
                st.session_state["rem_notice"] = "Reminder saved."
                _close()
                st.rerun()
        if st.button("📄 Copy", key="rem_copy"):
            _copy(reminder.draft_of(store(), user, reminder_id))
            _close()
            st.rerun()
        if editable and st.button("🗑️ Delete", key="rem_delete"):
            _open("delete", reminder_id)
            st.rerun()


@st.dialog("Delete reminder", on_dismiss=_close)
def delete_dialog(reminder_id: int) -> None:
    """Delete, after the popup's OK (guide p.42)."""
    st.write(f"Delete the reminder **{plain(st.session_state.get('rem_f_title', ''))}**?")
    if st.button("OK", type="primary", key="rem_delete_ok"):
        try:
            reminder.delete(store(), user, reminder_id)
        except PermissionDenied as err:
            st.error(plain(err))
        else:
            st.session_state["rem_notice"] = "Reminder deleted."
            _close()
            st.rerun()


# --- the calendar (REM-1) ---

with st.container(horizontal=True, vertical_alignment="bottom", key="rem_bar"):
    st.button("➕ New", key="rem_new", on_click=open_new, type="primary")
    clip = st.session_state.get("rem_clipboard")
    if clip is not None:
        st.caption(f"📋 Copied: {plain(clip.title)}")
    st.space("stretch")
    day = st.date_input("Date", value=today(user), key="rem_day", width=150)
    view = st.segmented_control("View", list(reminder.VIEWS), default="Month", key="rem_view") or "Month"

shown = reminder.in_view(store(), user, view, day)
clicked = calendar(
    events=reminder.calendar_events(shown),
    options={
        "initialView": reminder.VIEWS[view],
        "initialDate": day.isoformat(),
        "headerToolbar": {"left": "", "center": "title", "right": ""},
        "height": 720,
        "scrollTime": "07:00:00",
        # events carry the user's wall-clock times already; no now-indicator, it would use UTC
        "timeZone": "UTC",
    },
    callbacks=["dateClick", "eventClick"],
    custom_css=".fc { font-family: sans-serif; letter-spacing: normal; }",  # the iframe has no app font
    key=f"rem_calendar_{view}_{day.isoformat()}_{st.session_state.get('rem_clicks', 0)}",
)
# NOTE: the component keeps returning its last click, and a second click on the same day returns
# the same value; a new key after each click starts it afresh (as on the Conference page).
if isinstance(clicked, dict) and clicked.get("callback") in ("dateClick", "eventClick"):
    st.session_state["rem_clicks"] = st.session_state.get("rem_clicks", 0) + 1
    if clicked["callback"] == "eventClick":
        open_reminder(reminder.reminder_of(str(clicked["eventClick"]["event"]["id"])))
    else:  # a day (month view) or a time slot (week, day): a NEW reminder there, whatever it already holds
        when = str(clicked["dateClick"]["date"])
        at = time.fromisoformat(when[11:16]) if len(when) > 10 and not clicked["dateClick"].get("allDay") else time(9)
        open_new(datetime.combine(date.fromisoformat(when[:10]), at))

st.caption(f"{len(shown)} reminder(s) in this {view.lower()} view")
listing = pl.DataFrame(
    {
        "Start": [o.start for o in shown],
        "Title": [o.title for o in shown],
        "Set by": [o.owner for o in shown],
        "Access": ["Edit" if o.editable else "Read-only" for o in shown],
    },
    schema={"Start": pl.String, "Title": pl.String, "Set by": pl.String, "Access": pl.String},
)
selected = selectable_table(
    listing, [(o.reminder, o.start_iso) for o in shown], key="rem_table", selection_mode="single-row",
    height=38 + 35 * max(1, len(shown)),
)  # fmt: skip
picked = shown[selected[0]] if selected else None
with st.container(horizontal=True, key="rem_actions"):
    if st.button("🔎 Open", key="rem_open", disabled=picked is None, help="Select a reminder in the list"):
        assert picked is not None
        open_reminder(picked.reminder)
    if st.button("📄 Copy", key="rem_list_copy", disabled=picked is None):
        assert picked is not None
        _copy(reminder.draft_of(store(), user, picked.reminder))
        st.rerun()
    if st.button("🗑️ Delete", key="rem_list_delete", disabled=picked is None or not picked.editable):
        assert picked is not None
        open_reminder(picked.reminder)
        _open("delete", picked.reminder)

DIALOGS: dict[str, Callable[..., None]] = {"new": new_dialog, "edit": edit_dialog, "delete": delete_dialog}
show_dialog("rem_dialog", DIALOGS)

if "rem_notice" in st.session_state:
    st.success(plain(st.session_state.pop("rem_notice")))
