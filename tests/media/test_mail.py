"""Email messages are real RFC 5322 messages, delivered over SMTP or to an outbox (NOTIF-1)."""

from __future__ import annotations

import email
from datetime import datetime
from email import policy
from pathlib import Path

import pytest

from fvkit.media.mail import Attachment, MailSettings, compose, deliver
from tests.conftest import SmtpInbox

NOW = datetime(2026, 10, 5, 17, 0)


@pytest.mark.req("NOTIF-1")
def test_a_message_reaches_a_real_smtp_server_with_its_attachment(smtp: tuple[SmtpInbox, MailSettings]) -> None:
    inbox, settings = smtp
    msg = compose(
        ["juliet@example.com"],
        "New voicemail from John Snow",
        "You have a new voicemail.",
        NOW,
        attachments=(Attachment("voicemail.wav", b"RIFF....WAVEfmt ", "audio/wav"),),
    )
    where = deliver(msg, settings)
    assert where.startswith("smtp://127.0.0.1:")
    (got,) = inbox.messages
    assert got["Subject"] == "New voicemail from John Snow"
    assert got["To"] == "juliet@example.com"
    parts = [p.get_content_type() for p in got.walk()]
    assert parts == ["multipart/mixed", "text/plain", "audio/wav"]


@pytest.mark.req("NOTIF-1")
def test_without_smtp_a_message_lands_in_the_outbox_as_an_eml_file(tmp_path: Path) -> None:
    msg = compose(["a@example.com", "b@example.com"], "Missed call", "You missed a call.", NOW, html="<p>missed</p>")
    path = Path(deliver(msg, MailSettings(outbox=tmp_path / "outbox")))
    assert path.parent == tmp_path / "outbox" and path.suffix == ".eml"
    back = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert back["To"] == "a@example.com, b@example.com"
    assert back["Date"] == "Mon, 05 Oct 2026 17:00:00 +0000"
    assert back.get_body(("plain",)).get_content().strip() == "You missed a call."
    assert back.get_body(("html",)).get_content().strip() == "<p>missed</p>"


def test_header_injection_is_defused() -> None:
    msg = compose(["x@example.com"], "Hello\r\nBcc: victim@example.com", "body", NOW)
    assert msg["Subject"] == "Hello Bcc: victim@example.com" and msg["Bcc"] is None
    with pytest.raises(ValueError, match="recipient"):
        compose([], "Hello", "body", NOW)


def test_settings_come_from_the_environment() -> None:
    s = MailSettings.from_env({"FVKIT_SMTP_HOST": "mail.local", "FVKIT_SMTP_PORT": "2525", "FVKIT_OUTBOX": "/o"})
    assert (s.host, s.port, s.outbox) == ("mail.local", 2525, Path("/o"))
