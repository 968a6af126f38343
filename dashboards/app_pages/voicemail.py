"""Voicemail (guide p.17-20): filter, play, delete, mark, forward, download; voicemail options."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.markdown import plain
from dashboards.session import now, require_user, store
from dashboards.toolbar import page_toolbar
from dashboards.widgets import close_dialog, open_dialog, pager, selectable_table, show_dialog
from fvkit.domain.limits import MB, VOICEMAIL_NAME_MAX_BYTES
from fvkit.domain.prefs import ConditionalGreeting, GreetingType, VoicemailName
from fvkit.domain.screens import Screen
from fvkit.portal import voicemail
from fvkit.portal.auth import PermissionDenied
from pipelines import media

page_toolbar(Screen.VOICEMAIL)
user = require_user()

NEW_STYLE = "font-weight: bold"  # guide p.17: new voicemails show in bold
URGENT_STYLE = "color: #d32f2f"  # guide p.17: urgent voicemails show in red
AUDIO_HELP = "A WAVE file (.wav) in PCM format or an MP3 file, 10 MB at most (guide p.19)"
_REFUSED = (voicemail.BadAudio, voicemail.BadOptions, PermissionDenied, LookupError, ValueError)


def _done(kind: str, text: str = "", *, playing: tuple[int, str, bytes] | None = None) -> None:
    """Show `text` after the rerun, and start the list over with nothing selected.

    The player stays only for the voicemail just played: after any other action the
    voicemail may be gone.
    """
    if text:
        st.session_state["vm_flash"] = (kind, text)
    if playing is None:
        st.session_state.pop("vm_playing", None)
    else:
        st.session_state["vm_playing"] = playing
        st.session_state["vm_autoplay"] = True
    st.session_state["vm_generation"] = st.session_state.get("vm_generation", 0) + 1


def _open_dialog(name: str, ids: list[int] | None = None) -> None:
    """Keep a dialog open across reruns until OK, Cancel or its close button."""
    open_dialog("vm_dialog", name, list(ids or []))


def _close_dialog() -> None:
    close_dialog("vm_dialog")


def _plural(n: int) -> str:
    return f"{n} voicemail" + ("" if n == 1 else "s")


# --- filters ---------------------------------------------------------------------------

owners = voicemail.owner_choices(store(), user)
with st.container(horizontal=True, vertical_alignment="bottom", key="vm_filters"):
    owner = None
    if owners:  # VM-2: only for users the administrator shared other boxes with
        owner = st.selectbox(
            "Owner",
            [voicemail.ANY_OWNER, *owners],
            format_func=lambda n: owners.get(n, n),
            key="vm_owner",
            width=260,
        )
    counts = voicemail.counts(store(), user, owner)
    box = st.selectbox(
        "Show",
        voicemail.BOXES,
        format_func=lambda b: f"{b.value} ({counts[b]})",
        key="vm_box",
        width=180,
    )
    signature = (box, owner)
    if st.session_state.get("vm_filter") != signature:  # a new filter starts at page 1
        st.session_state["vm_filter"] = signature
        st.session_state["vm_page"] = 1
        st.session_state["vm_generation"] = st.session_state.get("vm_generation", 0) + 1
    page = voicemail.list_messages(store(), user, box, owner=owner, page=st.session_state["vm_page"])
    # the pager beside the filters: the table's own toolbar takes its top right corner
    pager(page, "vm_page", voicemail.PAGE_SIZE, buttons="vm")

flash = st.session_state.pop("vm_flash", None)
if flash:
    kind, text = flash
    (st.success if kind == "success" else st.error)(plain(text))

playing = st.session_state.get("vm_playing")
if playing:
    with st.container(border=True, horizontal=True, vertical_alignment="center", key="vm_player"):
        st.caption(f"▶️ {plain(playing[1])}", width="content")
        # autoplay right after Play only: later reruns must not start it again
        st.audio(playing[2], format="audio/wav", autoplay=st.session_state.pop("vm_autoplay", False))
        if st.button("✖", key="vm_player_close", help="Close the player", type="tertiary"):
            _done("success")
            st.rerun()


def _style(row: pd.Series) -> list[str]:
    css = [NEW_STYLE if row["is_new"] else "", URGENT_STYLE if row["urgent"] else ""]
    return ["; ".join(c for c in css if c)] * len(row)


frame = page.rows.to_pandas()
selected = selectable_table(
    frame.style.apply(_style, axis=1),
    [int(x) for x in frame["id"]],
    key=f"vm_table_{st.session_state.get('vm_generation', 0)}",
    column_order=page.columns,
)
chosen = [int(frame["id"].iloc[i]) for i in selected]
if not page.total:
    st.info(f"No voicemails in {box.value}.")


# --- dialogs ---------------------------------------------------------------------------


@st.dialog("Delete voicemail", on_dismiss=_close_dialog)
def confirm_delete(ids: list[int]) -> None:
    """Ask before deleting (VM-4)."""
    st.write(f"Delete {_plural(len(ids))}? This cannot be undone.")
    with st.container(horizontal=True):
        if st.button("OK", type="primary", key="vm_delete_ok"):
            _close_dialog()
            try:
                n = voicemail.delete(store(), user, ids)
            except _REFUSED as err:
                _done("error", str(err))
            else:
                _done("success", f"Deleted {_plural(n)}.")
            st.rerun()
        if st.button("Cancel", key="vm_delete_cancel"):
            _close_dialog()
            st.rerun()


@st.dialog("Forward voicemail", on_dismiss=_close_dialog)
def forward_dialog(ids: list[int]) -> None:
    """Forward to another extension (VM-6, guide p.18)."""
    targets = voicemail.forward_targets(store(), user)
    to = st.selectbox("Forward to", list(targets), format_func=lambda n: targets[n], key="vm_forward_to")
    if st.button("OK", type="primary", key="vm_forward_ok", disabled=to is None):
        try:
            copies = voicemail.forward(store(), user, ids, str(to))
        except _REFUSED as err:
            st.error(plain(err))
        else:
            _close_dialog()
            _done("success", f"Forwarded {_plural(len(copies))} to {targets[str(to)]}.")
            st.rerun()


def _upload(label: str, key: str) -> bytes | None:
    upload = st.file_uploader(label, key=key, help=AUDIO_HELP, max_upload_size=VOICEMAIL_NAME_MAX_BYTES // MB)
    return upload.getvalue() if upload is not None else None


def _current(label: str, audio: bytes | None) -> None:
    if audio is not None:
        st.caption(label)
        st.audio(audio, format="audio/wav" if audio[:4] == b"RIFF" else "audio/mpeg")


@st.dialog("Voicemail Options", width="large", on_dismiss=_close_dialog)
def options_dialog(_: list[int]) -> None:
    """Voicemail handling, Name and Greeting (VM-8, guide p.19-20)."""
    opts = voicemail.options(store(), user)
    operator = st.toggle(
        "Voicemail handling",
        value=opts.operator,
        key="vm_opt_operator",
        help="Allow a caller to press 0 to talk to the operator during an announcement",
    )
    names = list(VoicemailName)
    name = st.radio(
        "Name",
        names,
        index=names.index(opts.name),
        horizontal=True,
        key="vm_opt_name",
        help="Standard: the system says your extension number. Personal: your own recording.",
    )
    name_file = None
    if name is VoicemailName.PERSONAL:
        _current("Your recorded name", voicemail.name_audio(store(), user))
        if st.button("📞 Call me", key="vm_opt_call_me", help="Your phone rings: say your name after the tone"):
            st.success(voicemail.call_me(store(), user, now()))
        name_file = _upload("Upload", "vm_opt_name_file")

    kinds = [g for g in GreetingType if g is not GreetingType.SCHEDULED or opts.may_schedule]
    greeting = st.radio(
        "Greeting",
        kinds,
        index=kinds.index(opts.greeting) if opts.greeting in kinds else 0,
        horizontal=True,
        key="vm_opt_greeting",
    )
    files: dict[str, bytes] = {}
    drop: set[str] = set()
    if greeting is GreetingType.STANDARD:
        st.caption("The default system greeting.")
    elif greeting is GreetingType.SIMPLE:
        _current("Current greeting", voicemail.greeting_audio(store(), user, voicemail.SIMPLE))
        data = _upload("Audio file", "vm_opt_simple_file")
        if data is not None:
            files[voicemail.SIMPLE] = data
    elif greeting is GreetingType.CONDITIONAL:
        for case in ConditionalGreeting:
            _current(f"Current {case.value} greeting", voicemail.greeting_audio(store(), user, case.value))
            data = _upload(f"{case.value}: audio file", f"vm_opt_{case.value.lower()}_file")
            if data is not None:
                files[case.value] = data
    else:  # Scheduled: a system schedule and a greeting for it (guide p.20)
        prefix = voicemail.SCHEDULE_PREFIX
        for kind in (k for k in opts.greeting_files if k.startswith(prefix)):
            schedule = kind.removeprefix(prefix)
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(f"**{schedule}**")
                st.audio(voicemail.greeting_audio(store(), user, kind) or b"", format="audio/wav")
                if st.checkbox("Remove", key=f"vm_opt_drop_{schedule}"):
                    drop.add(kind)
        st.caption("New")
        schedule = st.selectbox("Schedule", opts.schedules, key="vm_opt_schedule")
        data = _upload("Greeting", "vm_opt_schedule_file")
        if data is not None and schedule:
            files[voicemail.schedule_kind(schedule)] = data

    if st.button("OK", type="primary", key="vm_opt_ok"):
        form = voicemail.OptionsForm(operator, name, greeting, name_file, files, frozenset(drop))
        try:
            voicemail.save_options(store(), user, form, now())
        except _REFUSED as err:
            st.error(plain(err))
        else:
            _close_dialog()
            _done("success", "Voicemail options saved.")
            st.rerun()


# --- actions ---------------------------------------------------------------------------

# Play and Mark act in the button's callback, so the one run a click starts shows the result.


def _play(message_id: int, label: str) -> None:
    try:
        wav = voicemail.play(store(), user, message_id)
    except _REFUSED as err:
        _done("error", str(err))
    else:
        _done("success", playing=(message_id, label, wav))


def _mark(ids: list[int], how: voicemail.Mark) -> None:
    try:
        n = voicemail.mark(store(), user, ids, how)
    except _REFUSED as err:
        _done("error", str(err))
    else:
        _done("success", f"{how.value.replace('Mark As', 'Marked')}: {_plural(n)}.")


with st.container(horizontal=True, key="vm_actions"):
    none, one = not chosen, len(chosen) == 1
    play_args: tuple[int, str] | None = None
    if one:
        row = frame[frame["id"] == chosen[0]].iloc[0]
        play_args = (chosen[0], f"{row['From']}, {row['Received']}")
    st.button(
        "▶️ Play",
        key="vm_play",
        disabled=play_args is None,
        help="Play the selected voicemail",
        on_click=_play,
        args=play_args,
    )
    if st.button("🗑️ Delete", key="vm_delete", disabled=none):
        _open_dialog("delete", chosen)
    for how in voicemail.Mark:
        st.button(how.value, key=f"vm_mark_{how.name.lower()}", disabled=none, on_click=_mark, args=(chosen, how))
    if st.button("↪️ Forward", key="vm_forward", disabled=none):
        _open_dialog("forward", chosen)

    if one:
        (header,) = voicemail.headers(store(), user, chosen)
        st.download_button(
            "⬇️ Download",
            data=lambda: media.voicemail_file(store(), user, header.id)[1],
            file_name=media.file_name(header, user.time_zone),
            mime="audio/wav",
            key="vm_download",
            on_click="ignore",
        )
    elif chosen:
        ids = list(chosen)
        st.download_button(
            "⬇️ Download",
            data=lambda: media.voicemails_tgz(store(), user, ids),
            file_name=f"voicemails_{now():%Y-%m-%d_%H%M}.tgz",
            mime="application/gzip",
            key="vm_download",
            on_click="ignore",
        )
    else:
        st.button("⬇️ Download", key="vm_download_off", disabled=True, help="Select voicemails to download")
    if st.button("⚙️ Voicemail Options", key="vm_options"):
        _open_dialog("options")

DIALOGS = {"delete": confirm_delete, "forward": forward_dialog, "options": options_dialog}
show_dialog("vm_dialog", DIALOGS)
