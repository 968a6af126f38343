"""Shared fixtures: a small seeded organisation, built once per session, copied per test."""

from __future__ import annotations

import email.message
import shutil
import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from fvkit.media.mail import MailSettings
from fvkit.sim.run import Options, simulate
from fvkit.store import Store

SEED_PASSWORD = "password1"


@pytest.fixture(autouse=True)
def private_outbox(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Send every test's email to a folder of its own, never over SMTP nor into data/outbox."""
    outbox = tmp_path_factory.mktemp("outbox")
    monkeypatch.setenv("FVKIT_OUTBOX", str(outbox))
    for name in ("FVKIT_SMTP_HOST", "FVKIT_SMTP_USER", "FVKIT_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return outbox


@pytest.fixture(scope="session")
def seeded_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database file: 12 extensions (7101 has every privilege), one day of traffic."""
    path = tmp_path_factory.mktemp("seeded") / "fvkit.duckdb"
    db = Store(path)
    simulate(db, datetime(2026, 10, 5, 7), seed=2, extensions=12, password=SEED_PASSWORD, options=Options(days=1))
    db.close()
    return path


def private_store(source: Path, tmp_path: Path) -> Iterator[Store]:
    """Yield a writable copy of a closed database file, open, and close it after (for a fixture)."""
    copy = tmp_path / "fvkit.duckdb"
    shutil.copyfile(source, copy)
    db = Store(copy)
    yield db
    db.close()


@pytest.fixture
def seeded_store(seeded_path: Path, tmp_path: Path) -> Iterator[Store]:
    """A private, writable copy of the seeded database."""
    yield from private_store(seeded_path, tmp_path)


class SmtpInbox(Message):
    """What a real SMTP server (aiosmtpd) received, message by message."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.Message] = []

    def handle_message(self, message: email.message.Message) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp() -> Iterator[tuple[SmtpInbox, MailSettings]]:
    """A real SMTP server on a free local port: its inbox, and the settings that deliver to it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, MailSettings(host="127.0.0.1", port=port)
    finally:
        controller.stop()
