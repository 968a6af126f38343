"""Conference (guide p.36-39): monthly calendar, new/edit/delete events, Conferencing Options."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import streamlit as st
from streamlit_calendar import calendar

from dashboards.markdown import plain
from dashboards.session import now, require_user, store, today
from dashboards.toolbar import page_toolbar
from dashboards.widgets import close_dialog, open_dialog, selectable_table
from fvkit.domain.limits import ANNOUNCEMENT_MAX_BYTES, MB
from fvkit.domain.screens import Screen
from fvkit.portal import conference, conference_options
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.conference import Attendee, BadEvent, EventForm, OrganizerPin, Repeat

page_toolbar(Screen.CONFERENCE)
user = require_user()

ENDS = ("After", "On date")


if "conf_month" not in st.session_state:
    st.session_state["conf_month"] = today(user).replace(day=1)


def _shift(months: int) -> None:
    first: date = st.session_state["conf_month"]
    index = first.year * 12 + first.month - 1 + months
    st.session_state["conf_month"] = date(index // 12, index % 12 + 1, 1)


def _this_month() -> None:
    st.session_state["conf_month"] = today(user).replace(day=1)


def _open(kind: str, arg: object = None) -> None:
    """Keep a dialog open across reruns until it is done or dismissed."""
    open_dialog("conf_dialog", kind, arg)


def _close() -> None:
    close_dialog("conf_dialog")


def _fill(form: EventForm) -> None:
    """Put an event into the dialog's widgets before they are drawn."""
    s = st.session_state
    s["conf_title"], s["conf_cid"], s["conf_attendee_pin"] = form.title, form.conference_id, form.attendee_pin
    s["conf_org_pin"], s["conf_specific_pin"] = OrganizerPin(form.organizer_pin).value, form.specific_pin
    s["conf_description"], s["conf_location"], s["conf_all_day"] = form.description, form.location, form.all_day
    s["conf_repeat"] = Repeat(form.repeat).value
    s["conf_ends"] = ENDS[1] if form.until else ENDS[0]
    s["conf_count"] = form.count or 5
    # NOTE: the date and time widgets take the event's values as their defaults rather than through
    # session state. A user who types while the dialog is still being drawn sends the widgets' own
    # default as their value; with Streamlit's defaults ("today", "now") the event's times became the
    # current minute ("The end time must be after the start time"), and "now" changes every minute.
    s["conf_when"] = {
        "conf_start_date": form.start.date(),
        "conf_start_time": form.start.time(),
        "conf_end_date": form.end.date(),
        "conf_end_time": form.end.time(),
        "conf_until": form.until or form.start.date() + timedelta(weeks=4),
    }
    for key in s["conf_when"]:
        s.pop(key, None)  # drawn afresh from the new defaults
    s["conf_attendees"] = list(form.attendees)
    s["conf_new_email"] = s["conf_new_name"] = ""
    s["conf_adding"] = False


def open_new(day: date, at: time = time(9)) -> None:
    """New event on a day (clicking a date of the calendar, guide p.37 step 2)."""
    _fill(conference.new_event(store(), user, datetime.combine(day, at), random.SystemRandom()))
    _open("event", None)


def open_edit(event_id: int) -> None:
    """Edit one of the user's events."""
    _fill(conference.get_event(store(), user, event_id))
    _open("event", event_id)


def add_attendee() -> None:
    """Add Attendee > Create (guide p.38): email and display name, checked as they are entered."""
    s = st.session_state
    person = Attendee(str(s.get("conf_new_email", "")), str(s.get("conf_new_name", "")))
    try:
        checked = conference.check_attendee(tuple(s["conf_attendees"]), person)
    except BadEvent as err:
        s["conf_attendee_error"] = str(err)  # the entry stays in the boxes to be corrected
        return
    s["conf_attendees"] = [*s["conf_attendees"], checked]
    s["conf_new_email"] = s["conf_new_name"] = ""
    s["conf_adding"] = False


def _adding(on: bool) -> None:
    st.session_state["conf_adding"] = on
    st.session_state["conf_new_email"] = st.session_state["conf_new_name"] = ""


def drop_attendee(index: int) -> None:
    """Remove one attendee from the list."""
    people = list(st.session_state["conf_attendees"])
    people.pop(index)
    st.session_state["conf_attendees"] = people


@st.dialog("New conference event", width="large", on_dismiss=_close)
def new_event_dialog(_: object = None) -> None:
    """New event (CONF-2, guide p.37-38)."""
    event_form(None)


@st.dialog("Edit conference event", width="large", on_dismiss=_close)
def edit_event_dialog(event_id: int) -> None:
    """Edit one event and all its occurrences (CONF-2)."""
    st.caption("You are changing this event and all its occurrences. To add another event, Cancel and use New event.")
    event_form(event_id)


def event_form(event_id: int | None) -> None:
    """The New/Edit event form (CONF-2, guide p.37-38)."""
    st.text_input("Title *", key="conf_title", max_chars=conference.MAX_TITLE)
    left, right = st.columns(2)
    left.text_input("Conference ID", key="conf_cid", disabled=True)
    right.text_input("Attendee PIN", key="conf_attendee_pin", max_chars=conference.MAX_PIN)
    mode = st.radio("Organizer PIN", [m.value for m in OrganizerPin], key="conf_org_pin", horizontal=True)
    if mode == OrganizerPin.SPECIFIC:
        help_text = (
            "Leave empty to keep the current PIN" if event_id is not None else "Suggested; change it if you like"
        )
        st.text_input("Specific PIN", key="conf_specific_pin", max_chars=conference.MAX_PIN, help=help_text)
    st.text_area("Description", key="conf_description", height=68)
    st.text_input("Location", key="conf_location")
    all_day = st.checkbox("All day event", key="conf_all_day")
    st.caption(f"Times are in your time zone, {user.time_zone} (Preferences > Display Preference).")
    when = st.session_state["conf_when"]
    a, b, c, d = st.columns(4)
    a.date_input("Start date", value=when["conf_start_date"], key="conf_start_date")
    b.time_input(
        "Start time", value=when["conf_start_time"], key="conf_start_time", disabled=all_day, step=timedelta(minutes=15)
    )
    c.date_input("End date", value=when["conf_end_date"], key="conf_end_date")
    d.time_input(
        "End time", value=when["conf_end_time"], key="conf_end_time", disabled=all_day, step=timedelta(minutes=15)
    )
    r1, r2, r3 = st.columns(3)
    repeat = r1.selectbox("Recurrence", [r.value for r in Repeat], key="conf_repeat")
    if repeat != Repeat.NONE:
        ends = r2.radio("Ends", ENDS, key="conf_ends", horizontal=True)
        if ends == ENDS[0]:
            r3.number_input("Events", min_value=1, max_value=conference.MAX_OCCURRENCES, key="conf_count")
        else:
            r3.date_input("Until", value=when["conf_until"], key="conf_until")

    st.markdown("**Attendees**")
    people: list[Attendee] = st.session_state["conf_attendees"]
    for i, person in enumerate(people):
        with st.container(horizontal=True, vertical_alignment="center", key=f"conf_attendee_row_{i}"):
            st.write(plain(f"{person.display_name} - {person.email}" if person.display_name else person.email))
            st.button("✖", key=f"conf_drop_{i}", on_click=drop_attendee, args=(i,), help="Remove this attendee")
    if not st.session_state.get("conf_adding"):
        st.button("Add Attendee", key="conf_add_attendee", on_click=_adding, args=(True,))
    else:
        with st.container(horizontal=True, vertical_alignment="bottom", key="conf_add_row"):
            st.text_input("Email", key="conf_new_email")
            st.text_input("Display name", key="conf_new_name")
            st.button("Create", key="conf_attendee_create", on_click=add_attendee)
            st.button("Cancel", key="conf_attendee_cancel", on_click=_adding, args=(False,))
        if "conf_attendee_error" in st.session_state:
            st.error(st.session_state.pop("conf_attendee_error"))

    s = st.session_state
    with st.container(horizontal=True, key="conf_event_buttons"):
        ok = st.button("OK", type="primary", key="conf_ok", help="Save and send the invitation emails")
        if st.button("Cancel", key="conf_cancel"):
            _close()
            st.rerun()
    if ok and (s["conf_start_date"] is None or s["conf_end_date"] is None):
        st.error("Choose the start and end dates.")
    elif ok and repeat != Repeat.NONE and s.get("conf_ends") == ENDS[1] and s.get("conf_until") is None:
        st.error("Choose the date the recurrence ends on.")
    elif ok:
        form = EventForm(
            title=s["conf_title"],
            conference_id=s["conf_cid"],
            attendee_pin=s["conf_attendee_pin"],
            start=datetime.combine(s["conf_start_date"], s["conf_start_time"] or time(0)),
            end=datetime.combine(s["conf_end_date"], s["conf_end_time"] or time(0)),
            organizer_pin=s["conf_org_pin"],
            specific_pin=s.get("conf_specific_pin", ""),
            description=s["conf_description"],
            location=s["conf_location"],
            all_day=s["conf_all_day"],
            repeat=s["conf_repeat"],
            count=int(s["conf_count"]) if repeat != Repeat.NONE and s.get("conf_ends") == ENDS[0] else None,
            until=s["conf_until"] if repeat != Repeat.NONE and s.get("conf_ends") == ENDS[1] else None,
            attendees=tuple(people),
        )
        try:
            saved = conference.save_event(store(), user, form, now(), event_id=event_id)
        except (BadEvent, PermissionDenied) as err:
            st.error(plain(err))
        except OSError as err:  # saved, but the mail server did not take the invitations
            st.session_state["conf_notice"] = f"The event is saved, but the invitations were not sent: {err}"
            _close()
            st.rerun()
        else:
            sent = len(saved.sent)
            st.session_state["conf_notice"] = f"Saved '{form.title.strip()}'." + (
                f" Invitation sent to {sent} attendee{'s' if sent != 1 else ''}." if sent else ""
            )
            s["conf_month"] = form.start.date().replace(day=1)
            _close()
            st.rerun()


@st.dialog("Delete event", on_dismiss=_close)
def delete_dialog(event_id: int) -> None:
    """Delete one of the user's events, after a confirmation."""
    event = conference.get_event(store(), user, event_id)
    st.write(f"Delete **{plain(event.title)}** and all its occurrences?")
    if st.button("Delete", type="primary", key="conf_delete_ok"):
        conference.delete_event(store(), user, event_id)
        st.session_state["conf_notice"] = f"Deleted '{event.title}'."
        _close()
        st.rerun()


def _upload_announcement() -> None:
    """Upload, select the file, Open (guide p.39 step 3): the file is checked and saved as it arrives."""
    upload = st.session_state.get("conf_upload")
    if upload is None:
        return
    try:
        conference_options.upload_announcement(store(), user, upload.getvalue(), now())
    except BadEvent as err:
        st.session_state["conf_upload_error"] = f"{upload.name}: {err}"
    else:
        st.session_state["conf_options_notice"] = f"{upload.name} is your conference announcement."


@st.dialog("Conferencing Options", on_dismiss=_close)
def options_dialog(_: object = None) -> None:
    """The conference announcement (CONF-5, guide p.38-39): Call me or Upload."""
    st.write("The greeting attendees hear after they enter the conference ID.")
    current = conference_options.announcement_audio(store(), user)
    if current is not None:
        st.audio(current, format="audio/wav")
    else:
        st.caption("No announcement yet.")
    if st.button("📞 Call me", key="conf_call_me", help="Your phone rings; follow the prompts to record"):
        st.session_state["conf_options_notice"] = conference_options.call_me_announcement(store(), user, now())
        st.rerun()
    st.file_uploader(
        "Upload",
        key="conf_upload",
        help="WAV, mono, 8 kHz (8000 Hz), 16-bit PCM",
        type=None,
        max_upload_size=ANNOUNCEMENT_MAX_BYTES // MB,
        on_change=_upload_announcement,
    )
    if "conf_upload_error" in st.session_state:
        st.error(plain(st.session_state.pop("conf_upload_error")))
    if "conf_options_notice" in st.session_state:
        st.success(plain(st.session_state.pop("conf_options_notice")))
    if st.button("Close", key="conf_options_close"):
        _close()
        st.rerun()


month: date = st.session_state["conf_month"]
with st.container(horizontal=True, vertical_alignment="center", key="conf_bar"):
    st.button("◀", key="conf_prev", on_click=_shift, args=(-1,), help="Previous month")
    st.markdown(f"**{month.strftime('%B %Y')}**", width="content")
    st.button("▶", key="conf_next", on_click=_shift, args=(1,), help="Next month")
    st.button("Today", key="conf_today", on_click=_this_month)
    st.space("stretch")
    if st.button("➕ New event", key="conf_new", type="primary"):
        start = today(user) if month.replace(day=1) == today(user).replace(day=1) else month
        open_new(start)
    if st.button("⚙️ Conferencing Options", key="conf_options"):
        _open("options")

since, until = conference.month_span(month)
items = conference.occurrences(store(), user, since, until)
clicked = calendar(
    events=conference.calendar_events(items),
    options={
        "initialView": "dayGridMonth",
        "initialDate": month.isoformat(),
        "headerToolbar": {"left": "", "center": "", "right": ""},
        # NOTE: times arrive already in the user's zone; "UTC" shows them as given and makes
        # dateClick's toISOString() carry the clicked day, whatever the browser's zone.
        "timeZone": "UTC",
        "height": 620,
    },
    callbacks=["dateClick", "eventClick"],
    key=f"conf_calendar_{month.isoformat()}_{st.session_state.get('conf_clicks', 0)}",
)
# NOTE: the component keeps returning its last click, and a second click on the same day
# returns the same value; a new key after each click starts it afresh.
if isinstance(clicked, dict) and clicked.get("callback"):
    st.session_state["conf_clicks"] = st.session_state.get("conf_clicks", 0) + 1
    if clicked["callback"] == "dateClick":
        open_new(date.fromisoformat(str(clicked["dateClick"]["date"])[:10]))
    elif clicked["callback"] == "eventClick":
        open_edit(conference.event_of(str(clicked["eventClick"]["event"]["id"])))

st.markdown(f"**Events in {month.strftime('%B %Y')}**")
rows = [r for r in conference.event_rows(items) if str(r["Start"])[:7] == month.isoformat()[:7]]
selected = selectable_table(
    rows,
    [(r["id"], r["Start"]) for r in rows],  # one row per occurrence
    key="conf_table",
    selection_mode="single-row",
    column_order=["Title", "Start", "End", "All day", "Conference ID"],
)
chosen = [int(str(rows[i]["id"])) for i in selected]
with st.container(horizontal=True, key="conf_actions"):
    if st.button("✏️ Edit", key="conf_edit", disabled=not chosen, help="Edit the selected event"):
        open_edit(chosen[0])
    if st.button("🗑️ Delete", key="conf_delete", disabled=not chosen, help="Delete the selected event"):
        _open("delete", chosen[0])

DIALOGS: dict[str, Callable[..., None]] = {
    "event": new_event_dialog,
    "edit": edit_event_dialog,
    "delete": delete_dialog,
    "options": options_dialog,
}
if "conf_dialog" in st.session_state:
    kind, arg = st.session_state["conf_dialog"]
    DIALOGS["edit" if kind == "event" and arg is not None else kind](arg)

if "conf_notice" in st.session_state:
    st.success(plain(st.session_state.pop("conf_notice")))
