"""Device (guide p.43-55): activation email, soft and desk phones, login details, programmable keys.

The Cloud PIN is kept only as an argon2id hash with its expiry and shown once, when generated;
the mobile login and its QR code live in `device_login` (shown again until a new one).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import parse_qsl, urlsplit

import polars as pl

from fvkit.domain.keys import KEY_SPECS, PROGRAMMABLE_MODELS, KeyFunction, ResourceKind
from fvkit.domain.limits import CLOUD_PIN_TTL
from fvkit.domain.org import KeyOwner
from fvkit.domain.screens import Screen
from fvkit.media.mail import Attachment, MailSettings, compose, deliver
from fvkit.portal.auth import PermissionDenied, User, require_screen
from fvkit.portal.device_login import MOBILE_PORT as MOBILE_PORT
from fvkit.portal.device_login import QR_SCHEME as QR_SCHEME
from fvkit.portal.device_login import MobileLogin as MobileLogin
from fvkit.portal.device_login import keep_login, login_for
from fvkit.portal.device_login import mobile_login as mobile_login
from fvkit.portal.device_login import mobile_login_expiry as mobile_login_expiry
from fvkit.portal.device_login import mobile_login_valid as mobile_login_valid
from fvkit.portal.device_login import new_mobile_login as new_mobile_login
from fvkit.portal.device_login import qr_png as qr_png
from fvkit.portal.display import local_times
from fvkit.store import devices
from fvkit.store.db import Store
from fvkit.store.org import organisation
from fvkit.store.secrets import hash_secret, verify_secret

ACTIVATION_SUBJECT = "Your FortiFone account is ready for sign in"  # guide p.43
CLOUD_PIN_DIGITS = 6  # guide p.44: "Cloud PIN: 285369"
DESKTOP_PORT = 9000  # guide p.49: the desktop softclient's login shows 9000
LABEL_MAX_CHARS = 32  # not in the guide: our bound for a key's label on the phone's screen
UNSET = "--User Assigned--"  # guide p.51: a user-assigned key not programmed yet
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
_DTMF = re.compile(r"^[0-9*#]{1,32}$")
_NUMBER = re.compile(r"^\+?[0-9]{2,20}$")

#: the Soft Phones table's columns as the guide labels them (p.54), by stored column
SOFT_LABELS = {
    "extension": "Extension Number",
    "client_version": "Client Version",
    "phone_info": "Phone Info",
    "os_platform": "OS Platform",
    "os_version": "OS Version",
}
#: the Desk Phones table's columns as the guide labels them (p.54), by stored column
DESK_LABELS = {
    "model": "Phone model",
    "mac": "MAC",
    "ip": "IP",
    "phone_info": "Phone Info",
    "registry_time": "Registry time",
    "expiry_time": "Expiry time",
}
#: the programmable key table's columns (guide p.51)
KEY_LABELS = {
    "position": "Option",
    "assigned": "Assigned",
    "function": "Function",
    "resource": "Resource",
    "label": "Label",
}


class DeviceError(ValueError):
    """A device request the portal refuses; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class CloudPin:
    """A freshly generated Cloud PIN (DEV-5): shown once, stored hashed."""

    pin: str
    expires_at: datetime


def parse_payload(payload: str) -> dict[str, str]:
    """Return the login fields of a QR code's text (what a softclient reads from it)."""
    parts = urlsplit(payload.strip())
    if parts.scheme != QR_SCHEME or parts.path != "login":
        raise DeviceError("This is not a FortiFone login QR code.")
    return dict(parse_qsl(parts.query, strict_parsing=True))


def cloud_id(store: Store) -> str:
    """Return the organisation's Cloud ID as digits."""
    return str(organisation(store)["cloud_id"])


def grouped_cloud_id(raw: str, sep: str = " ") -> str:
    """Return a Cloud ID in groups of 3-3-4 ("707 013 7030", guide p.44)."""
    return sep.join((raw[:3], raw[3:6], raw[6:])) if len(raw) == 10 else raw


# --- Cloud PIN (DEV-5) and mobile login (DEV-3) -------------------------------------------


def _pin(now: datetime) -> CloudPin:
    # NOTE: a secret, so the OS generator - not a seeded one - is the right source.
    pin = "".join(secrets.choice("0123456789") for _ in range(CLOUD_PIN_DIGITS))
    return CloudPin(pin, now + CLOUD_PIN_TTL)


def generate_cloud_pin(store: Store, user: User, now: datetime) -> CloudPin:
    """Return a new 6-digit Cloud PIN valid 24 hours (guide p.50); it replaces the previous one."""
    require_screen(user, Screen.DEVICE)
    pin = _pin(now)
    devices.set_cloud_pin(store, user.number, hash_secret(pin.pin), pin.expires_at)
    return pin


def cloud_pin_expiry(store: Store, user: User, now: datetime) -> datetime | None:
    """Return until when the user's Cloud PIN is valid, None when none is valid at `now`."""
    found = devices.cloud_pin(store, user.number)
    return found[1] if found and found[1] > now else None


def cloud_pin_valid(store: Store, extension: str, pin: str, now: datetime) -> bool:
    """Return whether a phone registering as `extension` typed a valid Cloud PIN."""
    found = devices.cloud_pin(store, extension)
    return found is not None and found[1] > now and verify_secret(found[0], pin)


def desktop_login(store: Store, user: User) -> dict[str, str]:
    """Return the desktop softclient's configuration (DEV-4, guide p.48-49)."""
    require_screen(user, Screen.DEVICE)
    return {
        "Server": str(organisation(store)["domain"]),
        "Port": str(DESKTOP_PORT),
        "Username": user.number,
        # NOTE: fvkit keeps only the password's hash, so it cannot show it back.
        "Password": "your user portal password",
    }


# --- Phone activation email (DEV-1, NOTIF-1) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Activation:
    """A sent phone activation email."""

    recipients: list[str]
    where: str  # the SMTP server or the outbox file
    message: EmailMessage
    pin: CloudPin
    login: MobileLogin


def activation_recipients(store: Store, user: User) -> list[str]:
    """Return the Notification Options email addresses, refusing when there are none (guide p.43)."""
    typed = devices.notify_emails(store, user.number)
    found = [a for a in re.split(r"[,;\s]+", typed) if a]
    if not found:
        raise DeviceError(
            "Enter your email address in Preferences > Notification Options first: "
            "the phone activation email goes there (guide p.43)."
        )
    bad = [a for a in found if not _EMAIL.match(a)]
    if bad:
        raise DeviceError(f"Not an email address in your Notification Options: {bad[0]!r}.")
    return found


def activation_text(store: Store, user: User, pin: CloudPin, login: MobileLogin) -> str:
    """Return the activation email's text, as the guide's example (p.43-44)."""
    name = user.extension.display_name
    hint = devices.vm_pin_hint(store, user.number) or "(none set)"
    return "\n".join(
        (
            "FortiVoice Cloud",
            "",
            f"Welcome to FortiVoice Cloud! {name} <{user.number}>, your FortiFone account is ready. "
            "Please follow the instructions below to register your device. "
            "(The Cloud PIN and QR Code will expire in 24 hours.)",
            "",
            "FortiFone Desk Phone Registration",
            "",
            "To register your FortiFone with FortiVoice Cloud:",
            "1. Press the Menu button on the FortiFone.",
            "2. Select Cloud",
            "3. Input the following information and press Submit when done:",
            "",
            f"Cloud ID: {grouped_cloud_id(cloud_id(store))}",
            f"Extension No.: {user.number}",
            f"Cloud PIN: {pin.pin}",
            "",
            f"When accessing voicemail please use your voicemail PIN: {hint}",
            "",
            "FortiFone Mobile Softclient Registration",
            "",
            "To register the FortiFone Mobile Softclient with FortiVoice Cloud:",
            "1. Install the FortiFone Mobile Softclient to your phone if you haven't already.",
            "2. To configure the FortiFone Mobile Softclient:",
            '   a. First time users: select "Scan QR Code" and scan the QR code attached to this email.',
            "   b. Current users: add a FortiVoice account with these details:",
            f"      Server: {login.server}",
            f"      Port: {login.port}",
            f"      Username: {login.username}",
            f"      Password: {login.password}",
            "",
        )
    )


def send_activation_email(store: Store, user: User, now: datetime, settings: MailSettings | None = None) -> Activation:
    """Send the phone activation email with a new Cloud PIN and QR code, valid 24 hours (DEV-1).

    Raises:
        DeviceError: no (or a malformed) notification email address.
        OSError: the SMTP server or the outbox refused it; nothing was replaced then.
    """
    require_screen(user, Screen.DEVICE)
    to = activation_recipients(store, user)
    pin, (login, nonce) = _pin(now), login_for(store, user, now)
    msg = compose(
        to,
        ACTIVATION_SUBJECT,
        activation_text(store, user, pin, login),
        now,
        attachments=(Attachment(f"fortifone-{user.number}-qr.png", qr_png(login), "image/png"),),
    )
    where = deliver(msg, settings or MailSettings.from_env())
    # only a delivered email replaces the PIN and QR code the user may already be using
    devices.set_cloud_pin(store, user.number, hash_secret(pin.pin), pin.expires_at)
    keep_login(store, user, login, nonce, now)
    return Activation(to, where, msg, pin, login)


# --- Soft phones (DEV-2) and desk phones (DEV-5) ---------------------------------------------


def soft_phones(store: Store, user: User) -> pl.DataFrame:
    """Return the user's softclients as the Soft Phones table shows them: `id` plus SOFT_LABELS."""
    require_screen(user, Screen.DEVICE)
    frame = pl.from_arrow(devices.list_devices(store, user.number, "soft"))
    assert isinstance(frame, pl.DataFrame)
    return frame.select("id", *[pl.col(c).alias(label) for c, label in SOFT_LABELS.items()])


def revoke(store: Store, user: User, device_id: int) -> None:
    """Revoke one of the user's softclient licenses (DEV-2, guide p.55)."""
    require_screen(user, Screen.DEVICE)
    if not devices.revoke_device(store, user.number, int(device_id)):
        raise PermissionDenied(f"Extension {user.number} has no softclient {device_id} to revoke.")


def desk_phones(store: Store, user: User) -> pl.DataFrame:
    """Return the user's desk phones as the Desk Phones table shows them (times in the user's zone)."""
    require_screen(user, Screen.DEVICE)
    frame = pl.from_arrow(devices.list_devices(store, user.number, "desk"))
    assert isinstance(frame, pl.DataFrame)
    frame = local_times(frame, ["registry_time", "expiry_time"], user.time_zone)
    return frame.select("id", *[pl.col(c).alias(label) for c, label in DESK_LABELS.items()])


# --- Programmable keys (DEV-6) ----------------------------------------------------------------


def model_code(model: str) -> str:
    """Return the FON-... code of a stored phone model ("FortiFone-380" -> "FON-380")."""
    return "FON-" + model.removeprefix("FortiFone-") if model.startswith("FortiFone-") else model


def programmable_phones(store: Store, user: User) -> dict[int, str]:
    """Return the user's desk phones that support programmable keys (guide p.50): id -> name."""
    require_screen(user, Screen.DEVICE)
    rows = devices.list_devices(store, user.number, "desk").to_pylist()
    return {int(r["id"]): f"{r['model']} ({r['mac']})" for r in rows if model_code(r["model"]) in PROGRAMMABLE_MODELS}


def _phone(store: Store, user: User, device_id: int) -> int:
    if int(device_id) not in programmable_phones(store, user):
        raise PermissionDenied(f"Extension {user.number} has no phone {device_id} with programmable keys.")
    return int(device_id)


def keys(store: Store, user: User, device_id: int, page: int | None = None) -> pl.DataFrame:
    """Return the phone's keys (of one page): page plus KEY_LABELS columns; unprogrammed ones show UNSET."""
    frame = pl.from_arrow(devices.list_keys(store, _phone(store, user, device_id)))
    assert isinstance(frame, pl.DataFrame)
    if page is not None:
        frame = frame.filter(pl.col("page") == page)
    unset = (pl.col("assigned") == KeyOwner.USER.value) & (pl.col("function") == "")
    frame = frame.with_columns(pl.when(unset).then(pl.lit(UNSET)).otherwise(pl.col("function")).alias("function"))
    return frame.select("page", *[pl.col(c).alias(label) for c, label in KEY_LABELS.items()])


def key_pages(store: Store, user: User, device_id: int) -> list[int]:
    """Return the phone's pages of keys, in order."""
    return sorted(set(keys(store, user, device_id)["page"].to_list()))


def resource_choices(store: Store, user: User, function: KeyFunction | str) -> dict[str, str] | None:
    """Return a function's Resource choices (stored value -> shown text); None: typed in; {}: blank."""
    kind = KEY_SPECS[KeyFunction(function)].resource
    if kind in (ResourceKind.DIGITS, ResourceKind.NUMBER):
        return None
    if kind is ResourceKind.NONE:
        return {}
    if kind in (ResourceKind.EXTENSION, ResourceKind.SHARED_LINE):
        return {n: f"{n} ({name})" for n, name in devices.user_extensions(store) if n != user.number}
    if kind is ResourceKind.LINE:
        return {f"{t} ({i})": f"{t} ({i})" for t, lines in devices.trunk_lines(store) for i in range(1, lines + 1)}
    if kind is ResourceKind.PARK_SLOT:
        return {s: f"{s} ({label})" for s, label in devices.park_slots(store)}
    if kind is ResourceKind.SYSTEM_SPEED_DIAL:
        return {c: f"{c} {label} ({n})" for c, n, label in devices.system_speed_dials(store)}
    # ResourceKind.ACCOUNT: fvkit configures one account per extension
    return {"Account 1": "Account 1"}


def default_label(store: Store, function: KeyFunction | str, resource: str) -> str:
    """Return the label a key gets when the user keeps the default (guide p.52-54)."""
    spec = KEY_SPECS[KeyFunction(function)]
    if spec.default_label:
        return spec.default_label
    if spec.resource in (ResourceKind.EXTENSION, ResourceKind.SHARED_LINE, ResourceKind.NUMBER):
        names = dict(devices.user_extensions(store))
        # guide p.51: "AH100 Kitchen 2000" for extension 2000
        return f"{names[resource]} {resource}" if resource in names else resource
    if spec.resource is ResourceKind.PARK_SLOT:
        return dict(devices.park_slots(store)).get(resource, resource)
    if spec.resource is ResourceKind.SYSTEM_SPEED_DIAL:
        return next((label for c, _, label in devices.system_speed_dials(store) if c == resource), resource)
    return resource


#: what an empty Resource list means, by kind (guide p.52-53: the administrator sets these up)
_MISSING = {
    ResourceKind.EXTENSION: "there is no other extension",
    ResourceKind.SHARED_LINE: "there is no other extension",
    ResourceKind.LINE: "your administrator has configured no lines",
    ResourceKind.PARK_SLOT: "your administrator has configured no call park slots",
    ResourceKind.SYSTEM_SPEED_DIAL: "your administrator has configured no system speed dials",
    ResourceKind.ACCOUNT: "no account is configured on your extension",
}


def _prerequisite(store: Store, user: User, function: KeyFunction) -> None:
    """Refuse a function whose privilege or administrator setup is missing (guide p.52-54)."""
    needs = KEY_SPECS[function].needs
    if needs is not None and not user.extension.can(needs):
        raise DeviceError(
            f"The {function} function needs the {needs} privilege: ask your administrator to enable it (guide p.53-54)."
        )
    # guide p.52: Park needs the call parking the administrator configures
    if function is KeyFunction.PARK and not devices.park_slots(store):
        raise DeviceError(f"There is nothing to choose for {function}: {_MISSING[ResourceKind.PARK_SLOT]}.")


def _resource(store: Store, user: User, function: KeyFunction, resource: str) -> str:
    choices = resource_choices(store, user, function)
    value = resource.strip()
    kind = KEY_SPECS[function].resource
    if choices is None:
        if kind is ResourceKind.DIGITS:
            if not _DTMF.match(value):
                raise DeviceError("Enter the DTMF digits to dial: 1 to 32 of 0-9, * and #.")
            return value
        number = re.sub(r"[\s().-]", "", value)
        if not _NUMBER.match(number):
            raise DeviceError("Enter an extension or a phone number (digits, optionally starting with +).")
        return number
    if kind is ResourceKind.NONE:
        return ""
    if not choices:
        raise DeviceError(f"There is nothing to choose for {function}: {_MISSING[kind]}.")
    if value not in choices:
        raise DeviceError(f"Select a resource for {function}.")
    return value


def set_key(
    store: Store,
    user: User,
    device_id: int,
    page: int,
    position: int,
    function: KeyFunction | str | None,
    resource: str = "",
    label: str = "",
) -> dict[str, str]:
    """Program a user-assigned key (DEV-6); a blank label takes the default. Return the key as stored.

    Raises:
        PermissionDenied: not the user's phone, or the key is reserved or admin-assigned.
        DeviceError: the function needs a privilege the user lacks, or a bad resource or label.
    """
    phone = _phone(store, user, device_id)
    current = keys(store, user, phone).filter((pl.col("page") == page) & (pl.col("Option") == position))
    if current.is_empty():
        raise DeviceError(f"Page {page} has no key {position}.")
    if current["Assigned"][0] != KeyOwner.USER.value:
        raise PermissionDenied(f"Key {position} is {current['Assigned'][0]}: only user-assigned keys can be changed.")
    if function in (None, "", UNSET):
        devices.update_user_key(store, phone, page, position, "", "", "")
        return {"function": "", "resource": "", "label": ""}
    try:
        fn = KeyFunction(function)
    except ValueError as exc:
        raise DeviceError(f"Unknown function {function!r}.") from exc
    _prerequisite(store, user, fn)
    value = _resource(store, user, fn, resource)
    text = label.strip() or default_label(store, fn, value)
    if len(text) > LABEL_MAX_CHARS or any(ord(ch) < 32 for ch in text):
        raise DeviceError(f"The label takes at most {LABEL_MAX_CHARS} printable characters.")
    devices.update_user_key(store, phone, page, position, fn.value, value, text)
    return {"function": fn.value, "resource": value, "label": text}
