"""Call Handling (guide p.26-30): quick setting, call processes, follow me, sound files."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboards.markdown import plain
from dashboards.session import now, require_user, store
from dashboards.toolbar import page_toolbar
from dashboards.widgets import close_dialog, open_dialog, selectable_table, show_dialog
from fvkit.domain.handling import Action, CallFrom, HandlingStatus, QuickStatus, Rule
from fvkit.domain.limits import ANNOUNCEMENT_MAX_BYTES, DEFAULT_RING_DURATION_S, MB
from fvkit.domain.screens import Screen
from fvkit.portal import call_handling as ch
from fvkit.portal.auth import PermissionDenied

page_toolbar(Screen.CALL_HANDLING)
user = require_user()
ERRORS = (ch.BadHandling, PermissionDenied)
RULE_COLUMNS = ["Schedule", "Call from", "Action", "Info"]


def _open(kind: str, *args: object) -> None:
    """Keep a dialog open across reruns until it is done or dismissed."""
    open_dialog("hd_dialog", kind, *args)


def _close() -> None:
    close_dialog("hd_dialog")


def _try(action: Callable[[], object], notice: str = "") -> bool:
    """Run a service call; show its refusal, or keep a notice for after the rerun."""
    try:
        action()
    except ERRORS as err:
        st.session_state["hd_error"] = str(err)
        return False
    if notice:
        st.session_state["hd_notice"] = notice
    return True


def _forward_changed() -> None:
    """Call forward ON and a number, or OFF, saved as they are set (guide p.26), as Do not disturb is."""
    on = bool(st.session_state["hd_forward"])
    number = str(st.session_state.get("hd_forward_number", "")).strip()
    if on and not number:
        st.session_state["hd_forward_hint"] = "Enter the telephone number to forward the calls to."
        return
    state = f"ON to {number}" if on else "OFF"
    _try(lambda: ch.set_call_forward(store(), user, on, number), f"Call forward is {state}.")


def _dnd_changed() -> None:
    on = bool(st.session_state["hd_dnd"])
    _try(lambda: ch.set_dnd(store(), user, on), f"Do not disturb is {'ON' if on else 'OFF'}.")


# --- Quick setting (HD-1, HD-2) --------------------------------------------------------
quick = ch.quick_setting(store(), user)
st.markdown("##### Quick setting")
with st.container(horizontal=True, vertical_alignment="bottom", key="hd_quick"):
    st.toggle("Do not disturb", value=quick.dnd, key="hd_dnd", on_change=_dnd_changed)
    st.toggle(
        "Call forward",
        value=bool(quick.forward_to),
        key="hd_forward",
        disabled=not quick.may_forward,
        on_change=_forward_changed,
    )
    st.text_input(
        "Forward to",
        value=quick.forward_to,
        key="hd_forward_number",
        disabled=not quick.may_forward,
        placeholder="Number, then Enter",
        width=240,
        on_change=_forward_changed,
    )
if "hd_forward_hint" in st.session_state:
    st.info(st.session_state.pop("hd_forward_hint"))
if not quick.may_forward:
    st.caption("Call forward, Follow me and Forward need the Call forwarding privilege (ask your administrator).")
if quick.quick_status is not None:
    until = f" until {quick.quick_expires:%Y-%m-%d %H:%M} UTC" if quick.quick_expires else ""
    st.info(f"Quick mode **{quick.quick_status}** is on{until}: its Quick call handling applies.")

if "hd_error" in st.session_state:
    st.error(plain(st.session_state.pop("hd_error")))
if "hd_notice" in st.session_state:
    st.success(plain(st.session_state.pop("hd_notice")))


# --- Call processes (HD-3, HD-4, HD-6) --------------------------------------------------
def _prefill(status: str, index: int) -> None:
    """Fill the rule dialog with a rule to edit (index >= 0) or a new one, then open it."""
    process = ch.call_process(store(), user, status)
    offer = ch.choices(store(), user)
    rule = process.rules[index] if index >= 0 else Rule(ch.default_schedule(offer), frozenset(CallFrom), Action.DEFAULT)
    st.session_state["hd_rule_schedule"] = rule.schedule
    st.session_state["hd_rule_from"] = [c.value for c in CallFrom if c in rule.applies_to]
    st.session_state["hd_rule_action"] = rule.action.value
    for a in Action:  # each action keeps its own target widget: no profile name in a number field
        st.session_state[f"hd_rule_target_{a.name}"] = rule.target if a is rule.action else ""
    _new_sound(False)
    _open("rule", status, index)


def call_process(status: HandlingStatus | QuickStatus, prefix: str) -> None:
    """Draw one status's Call Process: System default or User defined, its rules and buttons."""
    process = ch.call_process(store(), user, status)
    labels = [f"System default action ({process.default_action})", "User defined"]
    mode_key = f"hd_{prefix}_mode_{status.name}"

    def changed() -> None:
        on = st.session_state[mode_key] == labels[1]
        _try(lambda: ch.set_user_defined(store(), user, status, on))

    st.session_state[mode_key] = labels[int(process.user_defined)]  # follow the store: New and Delete change it
    st.radio("Call Process", labels, key=mode_key, horizontal=True, on_change=changed)
    if process.user_defined and not process.rules:
        st.caption(
            f"No rule yet: click New. Until then calls get the system default action ({process.default_action})."
        )
    rows = ch.rule_rows(process)
    chosen = selectable_table(
        {col: [r[col] for r in rows] for col in RULE_COLUMNS},  # columns even with no rule
        [repr(r) for r in process.rules],
        key=f"hd_{prefix}_rules_{status.name}",
        column_order=RULE_COLUMNS,
    )
    one = len(chosen) == 1
    with st.container(horizontal=True, key=f"hd_{prefix}_buttons"):
        st.button("+ New...", key=f"hd_{prefix}_new", on_click=_prefill, args=(status.value, -1))
        st.button(
            "Edit...",
            key=f"hd_{prefix}_edit",
            disabled=not one,
            on_click=_prefill,
            args=(status.value, chosen[0] if one else -1),
        )
        if st.button("↑ Up", key=f"hd_{prefix}_up", disabled=not one):
            _try(lambda: ch.move_rule(store(), user, status, chosen[0], up=True))
            st.rerun()
        if st.button("↓ Down", key=f"hd_{prefix}_down", disabled=not one):
            _try(lambda: ch.move_rule(store(), user, status, chosen[0], up=False))
            st.rerun()
        if st.button("🗑️ Delete", key=f"hd_{prefix}_delete", disabled=not chosen):
            _try(lambda: ch.delete_rules(store(), user, status, chosen), f"{len(chosen)} rule(s) deleted.")
            st.rerun()


st.markdown("##### User's call handling")
status = HandlingStatus(
    st.selectbox("Configure how to handle calls when in status:", list(HandlingStatus), key="hd_status", width=300)
    or HandlingStatus.NORMAL
)
if status is HandlingStatus.BLOCK_LIST:
    st.caption("Applies to the numbers on your Personal Block List (Contact > Personal Block List).")
call_process(status, "user")

st.markdown("##### Quick call handling")
quick_status = QuickStatus(
    st.selectbox(
        "Configure how to handle calls when in status:",
        list(QuickStatus),
        index=list(QuickStatus).index(quick.quick_status) if quick.quick_status else 0,  # the mode in force first
        key="hd_quick_status",
        width=300,
    )
    or QuickStatus.OUT_OF_OFFICE
)
st.caption("Applies while you are in this quick mode (Preferences > Quick Mode, or dial *721-*723).")
call_process(quick_status, "quick")


def _new_sound(on: bool) -> None:
    st.session_state["hd_rule_sound_open"] = on
    for key in ("hd_rule_sound_name", "hd_rule_sound_action", "hd_rule_sound_done"):
        st.session_state.pop(key, None)


def _sound_made(name: str, notice: str) -> None:
    """Select the new sound file in the Announcement list, and say so."""
    st.session_state["hd_rule_target_PLAY_ANNOUNCEMENT"] = name
    st.session_state["hd_rule_sound_done"] = notice


def _sound_uploaded() -> None:
    """Action Upload: select the file, Open - the file is checked and saved as it arrives."""
    upload = st.session_state.get("hd_rule_sound_upload")
    name = str(st.session_state.get("hd_rule_sound_name", "")).strip()
    if upload is None:
        return
    try:
        ch.upload_sound_file(store(), user, name, upload.getvalue(), now())
    except ERRORS as err:
        st.session_state["hd_rule_sound_error"] = str(err)
    else:
        _sound_made(name, f"{name} uploaded and chosen as the announcement.")


def _sound_call_me() -> None:
    """Action Call me: the phone rings to record the announcement."""
    if st.session_state.get("hd_rule_sound_action") != "Call me":
        return
    name = str(st.session_state.get("hd_rule_sound_name", "")).strip()
    try:
        _, notice = ch.call_me_sound_file(store(), user, name, now())
    except ERRORS as err:
        st.session_state["hd_rule_sound_error"] = str(err)
        st.session_state["hd_rule_sound_action"] = None
    else:
        _sound_made(name, notice)


def new_sound_form() -> None:
    """New (+) beside the Announcement list (guide p.28 steps 5-8): Name, Action Call me or Upload, Close."""
    with st.container(border=True, key="hd_rule_sound_form"):
        st.markdown("**New sound file**")
        st.text_input("Name", key="hd_rule_sound_name", max_chars=ch.MAX_NAME_CHARS)
        done = st.session_state.get("hd_rule_sound_done")
        if not done:
            action = st.radio(
                "Action",
                ["Call me", "Upload"],
                index=None,
                key="hd_rule_sound_action",
                horizontal=True,
                on_change=_sound_call_me,
            )
            if action == "Upload":
                st.file_uploader(
                    "Sound file (MP3 or WAV, at most 5 MB)",
                    type=["mp3", "wav"],
                    max_upload_size=ANNOUNCEMENT_MAX_BYTES // MB,
                    key="hd_rule_sound_upload",
                    on_change=_sound_uploaded,
                )
        if "hd_rule_sound_error" in st.session_state:
            st.error(st.session_state.pop("hd_rule_sound_error"))
        if done:
            st.success(done)
        st.button("Close", key="hd_rule_sound_close", on_click=_new_sound, args=(False,))


@st.dialog("Call process rule", on_dismiss=_close)
def rule_dialog(status: str, index: int) -> None:
    """New... / Edit...: schedule, callers, action and its target (guide p.27)."""
    offer = ch.choices(store(), user)
    schedule = st.selectbox("Schedule", offer.schedules, key="hd_rule_schedule", format_func=ch.schedule_label)
    st.caption(offer.schedule_details.get(schedule or "", ""))  # the guide's "View": what the schedule covers
    sources = st.multiselect("Call from", [c.value for c in CallFrom], key="hd_rule_from")
    action = Action(st.selectbox("Action", [a.value for a in offer.actions], key="hd_rule_action"))
    targets = {
        Action.FOLLOW_ME: ("Follow me profile", offer.follow_me),
        Action.PLAY_ANNOUNCEMENT: ("Announcement", offer.sound_files),
        Action.AUTO_ATTENDANT: ("Auto attendant", offer.auto_attendants),
    }
    target = ""
    if action in targets:
        label, options = targets[action]
        key = f"hd_rule_target_{action.name}"
        if st.session_state.get(key) not in options:
            st.session_state[key] = options[0] if options else None
        if action is Action.PLAY_ANNOUNCEMENT:
            with st.container(horizontal=True, vertical_alignment="bottom", key="hd_rule_announcement"):
                target = st.selectbox(label, options, key=key) or ""
                st.button("➕ New", key="hd_rule_sound_new", on_click=_new_sound, args=(True,), help="New sound file")
            if st.session_state.get("hd_rule_sound_open"):
                new_sound_form()
        else:
            target = st.selectbox(label, options, key=key) or ""
    elif action is Action.FORWARD:
        target = st.text_input("Forward to number", key=f"hd_rule_target_{action.name}")
    if st.button("OK", type="primary", key="hd_rule_ok"):
        rule = Rule(schedule, frozenset(CallFrom(c) for c in sources), action, target)
        try:
            if index < 0:
                ch.add_rule(store(), user, status, rule)
            else:
                ch.edit_rule(store(), user, status, index, rule)
        except ERRORS as err:
            st.error(plain(err))
        else:
            st.session_state["hd_notice"] = f"{status}: rule saved."
            _close()
            st.rerun()


# --- Follow Me Setting (HD-7) ---------------------------------------------------------
st.markdown("##### Follow Me Setting")
profiles = ch.follow_me_profiles(store(), user)
fm_selected = selectable_table(
    {
        "Name": [p.name for p in profiles],
        "Follow Me Numbers": [" → ".join(f"{n.number} ({n.ring_seconds}s)" for n in p.numbers) for p in profiles],
    },
    [p.name for p in profiles],
    key="hd_fm_table",
    selection_mode="single-row",
    column_order=["Name", "Follow Me Numbers"],
)
fm_chosen = [profiles[i] for i in fm_selected]


def _prefill_profile(index: int) -> None:
    profile = profiles[index] if index >= 0 else None
    st.session_state["hd_fm_name"] = profile.name if profile else ""
    st.session_state["hd_fm_list"] = [(n.number, n.ring_seconds) for n in profile.numbers] if profile else []
    _fm_adding(False)
    _open("profile", profile.name if profile else "")


def _fm_adding(on: bool) -> None:
    st.session_state["hd_fm_adding"] = on
    st.session_state["hd_fm_new_number"] = ""
    st.session_state["hd_fm_new_ring"] = DEFAULT_RING_DURATION_S


def _fm_add() -> None:
    """Follow Me Numbers > New: a number and its Ring duration, OK (guide p.29 step 4)."""
    s = st.session_state
    number = str(s.get("hd_fm_new_number", "")).strip()
    if not number:
        s["hd_fm_error"] = "Enter a phone number."
        return
    s["hd_fm_list"] = [*s["hd_fm_list"], (number, int(s.get("hd_fm_new_ring") or DEFAULT_RING_DURATION_S))]
    _fm_adding(False)


def _fm_drop(index: int) -> None:
    numbers = list(st.session_state["hd_fm_list"])
    numbers.pop(index)
    st.session_state["hd_fm_list"] = numbers


with st.container(horizontal=True, key="hd_fm_buttons"):
    st.button("+ New...", key="hd_fm_new", on_click=_prefill_profile, args=(-1,), disabled=not quick.may_forward)
    st.button(
        "Edit...",
        key="hd_fm_edit",
        on_click=_prefill_profile,
        args=(profiles.index(fm_chosen[0]) if fm_chosen else -1,),
        disabled=not fm_chosen,
    )
    if st.button("🗑️ Delete", key="hd_fm_delete", disabled=not fm_chosen):
        _try(lambda: ch.delete_follow_me(store(), user, fm_chosen[0].name), f"{fm_chosen[0].name} deleted.")
        st.rerun()


@st.dialog("Follow me", on_dismiss=_close)
def profile_dialog(old_name: str) -> None:
    """New / Edit a follow me profile: name and ordered numbers with ring durations (guide p.29)."""
    name = st.text_input("Name", key="hd_fm_name")
    st.markdown("**Follow Me Numbers**")
    st.caption("Dialled in this order; after the last one, your No answer handling applies.")
    numbers: list[tuple[str, int]] = st.session_state.get("hd_fm_list", [])
    for i, (number, ring) in enumerate(numbers):
        with st.container(horizontal=True, vertical_alignment="center", key=f"hd_fm_row_{i}"):
            st.write(f"{i + 1}. {number} - Ring duration {ring} s")
            st.button("✖", key=f"hd_fm_drop_{i}", on_click=_fm_drop, args=(i,), help="Remove this number")
    if not st.session_state.get("hd_fm_adding"):
        st.button("+ New", key="hd_fm_number_new", on_click=_fm_adding, args=(True,), help="Add a number")
    else:
        with st.container(horizontal=True, vertical_alignment="bottom", key="hd_fm_add_row"):
            st.text_input("Phone number", key="hd_fm_new_number", width=200)
            st.number_input(
                "Ring duration (seconds)",
                min_value=ch.MIN_RING_SECONDS,
                max_value=ch.MAX_RING_SECONDS,
                key="hd_fm_new_ring",
                width=170,
            )
            st.button("OK", key="hd_fm_number_ok", on_click=_fm_add)
            st.button("Cancel", key="hd_fm_number_cancel", on_click=_fm_adding, args=(False,))
        if "hd_fm_error" in st.session_state:
            st.error(st.session_state.pop("hd_fm_error"))
    if st.button("OK", type="primary", key="hd_fm_ok"):
        try:
            ch.save_follow_me(store(), user, name, list(numbers), old_name=old_name or None)
        except ERRORS as err:
            st.error(plain(err))
        else:
            st.session_state["hd_notice"] = f"Follow me profile {name.strip()} saved."
            _close()
            st.rerun()


# --- Sound files (HD-5) ---------------------------------------------------------------
st.markdown("##### Sound files")
files = ch.sound_files(store(), user)
sound_selected = selectable_table(
    [
        {
            "Name": f["name"],
            "Description": f["description"],
            "Type": ("Personal, " + ("recorded by phone" if f["recorded"] else "uploaded"))
            if f["personal"]
            else "System",
        }
        for f in files
    ],
    [str(f["id"]) for f in files],
    key="hd_sound_table",
    selection_mode="single-row",
)
picked = [files[i] for i in sound_selected]
if picked:
    st.audio(ch.sound_audio(store(), user, int(str(picked[0]["id"]))))
    if st.button("🗑️ Delete sound file", key="hd_sound_delete", disabled=not picked[0]["personal"]):
        _try(lambda: ch.delete_sound_file(store(), user, int(str(picked[0]["id"]))), "Sound file deleted.")
        st.rerun()
with st.expander("+ New sound file", key="hd_sound_new"):
    sound_name = st.text_input("Name", key="hd_sound_name", max_chars=ch.MAX_NAME_CHARS)
    upload = st.file_uploader(
        "Upload (MP3 or WAV, at most 5 MB)",
        key="hd_sound_file",
        type=["mp3", "wav"],
        max_upload_size=ANNOUNCEMENT_MAX_BYTES // MB,  # the box states the limit and refuses more
    )
    with st.container(horizontal=True):
        if st.button("Upload", key="hd_sound_upload", disabled=upload is None):
            data = upload.getvalue() if upload is not None else b""
            _try(lambda: ch.upload_sound_file(store(), user, sound_name, data, now()), f"{sound_name} uploaded.")
            st.rerun()
        if st.button("📞 Call me", key="hd_sound_callme", help="Record the announcement on your phone"):
            _try(lambda: ch.call_me_sound_file(store(), user, sound_name, now()), ch.CALL_ME_SENT)
            st.rerun()

# --- Twinning (HD-8) ------------------------------------------------------------------
st.markdown("##### Twinning")
st.caption(ch.TWINNING_NOTE)
st.page_link("app_pages/preferences.py", label="Open Preferences", icon="⚙️", width="content")

DIALOGS: dict[str, Callable[..., None]] = {"rule": rule_dialog, "profile": profile_dialog}
show_dialog("hd_dialog", DIALOGS)
