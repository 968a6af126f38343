"""NB-1: the Device walkthrough (guide p.43-55): the activation email, QR code, Cloud PIN, keys and softclients."""

from __future__ import annotations

import ast
import base64
import re
from email import message_from_bytes, policy

import pytest

from fvkit.portal import auth, device, preferences
from fvkit.sim.classroom import CLASS_NOW
from fvkit.store import Store
from tests.notebooks.harness import Lesson

NOTEBOOK = "10-device.ipynb"
NOW = CLASS_NOW
PHONE = 1  # 7101's FortiFone-380


@pytest.mark.req("NB-1")
def test_the_activation_email_shown_is_the_outbox_one_and_its_pin_was_replaced(
    lesson: Lesson, db: Store, user: auth.User
) -> None:
    result = lesson.run
    (path,) = lesson.outbox.glob("*.eml")
    email = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert email["Subject"] == device.ACTIVATION_SUBJECT
    assert email["To"] == ", ".join(preferences.notifications(db, user).emails)
    shown = result.text("activation")
    assert f"To: {email['To']}\nSubject: {email['Subject']}\n" in shown
    body = email.get_body(("plain",))
    assert body is not None
    assert body.get_content().strip() in shown
    emailed = re.search(r"Cloud PIN: (\d{6})", shown)
    generated = re.search(r"Cloud PIN: (\d{6}) \(expires", result.text("cloud_pin"))
    assert emailed and generated
    assert not device.cloud_pin_valid(db, user.number, emailed[1], NOW)  # Generate replaced it
    assert device.cloud_pin_valid(db, user.number, generated[1], NOW)
    (qr,) = result.mime("activation_qr", "image/png")
    qr_part = next(p for p in email.iter_attachments() if p.get_content_type() == "image/png")
    assert base64.b64decode(str(qr)) == qr_part.get_content()


@pytest.mark.req("NB-1")
def test_the_qr_code_displayed_carries_the_login_the_portal_accepts(lesson: Lesson, db: Store, user: auth.User) -> None:
    result = lesson.run
    line = next(x for x in result.text("scan").splitlines() if x.startswith("Scanned: "))
    scanned = ast.literal_eval(line.removeprefix("Scanned: "))
    assert device.mobile_login_valid(db, user.number, scanned["password"], NOW)
    expires = device.mobile_login_expiry(db, user, NOW)
    assert expires is not None
    login = device.MobileLogin(scanned["server"], int(scanned["port"]), user.number, scanned["password"], expires)
    (png,) = result.mime("qr", "image/png")
    assert base64.b64decode(str(png)) == device.qr_png(login)
    assert "Valid now: True\nValid in 25 hours: False\nActivation email's login still valid: False" in (
        result.text("scan")
    )


@pytest.mark.req("NB-1")
def test_read_only_keys_were_refused_with_the_services_message_and_kept(
    lesson: Lesson, db: Store, user: auth.User
) -> None:
    result = lesson.run
    keys = device.keys(db, user, PHONE).rows(named=True)
    assert [(k["Option"], k["Function"], k["Resource"], k["Label"]) for k in keys[3:6]] == [
        (4, "Extension appearance", "7104", "Tara Gould 7104"),
        (5, "User speed dial", "+14165550142", "Supplier"),
        (6, "DTMF", "*72#", "DTMF"),
    ]
    assert [k["Assigned"] for k in keys[:3]] == ["Reserved", "Reserved", "Admin Assigned"]
    expected = []
    for position, function, resource in [(1, "Speed dial", "7102"), (3, "Intercom", ""), (7, "DTMF", "call me")]:
        with pytest.raises((auth.PermissionDenied, device.DeviceError)) as refused:
            device.set_key(db, user, PHONE, 1, position, function, resource)
        expected.append(f"Key {position}: refused - {refused.value}")
    assert result.text("refused").splitlines()[:3] == expected
    assert device.keys(db, user, PHONE).rows(named=True) == keys  # nothing changed


@pytest.mark.req("NB-1")
def test_the_revoked_softclient_left_the_list(lesson: Lesson, db: Store, user: auth.User) -> None:
    result = lesson.run
    assert "iPhone14,2" in result.text("soft")
    assert device.soft_phones(db, user).is_empty()
    assert "soft phones left: 0" in result.text("revoke")
    desk = device.desk_phones(db, user).row(0, named=True)
    assert desk["MAC"] in result.text("desk")
