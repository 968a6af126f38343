"""The welcome email an administrator sends a new user (guide p.7, NOTIF-1).

It carries the link to the user portal, the extension number and a password. Only hashes
of passwords are kept, so sending a welcome sets a new random password and mails it.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from email.message import EmailMessage

from fvkit.domain.screens import may_sign_in
from fvkit.media.mail import compose
from fvkit.store import accounts
from fvkit.store.db import Store
from fvkit.store.secrets import hash_secret

SUBJECT = "Welcome to the FortiVoice Cloud user portal"
PASSWORD_CHARS = 16


def welcome(store: Store, number: str, portal_url: str, now: datetime) -> EmailMessage:
    """Set a new random portal password for `number` and return the welcome email carrying it."""
    ext = accounts.get_extension(store, number)
    if ext is None:
        raise LookupError(f"no extension {number}")
    if not may_sign_in(ext):
        raise PermissionError(f"extension {number} may not use the user portal")
    if not ext.email:
        raise ValueError(f"extension {number} has no email address")
    password = secrets.token_urlsafe(PASSWORD_CHARS)[:PASSWORD_CHARS]  # a secret: the OS generator
    accounts.set_password_hash(store, number, hash_secret(password))
    text = (
        f"Hello {ext.display_name},\n\n"
        "Your extension is ready. Use these details to sign in to the FortiVoice Cloud user portal.\n\n"
        f"User Portal Login: {portal_url}\n"
        f"Extension: {ext.number}\n"
        f"Password: {password}\n\n"
        "Change the password in Preferences > User Setting after you sign in.\n"
    )
    html = (
        f"<p>Hello {ext.display_name},</p><p>Your extension is ready.</p>"
        f'<p><b>User Portal Login</b>: <a href="{portal_url}">user portal</a><br>'
        f"<b>Extension</b>: {ext.number}<br><b>Password</b>: {password}</p>"
    )
    return compose([ext.email], SUBJECT, text, now, html=html)
