"""Email the portal sends (NOTIF-1): real RFC 5322 messages, over SMTP or into an outbox folder.

Delivery is SMTP when a host is configured (FVKIT_SMTP_HOST, FVKIT_SMTP_PORT,
FVKIT_SMTP_USER, FVKIT_SMTP_PASSWORD, FVKIT_SMTP_STARTTLS), otherwise one .eml file per
message in the outbox folder (FVKIT_OUTBOX, default data/outbox), which any mail client
opens.
"""

from __future__ import annotations

import os
import re
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

DEFAULT_SENDER = "FortiVoice Cloud <noreply@fortivoice.example.com>"
_HEADER_BREAK = re.compile(r"[\r\n]")


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Where messages go."""

    host: str = ""
    port: int = 25
    user: str = ""
    password: str = ""
    starttls: bool = False
    sender: str = DEFAULT_SENDER
    outbox: Path = Path("data/outbox")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> MailSettings:
        """Read the settings from FVKIT_SMTP_* / FVKIT_OUTBOX variables."""
        env = os.environ if environ is None else environ
        return cls(
            host=env.get("FVKIT_SMTP_HOST", ""),
            port=int(env.get("FVKIT_SMTP_PORT", "25")),
            user=env.get("FVKIT_SMTP_USER", ""),
            password=env.get("FVKIT_SMTP_PASSWORD", ""),
            starttls=env.get("FVKIT_SMTP_STARTTLS", "") in ("1", "true", "yes"),
            sender=env.get("FVKIT_SMTP_FROM", DEFAULT_SENDER),
            outbox=Path(env.get("FVKIT_OUTBOX", "data/outbox")),
        )


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content: bytes
    mime: str  # e.g. "audio/wav", "text/calendar", "image/png"


def _header(value: str) -> str:
    """Refuse header injection: a header value never spans lines."""
    if _HEADER_BREAK.search(value):
        raise ValueError("an email header cannot contain a line break")
    return value


def compose(
    to: list[str],
    subject: str,
    text: str,
    now: datetime,
    *,
    html: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    sender: str = DEFAULT_SENDER,
) -> EmailMessage:
    """Return a message: plain text (and HTML alternative), attachments, Date from `now` (UTC)."""
    if not to:
        raise ValueError("a message needs at least one recipient")
    msg = EmailMessage()
    msg["From"] = _header(sender)
    msg["To"] = ", ".join(_header(a) for a in to)
    msg["Subject"] = _header(subject)
    msg["Date"] = format_datetime(now.replace(tzinfo=UTC) if now.tzinfo is None else now)
    msg["Message-ID"] = make_msgid(domain="fortivoice.example.com")
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for a in attachments:
        main, _, sub = a.mime.partition("/")
        msg.add_attachment(a.content, maintype=main, subtype=sub, filename=_header(a.filename))
    return msg


def deliver(msg: EmailMessage, settings: MailSettings) -> str:
    """Send a message over SMTP, or write it to the outbox; return where it went."""
    if settings.host:
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user:
                smtp.login(settings.user, settings.password)
            smtp.send_message(msg)
        return f"smtp://{settings.host}:{settings.port}"
    settings.outbox.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", str(msg["Message-ID"]).strip("<>"))
    path = settings.outbox / f"{name}.eml"
    path.write_bytes(msg.as_bytes())
    return str(path)
