"""The welcome email (guide p.7, NOTIF-1): portal link, extension and a password that signs in."""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
from datetime import datetime
from email import policy
from pathlib import Path

import pytest

from fvkit.portal.auth import sign_in
from fvkit.store import Store

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.req("NOTIF-1")
@pytest.mark.req("AUTH-1")
def test_welcome_email_carries_a_password_that_signs_in(seeded_store: Store, tmp_path: Path) -> None:
    path, outbox = seeded_store.path, tmp_path / "outbox"
    seeded_store.close()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "fvkit.cli",
            "users",
            "welcome",
            "--db",
            path,
            "--portal-url",
            "https://pbx.example.com",
            "7102",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "FVKIT_OUTBOX": str(outbox)},
    )
    assert result.returncode == 0, result.stderr
    (eml,) = outbox.glob("*.eml")
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Welcome to the FortiVoice Cloud user portal"
    body = msg.get_body(("plain",)).get_content()
    assert "User Portal Login: https://pbx.example.com" in body and "Extension: 7102" in body
    password = re.search(r"^Password: (\S+)$", body, flags=re.M)
    assert password is not None
    store = Store(path)
    user = sign_in(store, "7102", password.group(1), datetime(2026, 10, 6, 12, 0))
    assert user.number == "7102"
    stored = store.execute("SELECT password_hash FROM extension WHERE number = '7102'").fetchone()[0]
    store.close()
    assert stored.startswith("$argon2id$") and password.group(1) not in stored


def test_welcome_refuses_an_extension_that_cannot_use_the_portal(seeded_store: Store, tmp_path: Path) -> None:
    path = seeded_store.path
    seeded_store.close()
    result = subprocess.run(
        [sys.executable, "-m", "fvkit.cli", "users", "welcome", "--db", path, "7000"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "FVKIT_OUTBOX": str(tmp_path / "outbox")},
    )
    assert result.returncode != 0
    assert "may not use the user portal" in result.stderr
    assert not (tmp_path / "outbox").exists()
