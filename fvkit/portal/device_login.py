"""Device (guide p.45-46): the mobile softclient's login details and their QR code (DEV-3).

The QR code is shown again until a new one is generated or it expires (guide p.45), so its
password is derived (HMAC-SHA256) from a stored nonce under the organisation's mobile login
key (migration 021); the table keeps only the password's argon2id hash beside the nonce.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import segno

from fvkit.domain.limits import MOBILE_QR_TTL
from fvkit.domain.screens import Screen
from fvkit.portal.auth import User, require_screen
from fvkit.portal.display import local_time
from fvkit.store import devices
from fvkit.store.db import Store
from fvkit.store.org import organisation
from fvkit.store.secrets import hash_secret, verify_secret

MOBILE_PORT = 5061  # not in the guide: SIP over TLS, the port a mobile softclient registers on
QR_SCHEME = "fortifone"  # not in the guide: what fvkit's QR code carries, a fortifone:login?... URI


@dataclass(frozen=True, slots=True)
class MobileLogin:
    """Login details of the mobile softclient (DEV-3), as the QR code carries them."""

    server: str
    port: int
    username: str
    password: str
    expires_at: datetime

    @property
    def payload(self) -> str:
        """Return the text the QR code encodes: a fortifone:login?... URI."""
        query = urlencode(
            {
                "server": self.server,
                "port": self.port,
                "username": self.username,
                "password": self.password,
                "expires": self.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        )
        return f"{QR_SCHEME}:login?{query}"

    def details(self, time_zone: str) -> dict[str, str]:
        """Return the login details as the dialog lists them."""
        return {
            "Server": self.server,
            "Port": str(self.port),
            "Username": self.username,
            "Password": self.password,
            "Expires": local_time(self.expires_at, time_zone),
        }


def qr_png(login: MobileLogin, scale: int = 6) -> bytes:
    """Return the login's QR code as a PNG image."""
    out = io.BytesIO()
    segno.make_qr(login.payload, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def _derived_password(store: Store, extension: str, nonce: str) -> str:
    """Return the mobile login password a nonce stands for: HMAC-SHA256 under the organisation's key."""
    key = devices.mobile_login_key(store, secrets.token_bytes(32))  # NOTE: a secret: the OS generator
    mac = hmac.new(key, f"{extension}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode()[:16]


def login_for(store: Store, user: User, now: datetime) -> tuple[MobileLogin, str]:
    """Return new login details and the nonce their password derives from."""
    nonce = secrets.token_urlsafe(12)  # NOTE: a secret's seed: the OS generator
    password = _derived_password(store, user.number, nonce)
    login = MobileLogin(str(organisation(store)["domain"]), MOBILE_PORT, user.number, password, now + MOBILE_QR_TTL)
    return login, nonce


def keep_login(store: Store, user: User, login: MobileLogin, nonce: str, now: datetime) -> None:
    """Store the login's hash and nonce: from now on it is the one that works (and is shown)."""
    devices.set_mobile_login(store, user.number, hash_secret(login.password), now, login.expires_at, nonce)


def new_mobile_login(store: Store, user: User, now: datetime) -> MobileLogin:
    """Return new mobile login details valid 24 hours (guide p.45); earlier ones stop working."""
    require_screen(user, Screen.DEVICE)
    login, nonce = login_for(store, user, now)
    keep_login(store, user, login, nonce, now)
    return login


def mobile_login(store: Store, user: User, now: datetime) -> MobileLogin:
    """Return the user's valid mobile login - the QR code last emailed or shown - or a new one if none is valid.

    Viewing the login information again shows the same QR code and password (guide p.45); only
    `new_mobile_login` ("Generate a new QR code") or a new activation email replaces them.
    """
    require_screen(user, Screen.DEVICE)
    found = devices.mobile_login_nonce(store, user.number)
    if found is not None:
        nonce, _, expires_at = found
        password = _derived_password(store, user.number, nonce)
        if expires_at > now and mobile_login_valid(store, user.number, password, now):
            return MobileLogin(str(organisation(store)["domain"]), MOBILE_PORT, user.number, password, expires_at)
    return new_mobile_login(store, user, now)


def mobile_login_valid(store: Store, extension: str, password: str, now: datetime) -> bool:
    """Return whether a mobile softclient's login (from the QR code) is valid at `now`."""
    found = devices.mobile_login(store, extension)
    return found is not None and found[1] > now and verify_secret(found[0], password)


def mobile_login_expiry(store: Store, user: User, now: datetime) -> datetime | None:
    """Return until when the user's mobile login is valid, None when none is valid at `now`."""
    found = devices.mobile_login(store, user.number)
    return found[1] if found and found[1] > now else None
