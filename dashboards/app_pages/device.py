"""Device (guide p.43-55): activation email, soft phones, desk phones and Cloud PIN, programmable keys."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboards.markdown import plain
from dashboards.session import now, require_user, store
from dashboards.toolbar import page_toolbar
from dashboards.widgets import close_dialog, open_dialog, selectable_table, show_dialog
from fvkit.domain.keys import KeyFunction
from fvkit.domain.org import KeyOwner
from fvkit.domain.screens import Screen
from fvkit.portal import device
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.display import local_time

page_toolbar(Screen.DEVICE)
user = require_user()


def _open(kind: str, arg: int = 0) -> None:
    """Keep a dialog open across reruns until it is done or dismissed."""
    open_dialog("dev_dialog", kind, arg)


def _close() -> None:
    close_dialog("dev_dialog")


# --- Phone Activation Email (DEV-1) -------------------------------------------------------------
st.markdown("#### Phone Activation Email")


@st.dialog("Send Phone Activation Email", on_dismiss=_close)
def confirm_activation(_: int = 0) -> None:
    """Send the activation email after a confirmation (guide p.43 steps 2-3)."""
    try:
        to = device.activation_recipients(store(), user)
    except device.DeviceError as err:
        st.error(plain(err))
        return
    st.write(
        f"Send the phone activation email to **{', '.join(to)}**? It carries a new Cloud PIN and QR code, "
        "valid 24 hours; earlier ones stop working."
    )
    if st.button("OK", type="primary", key="dev_activation_ok"):
        try:
            sent = device.send_activation_email(store(), user, now())
        except (device.DeviceError, OSError) as err:
            st.error(plain(err))
        else:
            until = local_time(sent.pin.expires_at, user.time_zone)
            st.session_state["dev_notice"] = (
                f"The phone activation email was sent to {', '.join(sent.recipients)}. "
                f"Its Cloud PIN and QR code expire at {until}."
            )
            st.session_state.pop("dev_cloud_pin", None)  # the email's PIN replaced it
            _close()
            st.rerun()


st.button("📧 Send Phone Activation Email", key="dev_activation", on_click=_open, args=("activation",))

# --- Soft Phones (DEV-2, DEV-3, DEV-4) ---------------------------------------------------------------
st.markdown("#### Soft Phones")
soft = device.soft_phones(store(), user)
soft_selected = selectable_table(
    soft,
    soft["id"].to_list(),
    key="dev_soft_table",
    selection_mode="single-row",
    column_order=list(device.SOFT_LABELS.values()),
)
chosen_soft = [int(soft["id"][i]) for i in soft_selected]


@st.dialog("Revoke", on_dismiss=_close)
def confirm_revoke(device_id: int) -> None:
    """Revoke a softclient license after a confirmation (guide p.55 step 4)."""
    row = soft.filter(soft["id"] == device_id)
    shown = f"{row['Phone Info'][0]} ({row['OS Platform'][0]} {row['OS Version'][0]})" if row.height else device_id
    st.write(f"Revoke the softclient license of **{plain(shown)}**? The device will no longer be associated with you.")
    if st.button("Delete", type="primary", key="dev_revoke_ok"):
        try:
            device.revoke(store(), user, device_id)
        except PermissionDenied as err:
            st.error(plain(err))
        else:
            st.session_state["dev_notice"] = f"The softclient license of {shown} was revoked."
            st.session_state.pop("dev_soft_table", None)
            _close()
            st.rerun()


@st.dialog("Mobile Login Information", on_dismiss=_close)
def show_mobile_login(_: int = 0) -> None:
    """The QR code and login details of the mobile softclient (DEV-3, guide p.45-46)."""
    if st.session_state.pop("dev_mobile_new", False):
        login = device.new_mobile_login(store(), user, now())
        st.success("A new QR code was generated: the previous one no longer works.")
    else:  # the QR code last emailed or shown, until it expires
        login = device.mobile_login(store(), user, now())
    st.image(device.qr_png(login), caption="Scan with FortiFone Softclient: Scan QR Code", width=260)
    for label, value in login.details(user.time_zone).items():
        st.markdown(f"**{label}:** `{value}`")
    st.caption(
        "The QR code expires in 24 hours; you can generate a new one. A new QR code - generated here or sent "
        "in a phone activation email - replaces this one, which then stops working."
    )
    st.button("🔄 Generate a new QR code", key="dev_mobile_regenerate", on_click=_regenerate)


def _regenerate() -> None:
    st.session_state["dev_mobile_new"] = True


@st.dialog("Configuration", on_dismiss=_close)
def show_desktop_login(_: int = 0) -> None:
    """The desktop softclient's configuration (DEV-4, guide p.48-49)."""
    st.markdown("**Use this information to configure and log into your desktop softclient account:**")
    for label, value in device.desktop_login(store(), user).items():
        st.markdown(f"**{label}:** {plain(value)}")


with st.container(horizontal=True, key="dev_soft_actions"):
    if st.button("🗑️ Revoke", key="dev_revoke", disabled=not chosen_soft, help="Select a softclient first"):
        _open("revoke", chosen_soft[0])
    st.button("View Mobile Login Information...", key="dev_mobile", on_click=_open, args=("mobile",))
    st.button("View Desktop Login Information...", key="dev_desktop", on_click=_open, args=("desktop",))

# --- Desk Phones (DEV-5) ---------------------------------------------------------------------------------
st.markdown("#### Desk Phones")
st.dataframe(
    device.desk_phones(store(), user),
    column_order=list(device.DESK_LABELS.values()),
    hide_index=True,
    key="dev_desk_table",
)
st.markdown(
    f"**Cloud ID:** {device.grouped_cloud_id(device.cloud_id(store()), '-')} "
    '(please ignore the "-" when input this number on the phone)  \n'
    f"**Extension:** {user.number}"
)
with st.container(horizontal=True, vertical_alignment="center", key="dev_pin_row"):
    pin = st.session_state.get("dev_cloud_pin")
    if isinstance(pin, device.CloudPin) and pin.expires_at > now():
        st.markdown(f"**Cloud PIN:** `{pin.pin}` (expires at {local_time(pin.expires_at, user.time_zone)})")
    else:
        valid_until = device.cloud_pin_expiry(store(), user, now())
        if valid_until is None:
            st.markdown("**Cloud PIN:** To get a Cloud PIN, click Generate")
        else:
            st.markdown(
                f"**Cloud PIN:** one is valid until {local_time(valid_until, user.time_zone)}; Generate shows a new one"
            )
    if st.button("Generate", key="dev_pin_generate", help="A new Cloud PIN, valid 24 hours"):
        st.session_state["dev_cloud_pin"] = device.generate_cloud_pin(store(), user, now())
        st.rerun()

# --- Programmable Key (DEV-6), only for phones that support it (guide p.50) -----------------------------
phones = device.programmable_phones(store(), user)
if phones:
    st.markdown("#### Programmable Key")
    with st.container(horizontal=True, key="dev_key_pickers"):
        phone = st.selectbox("Phone", list(phones), format_func=phones.__getitem__, key="dev_key_phone", width=320)
        pages = device.key_pages(store(), user, phone)
        page_no = st.selectbox("Page", pages, format_func=lambda p: f"Page {p}", key="dev_key_page", width=140)
    keys = device.keys(store(), user, phone, page_no)
    st.dataframe(keys, column_order=list(device.KEY_LABELS.values()), hide_index=True, key="dev_key_table")
    rows = {int(r["Option"]): r for r in keys.iter_rows(named=True) if r["Assigned"] == KeyOwner.USER.value}
    if not rows:
        st.caption("This page has no user-assigned keys: ask your administrator for more.")
    else:
        with st.container(border=True, key="dev_key_editor"):
            position = st.selectbox("Option", list(rows), key="dev_key_option", width=140)
            current = rows[position]
            slot = f"{phone}_{page_no}_{position}"
            functions = [device.UNSET, *KeyFunction]
            function = st.selectbox(
                "Function",
                functions,
                index=functions.index(current["Function"]) if current["Function"] in functions else 0,
                key=f"dev_key_fn_{slot}",
            )
            resource, label = "", ""
            if function != device.UNSET:
                same = function == current["Function"]
                choices = device.resource_choices(store(), user, function)
                if choices is None:
                    resource = st.text_input(
                        "Resource",
                        value=current["Resource"] if same else "",
                        key=f"dev_key_res_{slot}_{function}",
                        placeholder="DTMF digits" if function == KeyFunction.DTMF else "Extension or phone number",
                    )
                elif choices:
                    options = list(choices)
                    resource = st.selectbox(
                        "Resource",
                        options,
                        index=options.index(current["Resource"]) if same and current["Resource"] in choices else 0,
                        format_func=choices.__getitem__,
                        key=f"dev_key_res_{slot}_{function}",
                    )
                label = st.text_input(
                    "Label",
                    value=current["Label"] if same else "",
                    key=f"dev_key_label_{slot}_{function}",
                    max_chars=device.LABEL_MAX_CHARS,
                    placeholder=f"Default: {device.default_label(store(), function, resource)}",
                )
            if st.button("✓ OK", type="primary", key="dev_key_ok"):
                try:
                    saved = device.set_key(store(), user, phone, page_no, position, function, resource, label)
                except (device.DeviceError, PermissionDenied) as err:
                    st.error(plain(err))
                else:
                    shown = saved["function"] or device.UNSET
                    st.session_state["dev_notice"] = f"Key {position} on page {page_no} is now {shown}."
                    st.rerun()

DIALOGS: dict[str, Callable[..., None]] = {
    "activation": confirm_activation,
    "revoke": confirm_revoke,
    "mobile": show_mobile_login,
    "desktop": show_desktop_login,
}
show_dialog("dev_dialog", DIALOGS)

if "dev_notice" in st.session_state:
    st.success(plain(st.session_state.pop("dev_notice")))
