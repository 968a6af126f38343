"""The Device page through AppTest (DEV-1..6, NOTIF-1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fvkit.store import Store
from tests.conftest import SEED_PASSWORD
from tests.dashboards.apptest import portal_copy

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


@pytest.fixture
def db(seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FVKIT_OUTBOX", str(tmp_path / "outbox"))  # no SMTP host: the autouse private_outbox
    yield from portal_copy(seeded_path, tmp_path, monkeypatch)


def _sql(path: Path, sql: str) -> None:
    db = Store(path)
    db.execute(sql)
    db.close()


def _page(number: str = "7104") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click().run()
    at.switch_page("app_pages/device.py").run()
    assert not at.exception
    return at


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    """Return the table that has this column (the read-only tables carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.req("DEV-1")
@pytest.mark.req("NOTIF-1")
def test_send_phone_activation_email_after_ok_lands_in_the_outbox(db: Path, tmp_path: Path) -> None:
    at = _page()
    at.button(key="dev_activation").click().run()
    assert "todd.powell@example.com" in _text(at)
    at.button(key="dev_activation_ok").click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith("The phone activation email was sent to todd.powell@example.com.")
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    msg = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert msg["Subject"] == "Your FortiFone account is ready for sign in"
    assert [p.get_content_type() for p in msg.iter_attachments()] == ["image/png"]


@pytest.mark.req("DEV-1")
def test_activation_email_without_a_notification_address_is_refused(db: Path, tmp_path: Path) -> None:
    _sql(db, "UPDATE preference SET notify_emails = '' WHERE owner = '7104'")
    at = _page()
    at.button(key="dev_activation").click().run()
    assert [e.value for e in at.error] == [
        "Enter your email address in Preferences > Notification Options first: "
        "the phone activation email goes there (guide p.43)."
    ]
    assert not (tmp_path / "outbox").exists()


@pytest.mark.req("DEV-2")
def test_soft_phones_table_and_revoke_with_confirmation(db: Path) -> None:
    at = _page()
    frame = at.dataframe(key="dev_soft_table").value
    assert list(frame.columns)[1:] == ["Extension Number", "Client Version", "Phone Info", "OS Platform", "OS Version"]
    assert list(frame["Extension Number"]) == ["7104"]
    assert at.button(key="dev_revoke").disabled
    at.session_state["dev_soft_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="dev_revoke").click().run()
    assert "Revoke the softclient license" in _text(at)
    at.button(key="dev_revoke_ok").click().run()
    assert at.success[0].value.startswith("The softclient license of ")
    assert at.dataframe(key="dev_soft_table").value.empty


def _details(at: AppTest) -> dict[str, str]:
    found = {}
    for m in at.markdown:
        if match := re.fullmatch(r"\*\*(\w+):\*\* `?([^`]*)`?", m.value):
            found[match.group(1)] = match.group(2)
    return found


@pytest.mark.req("DEV-3")
def test_view_mobile_login_information_shows_a_qr_code_and_regenerates(db: Path) -> None:
    at = _page()
    at.button(key="dev_mobile").click().run()
    assert len(at.get("image")) == 1
    first = _details(at)
    assert first["Server"] == "example.com" and first["Username"] == "7104" and first["Port"] == "5061"
    at.run()  # a rerun keeps the same details
    assert _details(at)["Password"] == first["Password"]
    at.button(key="dev_mobile_regenerate").click().run()
    assert _details(at)["Password"] != first["Password"]
    assert len(at.get("image")) == 1


@pytest.mark.req("DEV-3")
def test_viewing_mobile_login_again_shows_the_emailed_qr_code_until_generate(db: Path, tmp_path: Path) -> None:
    at = _page()
    at.button(key="dev_activation").click().run()
    at.button(key="dev_activation_ok").click().run()
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    body = BytesParser(policy=policy.default).parsebytes(eml.read_bytes()).get_body(("plain",))
    assert body is not None
    match = re.search(r"Password: (\S+)", body.get_content())
    assert match is not None
    emailed = match.group(1)
    for session in (at, _page()):  # this browser session, and a later one
        session.button(key="dev_mobile").click().run()
        assert _details(session)["Password"] == emailed  # the emailed QR code still works
        del session.session_state["dev_dialog"]  # the dialog closed
        session.run()
    at.button(key="dev_mobile").click().run()
    at.button(key="dev_mobile_regenerate").click().run()
    fresh = _details(at)["Password"]
    assert fresh != emailed
    assert "A new QR code was generated: the previous one no longer works." in [s.value for s in at.success]
    later = _page()
    later.button(key="dev_mobile").click().run()
    assert _details(later)["Password"] == fresh


@pytest.mark.req("DEV-4")
def test_view_desktop_login_information(db: Path) -> None:
    at = _page()
    at.button(key="dev_desktop").click().run()
    details = _details(at)
    assert details["Server"] == "example.com" and details["Port"] == "9000" and details["Username"] == "7104"
    assert details["Password"] == "your user portal password"


@pytest.mark.req("DEV-5")
def test_desk_phones_cloud_id_and_generate_a_cloud_pin(db: Path) -> None:
    at = _page()
    frame = _frame(at, "Phone model")
    assert list(frame.columns)[1:] == ["Phone model", "MAC", "IP", "Phone Info", "Registry time", "Expiry time"]
    assert list(frame["Phone model"]) == ["FortiFone-580"]
    text = _text(at)
    assert re.search(r"\*\*Cloud ID:\*\* \d{3}-\d{3}-\d{4} \(please ignore", text)
    assert "**Extension:** 7104" in text
    assert "To get a Cloud PIN, click Generate" in text
    at.button(key="dev_pin_generate").click().run()
    assert re.search(r"\*\*Cloud PIN:\*\* `\d{6}` \(expires at ", _text(at))


@pytest.mark.req("DEV-6")
def test_programmable_keys_program_a_user_key_and_refuse_a_missing_privilege(db: Path) -> None:
    at = _page()
    keys = _frame(at, "Assigned")
    assert list(keys["Assigned"][:3]) == ["Reserved", "Reserved", "Admin Assigned"]
    assert at.selectbox(key="dev_key_option").options == ["4", "5", "6", "7"]
    at.selectbox(key="dev_key_fn_5_1_4").select("Park appearance").run()
    at.selectbox(key="dev_key_res_5_1_4_Park appearance").select("7602").run()
    at.button(key="dev_key_ok").click().run()
    assert not at.error, [e.value for e in at.error]
    row = _frame(at, "Assigned").iloc[3]
    assert (row["Function"], row["Resource"], row["Label"]) == ("Park appearance", "7602", "Park 2")

    at.selectbox(key="dev_key_option").select("5").run()
    at.selectbox(key="dev_key_fn_5_1_5").select("Record").run()
    at.button(key="dev_key_ok").click().run()
    assert [e.value for e in at.error] == [
        "The Record function needs the Personal recording privilege: "
        "ask your administrator to enable it (guide p.53-54)."
    ]


@pytest.mark.req("DEV-6")
def test_no_programmable_key_section_for_a_phone_without_them(db: Path) -> None:
    at = _page("7101")  # a FON-280B
    assert "#### Programmable Key" not in _text(at)
    assert not [d for d in at.dataframe if "Assigned" in d.value.columns]
