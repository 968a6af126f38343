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
from email.utils import format_datetime, formataddr, getaddresses, make_msgid
from pathlib import Path

DEFAULT_SENDER = "FortiVoice Cloud <noreply@fortivoice.example.com>"
#: Characters that never belong in a header: C0/C1 controls, DEL and every line separator
#: Python's str.splitlines() knows (U+2028/U+2029 too), which the email package would refuse.
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


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


def header_text(value: str) -> str:
    """Return `value` safe for any email header: controls and line breaks become one space.

    The one sanitiser of every header field (subjects, display names, file names), so no
    user text can inject a header or make the email package fail (NOTIF-1, CONF-4).
    """
    return " ".join(_HEADER_UNSAFE.sub(" ", value).split())


def single_address(value: str) -> str:
    """Return the one plain email address in `value`, else raise ValueError (CONF-2).

    "postmaster,victim@example.com" would be two recipients once in a To header: refused.
    """
    text = value.strip()
    found = getaddresses([text])
    if (
        len(found) != 1
        or found[0][1] != text
        or _HEADER_UNSAFE.search(text)
        or any(ch in text for ch in ',;<>()[]"\\ ')
        or text.count("@") != 1
    ):
        raise ValueError(f"{header_text(value)[:80] or '(empty)'} is not one email address.")
    local, domain = text.split("@")
    if not local or "." not in domain or domain.startswith(".") or domain.endswith("."):
        raise ValueError(f"{text[:80]} is not one email address.")
    return text


def _recipient(entry: str) -> str:
    """Return one To entry ("addr" or "Name <addr>") with a sanitised name and exactly one address.

    The address is what stands in the last <...>, never what a parser guesses from the name.
    """
    text = header_text(entry)
    if text.endswith(">") and "<" in text:
        cut = text.rindex("<")
        name, address = text[:cut].strip().strip('"').strip(), text[cut + 1 : -1]
        return formataddr((name, single_address(address))) if name else single_address(address)
    return single_address(text)


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
    msg["From"] = header_text(sender)
    msg["To"] = ", ".join(_recipient(a) for a in to)
    msg["Subject"] = header_text(subject)
    msg["Date"] = format_datetime(now.replace(tzinfo=UTC) if now.tzinfo is None else now)
    msg["Message-ID"] = make_msgid(domain="fortivoice.example.com")
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for a in attachments:
        main, _, sub = a.mime.partition("/")
        msg.add_attachment(a.content, maintype=main, subtype=sub, filename=header_text(a.filename))
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
