"""Preferences (guide p.56-60): user setting, display, incoming calls, quick mode, twinning, notifications."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboards.markdown import plain
from dashboards.session import USER_KEY, current_token, now, require_user, store
from dashboards.toolbar import page_toolbar
from dashboards.widgets import close_dialog, open_dialog, show_dialog
from fvkit.domain.handling import QuickModeCode, TwinningMode, TwinningStatus
from fvkit.domain.limits import MB, PICTURE_MAX_BYTES, TWINNING_MAX_SCHEDULES
from fvkit.domain.prefs import PHONE_LANGUAGES, TIME_ZONES, WEB_LANGUAGES, Theme, VoicemailNotification
from fvkit.domain.screens import Screen
from fvkit.portal import preferences
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.preferences import BadPreference

page_toolbar(Screen.PREFERENCES)
user = require_user()


def _done(message: str) -> None:
    """Show a notice after the rerun that redraws the page with the saved values."""
    st.session_state["pref_notice"] = message
    st.rerun()


if "pref_notice" in st.session_state:
    st.success(plain(st.session_state.pop("pref_notice")))


def _open(kind: str, arg: str = "") -> None:
    """Keep a dialog open across reruns until it is done or dismissed."""
    open_dialog("pref_dialog", kind, arg)


def _close() -> None:
    close_dialog("pref_dialog")


def _bold_code(code: QuickModeCode) -> str:
    """Return a feature code in bold; its star escaped, or Markdown reads it as emphasis."""
    return "**\\" + code.value + "**"


# --- User Setting (PREF-1..4) --------------------------------------------------------

setting = preferences.user_setting(store(), user)
with st.container(border=True, key="pref_user"):
    st.markdown("#### User Setting")
    with st.container(horizontal=True, key="pref_user_fields"):
        st.text_input("Number", setting.number, disabled=True, key="pref_number", width=160)
        st.text_input("Display name", setting.display_name, disabled=True, key="pref_display_name", width=260)
        st.text_input("Access Level", setting.access_level.value, disabled=True, key="pref_access_level", width=160)
    st.dataframe(preferences.access_table(setting.access_level), hide_index=True, key="pref_access_table")

    st.markdown("**Picture**")
    st.caption("JPEG or PNG, width/height ratio between 0.85 and 1.2, 5 MB or less (guide p.57).")
    with st.container(horizontal=True, vertical_alignment="bottom", key="pref_picture_row"):
        current = preferences.picture(store(), user)
        if current is not None:
            st.image(current, width=96)
        upload = st.file_uploader(
            "Picture file",
            type=["jpg", "jpeg", "png"],
            key="pref_picture_file",
            max_upload_size=PICTURE_MAX_BYTES // MB,
            width=360,
        )
        if st.button("Upload", key="pref_picture_upload", disabled=upload is None):
            assert upload is not None
            try:
                preferences.upload_picture(store(), user, upload.getvalue(), now())
            except BadPreference as err:
                st.error(plain(err))
            else:
                _done("Picture saved: phones that show pictures display it to the people you call.")
        if st.button("Delete", key="pref_picture_delete", disabled=current is None):
            preferences.delete_picture(store(), user, now())
            _done("Picture deleted.")

    with st.container(horizontal=True, key="pref_secrets"):
        st.button("Change Voicemail PIN", key="pref_pin_open", on_click=_open, args=("pin",))
        if setting.may_change_password:
            st.button("Change User Password", key="pref_password_open", on_click=_open, args=("password",))
        st.caption(f"Voicemail PIN hint: {setting.pin_hint or 'none set'}")


@st.dialog("Change Voicemail PIN", on_dismiss=_close)
def change_pin(_: str = "") -> None:
    """Enter and confirm a new PIN (PREF-3, guide p.57)."""
    with st.form("pref_pin_form", border=False):
        pin = st.text_input("New PIN", type="password", key="pref_pin_new", max_chars=preferences.PIN_MAX)
        confirm = st.text_input("Confirm PIN", type="password", key="pref_pin_confirm", max_chars=preferences.PIN_MAX)
        ok = st.form_submit_button("OK", type="primary")
    if ok:
        try:
            hint = preferences.change_vm_pin(store(), user, pin, confirm)
        except BadPreference as err:
            st.error(plain(err))
        else:
            _close()
            _done(f"Voicemail PIN changed (hint {hint}).")


@st.dialog("Change User Password", on_dismiss=_close)
def change_password(_: str = "") -> None:
    """Enter the current password, then a new one twice (PREF-4, guide p.57)."""
    with st.form("pref_password_form", border=False):
        current_pw = st.text_input("Current password", type="password", key="pref_pw_current")
        new = st.text_input("New password", type="password", key="pref_pw_new", max_chars=preferences.PASSWORD_MAX)
        confirm = st.text_input(
            "Confirm password", type="password", key="pref_pw_confirm", max_chars=preferences.PASSWORD_MAX
        )
        ok = st.form_submit_button("OK", type="primary")
    if ok:
        try:
            preferences.change_password(store(), user, current_pw, new, confirm, now=now(), keep_token=current_token())
        except BadPreference as err:
            st.error(plain(err))
        else:
            _close()
            _done("Password changed: use it the next time you sign in.")


# --- Display Preference (PREF-5) -----------------------------------------------------

shown = preferences.display(store(), user)
with st.container(border=True, key="pref_display"):
    st.markdown("#### Display Preference")
    with st.form("pref_display_form", border=False):
        with st.container(horizontal=True):
            phone_language = st.selectbox(
                "Phone language",
                PHONE_LANGUAGES,
                index=PHONE_LANGUAGES.index(shown.phone_language),
                key="pref_phone_language",
                width=200,
            )
            web_language = st.selectbox(
                "Web language",
                WEB_LANGUAGES,
                index=WEB_LANGUAGES.index(shown.web_language),
                key="pref_web_language",
                width=200,
            )
            theme = st.selectbox(
                "Theme", list(Theme), index=list(Theme).index(shown.theme), key="pref_theme", width=160
            )
            zones = list(TIME_ZONES)
            time_zone = st.selectbox(
                "Time zone",
                zones,
                index=zones.index(shown.time_zone) if shown.time_zone in zones else 0,
                format_func=TIME_ZONES.__getitem__,
                key="pref_time_zone",
                width=340,
            )
        display_ok = st.form_submit_button("OK", type="primary")
    if display_ok:
        try:
            new_user = preferences.save_display(
                store(), user, preferences.Display(phone_language, web_language, Theme(theme or shown.theme), time_zone)
            )
        except BadPreference as err:
            st.error(plain(err))
        else:
            # every screen reads the zone from the session's user: it applies at once
            st.session_state[USER_KEY] = new_user
            _done(f"Display preference saved. Times are now shown in {TIME_ZONES[time_zone]}.")

# --- Incoming Calls (PREF-6) ---------------------------------------------------------

calls = preferences.incoming(store(), user)
with st.container(border=True, key="pref_incoming"):
    st.markdown("#### Incoming Calls")
    with st.form("pref_incoming_form", border=False):
        ring = st.number_input(
            "Ring duration (seconds before voicemail)",
            min_value=preferences.RING_MIN_S,
            max_value=preferences.RING_MAX_S,
            value=calls.ring_seconds,
            step=1,
            key="pref_ring",
            width=300,
        )
        waiting = st.toggle("Call waiting", value=calls.call_waiting, key="pref_call_waiting")
        incoming_ok = st.form_submit_button("OK", type="primary")
    if incoming_ok:
        try:
            saved = preferences.save_incoming(store(), user, int(ring), waiting)
        except BadPreference as err:
            st.error(plain(err))
        else:
            _done(f"Incoming calls: ring {saved.ring_seconds} s, call waiting {'on' if saved.call_waiting else 'off'}.")

# --- Quick Mode (PREF-7) -------------------------------------------------------------

quick = preferences.quick_mode(store(), user, now())
with st.container(border=True, key="pref_quick"):
    st.markdown("#### Quick Mode")
    st.markdown(f"**Effective mode:** {quick.effective or ' '}")
    for option in quick.options:
        with st.container(horizontal=True, vertical_alignment="center", key=f"pref_quick_row_{option.code[1:]}"):
            st.markdown(_bold_code(option.code), width=60)
            st.button(
                option.label,
                key=f"pref_quick_edit_{option.code[1:]}",
                type="tertiary",
                icon="✏️",
                help="Change the option and time settings",
                on_click=_open,
                args=("quick", option.code.value),
            )
            st.space("stretch")
            if st.button("Activate", key=f"pref_quick_on_{option.code[1:]}", help=f"As dialling {option.code.value}"):
                view = preferences.activate_quick(store(), user, option.code, now())
                _done(f"Quick mode on: {view.effective}")
    with st.container(horizontal=True, vertical_alignment="center", key="pref_quick_row_720"):
        st.markdown(_bold_code(QuickModeCode.CANCEL), width=60)
        st.caption("Cancel the quick mode and go back to the regular schedule.")
        st.space("stretch")
        if st.button("Cancel quick mode", key="pref_quick_cancel", disabled=quick.status is None):
            preferences.activate_quick(store(), user, QuickModeCode.CANCEL, now())
            _done("Quick mode cancelled.")


@st.dialog("Quick mode", on_dismiss=_close)
def edit_quick(code: str) -> None:
    """The option and time settings of one quick mode (guide p.58)."""
    option = next(o for o in quick.options if o.code.value == code)
    st.markdown(f"**{option.code.value} {option.status.value}**")
    choices = ["Until cancelled", "For a time"]
    how = st.radio("Lasts", choices, index=0 if option.duration_minutes is None else 1, key="pref_quick_how")
    hours = minutes = 0
    if how == choices[1]:
        total = option.duration_minutes or 60
        with st.container(horizontal=True):
            hours = st.number_input("Hours", 0, 24 * 30, total // 60, key="pref_quick_hours", width=140)
            minutes = st.number_input("Minutes", 0, 59, total % 60, key="pref_quick_minutes", width=140)
    if st.button("OK", type="primary", key="pref_quick_ok"):
        duration = None if how == choices[0] else int(hours) * 60 + int(minutes)
        try:
            preferences.save_quick_option(store(), user, option.status, duration)
        except BadPreference as err:
            st.error(plain(err))
        else:
            _close()
            _done(f"{option.status.value} saved.")


# --- Twinning (PREF-8) ---------------------------------------------------------------

if preferences.may_twin(user):
    twin = preferences.twinning(store(), user)
    with st.container(border=True, key="pref_twinning"):
        st.markdown("#### Twinning Setting")
        mode = st.radio(
            "Setting",
            list(TwinningMode),
            index=list(TwinningMode).index(twin.mode),
            key="pref_twin_mode",
            horizontal=True,
        )
        status = TwinningStatus(twin.status)
        number = twin.number
        rows: list[tuple[str, str]] = []
        if mode == TwinningMode.SIMPLE:
            with st.container(horizontal=True):
                status = st.radio(
                    "Operation status",
                    list(TwinningStatus),
                    index=list(TwinningStatus).index(twin.status),
                    key="pref_twin_status",
                    horizontal=True,
                )
                number = st.text_input("Number", twin.number, key="pref_twin_number", max_chars=40, width=260)
        elif mode == TwinningMode.SCHEDULED:
            st.caption(f"Up to {TWINNING_MAX_SCHEDULES} schedules, each with the number it rings.")
            options = ["", *twin.schedules]
            for i in range(TWINNING_MAX_SCHEDULES):
                old = twin.scheduled[i] if i < len(twin.scheduled) else ("", "")
                with st.container(horizontal=True, key=f"pref_twin_row_{i}"):
                    sched = st.selectbox(
                        f"Schedule {i + 1}",
                        options,
                        index=options.index(old[0]) if old[0] in options else 0,
                        key=f"pref_twin_sched_{i}",
                        width=220,
                    )
                    num = st.text_input(f"Number {i + 1}", old[1], key=f"pref_twin_num_{i}", max_chars=40, width=260)
                rows.append((sched, num))
        if st.button("OK", type="primary", key="pref_twin_ok"):
            try:
                preferences.save_twinning(
                    store(), user, mode or twin.mode, status=status, number=number, scheduled=rows
                )
            except (BadPreference, PermissionDenied) as err:
                st.error(plain(err))
            else:
                _done("Twinning setting saved: it applies to your next call.")

# --- Notification Options (PREF-9) ---------------------------------------------------

notes = preferences.notifications(store(), user)
with st.container(border=True, key="pref_notify"):
    st.markdown("#### Notification Options")
    with st.form("pref_notify_form", border=False):
        vm_choices = list(VoicemailNotification)
        vm = st.selectbox(
            "Voicemail", vm_choices, index=vm_choices.index(notes.voicemail), key="pref_notify_vm", width=220
        )
        missed = st.toggle("Missed call", value=notes.missed_call, key="pref_notify_missed")
        emails = st.text_input(
            "Email address",
            ", ".join(notes.emails),
            key="pref_notify_emails",
            help="One or more addresses, separated by commas",
            max_chars=preferences.MAX_EMAILS_CHARS,
        )
        notify_ok = st.form_submit_button("OK", type="primary")
    if notify_ok:
        try:
            preferences.save_notifications(store(), user, vm, missed, emails)
        except BadPreference as err:
            st.error(plain(err))
        else:
            _done("Notification options saved.")

DIALOGS: dict[str, Callable[..., None]] = {"pin": change_pin, "password": change_password, "quick": edit_quick}
show_dialog("pref_dialog", DIALOGS)
