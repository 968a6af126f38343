"""Device services (DEV-1..6, NOTIF-1): activation email, phones, login details, programmable keys."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import polars as pl
import pytest

from fvkit.media.mail import MailSettings
from fvkit.portal import auth, device
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.display import local_time
from fvkit.store.db import Store
from tests.conftest import SEED_PASSWORD

NOW = datetime(2026, 10, 6, 12, 0)
DAY = timedelta(hours=24)


def _user(store: Store, number: str) -> auth.User:
    return auth.sign_in(store, number, SEED_PASSWORD, NOW)


def zbar_decode(png: bytes, tmp_path: Path) -> str:
    """Decode a QR code image with zbarimg, as a phone's camera would read it."""
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian zbar-tools) is not installed")
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    done = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, check=True, timeout=30)
    return done.stdout.decode().strip()


def _sent(tmp_path: Path) -> EmailMessage:
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    msg = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


@pytest.mark.req("DEV-1")
@pytest.mark.req("NOTIF-1")
def test_activation_email_carries_the_guides_text_a_new_pin_and_a_qr_code(seeded_store: Store, tmp_path: Path) -> None:
    user = _user(seeded_store, "7101")
    address = seeded_store.execute("SELECT notify_emails FROM preference WHERE owner = '7101'").fetchone()[0]
    raw_id = device.cloud_id(seeded_store)
    sent = device.send_activation_email(seeded_store, user, NOW, MailSettings(outbox=tmp_path / "outbox"))
    assert sent.recipients == [address]

    msg = _sent(tmp_path)
    assert msg["Subject"] == "Your FortiFone account is ready for sign in"
    assert msg["To"] == address
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert (
        f"Welcome to FortiVoice Cloud! {user.extension.display_name} <7101>, your FortiFone account is ready."
    ) in text
    assert "(The Cloud PIN and QR Code will expire in 24 hours.)" in text
    assert f"Cloud ID: {raw_id[:3]} {raw_id[3:6]} {raw_id[6:]}" in text
    assert "Extension No.: 7101" in text
    pin = next(line.removeprefix("Cloud PIN: ") for line in text.splitlines() if line.startswith("Cloud PIN: "))
    assert len(pin) == 6 and pin.isdigit()
    assert "When accessing voicemail please use your voicemail PIN: ****" in text

    # the PIN in the email registers a phone for 24 hours, and only it
    assert device.cloud_pin_valid(seeded_store, "7101", pin, NOW + DAY - timedelta(seconds=1))
    assert not device.cloud_pin_valid(seeded_store, "7101", pin, NOW + DAY)
    assert not device.cloud_pin_valid(seeded_store, "7101", "000000" if pin != "000000" else "111111", NOW)

    images = [p for p in msg.iter_attachments() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_filename() == "fortifone-7101-qr.png"
    fields = device.parse_payload(zbar_decode(images[0].get_content(), tmp_path))
    assert fields["server"] == "example.com" and fields["username"] == "7101"
    assert fields["port"] == str(device.MOBILE_PORT)
    assert device.mobile_login_valid(seeded_store, "7101", fields["password"], NOW)
    assert not device.mobile_login_valid(seeded_store, "7101", fields["password"], NOW + DAY)


@pytest.mark.req("DEV-1")
def test_activation_email_needs_a_notification_address(seeded_store: Store, tmp_path: Path) -> None:
    user = _user(seeded_store, "7101")
    seeded_store.execute("UPDATE preference SET notify_emails = '' WHERE owner = '7101'")
    with pytest.raises(device.DeviceError, match=r"Preferences > Notification Options"):
        device.send_activation_email(seeded_store, user, NOW, MailSettings(outbox=tmp_path / "outbox"))
    assert not (tmp_path / "outbox").exists()
    assert device.cloud_pin_expiry(seeded_store, user, NOW) is None  # nothing was generated
    seeded_store.execute("UPDATE preference SET notify_emails = 'me@x.com\nBcc: evil@x.com' WHERE owner = '7101'")
    with pytest.raises(device.DeviceError, match="Not an email address"):
        device.send_activation_email(seeded_store, user, NOW, MailSettings(outbox=tmp_path / "outbox"))


@pytest.mark.req("DEV-5")
def test_cloud_pin_is_stored_hashed_expires_in_24_hours_and_a_new_one_replaces_it(seeded_store: Store) -> None:
    user = _user(seeded_store, "7101")
    first = device.generate_cloud_pin(seeded_store, user, NOW)
    stored = seeded_store.execute("SELECT pin_hash, expires_at FROM cloud_pin WHERE extension = '7101'").fetchone()
    assert stored[0].startswith("$argon2id$") and first.pin not in stored[0]
    assert stored[1] == NOW + DAY == first.expires_at
    assert device.cloud_pin_expiry(seeded_store, user, NOW) == NOW + DAY
    assert device.cloud_pin_expiry(seeded_store, user, NOW + DAY) is None
    second = device.generate_cloud_pin(seeded_store, user, NOW + timedelta(hours=1))
    assert device.cloud_pin_valid(seeded_store, "7101", second.pin, NOW + timedelta(hours=2))
    if second.pin != first.pin:
        assert not device.cloud_pin_valid(seeded_store, "7101", first.pin, NOW + timedelta(hours=2))


@pytest.mark.req("DEV-5")
def test_desk_phones_show_the_guides_columns_in_the_users_time_zone(seeded_store: Store) -> None:
    user = _user(seeded_store, "7104")
    frame = device.desk_phones(seeded_store, user)
    assert frame.columns[1:] == ["Phone model", "MAC", "IP", "Phone Info", "Registry time", "Expiry time"]
    row = frame.row(0, named=True)
    stored = seeded_store.execute("SELECT registry_time, expiry_time FROM device WHERE id = ?", [row["id"]]).fetchone()
    assert row["Registry time"] == local_time(stored[0], user.time_zone)
    assert row["Expiry time"] == local_time(stored[1], user.time_zone)
    assert row["Phone model"] == "FortiFone-580" and row["Phone Info"].startswith("Fortinet FON-580")
    assert device.grouped_cloud_id("7070137030", "-") == "707-013-7030"  # guide p.54


@pytest.mark.req("DEV-3")
def test_mobile_login_is_a_qr_code_of_the_login_details_valid_24_hours(seeded_store: Store, tmp_path: Path) -> None:
    user = _user(seeded_store, "7104")
    login = device.new_mobile_login(seeded_store, user, NOW)
    assert (login.server, login.username, login.expires_at) == ("example.com", "7104", NOW + DAY)
    stored = seeded_store.execute("SELECT secret_hash FROM mobile_login WHERE extension = '7104'").fetchone()[0]
    assert stored.startswith("$argon2id$") and login.password not in stored
    decoded = zbar_decode(device.qr_png(login), tmp_path)
    assert decoded == login.payload
    assert device.parse_payload(decoded)["password"] == login.password
    assert device.mobile_login_expiry(seeded_store, user, NOW + DAY) is None  # a later `now`: expired
    again = device.new_mobile_login(seeded_store, user, NOW + timedelta(hours=2))  # regenerate
    assert not device.mobile_login_valid(seeded_store, "7104", login.password, NOW + timedelta(hours=3))
    assert device.mobile_login_valid(seeded_store, "7104", again.password, NOW + timedelta(hours=3))
    assert list(login.details(user.time_zone)) == ["Server", "Port", "Username", "Password", "Expires"]
    with pytest.raises(device.DeviceError):
        device.parse_payload("https://example.com/?server=x")


@pytest.mark.req("DEV-3")
@pytest.mark.req("DEV-1")
def test_viewing_the_mobile_login_again_gives_the_emailed_one_until_a_new_one(
    seeded_store: Store, tmp_path: Path
) -> None:
    user = _user(seeded_store, "7101")
    sent = device.send_activation_email(seeded_store, user, NOW, MailSettings(outbox=tmp_path / "outbox"))
    for later in (NOW + timedelta(minutes=1), NOW + timedelta(hours=23)):
        assert device.mobile_login(seeded_store, user, later) == sent.login  # the emailed QR code, still valid
    assert device.mobile_login_valid(seeded_store, "7101", sent.login.password, NOW + timedelta(hours=23))
    fresh = device.new_mobile_login(seeded_store, user, NOW + timedelta(hours=1))
    assert fresh.password != sent.login.password
    assert device.mobile_login(seeded_store, user, NOW + timedelta(hours=2)) == fresh
    assert not device.mobile_login_valid(seeded_store, "7101", sent.login.password, NOW + timedelta(hours=2))
    expired = device.mobile_login(seeded_store, user, NOW + timedelta(hours=26))  # past 24 h: a new one
    assert expired.password != fresh.password and expired.expires_at == NOW + timedelta(hours=26) + DAY
    stored = seeded_store.execute("SELECT secret_hash, nonce FROM mobile_login WHERE extension = '7101'").fetchone()
    assert stored[0].startswith("$argon2id$") and expired.password not in stored[0] + stored[1]


@pytest.mark.req("DEV-4")
def test_desktop_login_lists_server_port_username_password(seeded_store: Store) -> None:
    user = _user(seeded_store, "7104")
    info = device.desktop_login(seeded_store, user)
    assert info == {
        "Server": "example.com",
        "Port": "9000",
        "Username": "7104",
        "Password": "your user portal password",
    }


@pytest.mark.req("DEV-2")
def test_soft_phones_list_and_revoke_only_ones_own(seeded_store: Store) -> None:
    user = _user(seeded_store, "7104")
    frame = device.soft_phones(seeded_store, user)
    assert frame.columns[1:] == ["Extension Number", "Client Version", "Phone Info", "OS Platform", "OS Version"]
    assert frame["Extension Number"].to_list() == ["7104"]
    own = int(frame["id"][0])
    other = seeded_store.execute("SELECT id FROM device WHERE extension = '7102' AND kind = 'soft'").fetchone()[0]
    desk = seeded_store.execute("SELECT id FROM device WHERE extension = '7104' AND kind = 'desk'").fetchone()[0]
    for wrong in (other, desk):
        with pytest.raises(PermissionDenied):
            device.revoke(seeded_store, user, wrong)
    device.revoke(seeded_store, user, own)
    assert device.soft_phones(seeded_store, user).is_empty()
    assert seeded_store.execute("SELECT revoked FROM device WHERE id = ?", [own]).fetchone()[0] is True
    with pytest.raises(PermissionDenied):
        device.revoke(seeded_store, user, own)  # already revoked


@pytest.mark.req("DEV-6")
def test_keys_only_for_phones_that_support_them_with_reserved_and_admin_keys_read_only(seeded_store: Store) -> None:
    assert device.programmable_phones(seeded_store, _user(seeded_store, "7101")) == {}  # FON-280B
    user = _user(seeded_store, "7104")
    (phone,) = device.programmable_phones(seeded_store, user)
    assert device.key_pages(seeded_store, user, phone) == [1]
    frame = device.keys(seeded_store, user, phone)
    assert frame["Assigned"].to_list()[:3] == ["Reserved", "Reserved", "Admin Assigned"]
    assert frame["Function"].to_list()[3:] == [device.UNSET] * 4
    for position in (1, 3):
        with pytest.raises(PermissionDenied, match="only user-assigned keys"):
            device.set_key(seeded_store, user, phone, 1, position, "Park")
    other_phone = seeded_store.execute("SELECT id FROM device WHERE extension = '7105' AND kind = 'desk'").fetchone()[0]
    with pytest.raises(PermissionDenied):
        device.keys(seeded_store, user, other_phone)


@pytest.mark.req("DEV-6")
def test_user_keys_take_the_guides_default_labels(seeded_store: Store) -> None:
    user = _user(seeded_store, "7104")
    (phone,) = device.programmable_phones(seeded_store, user)
    gina = seeded_store.execute("SELECT display_name FROM extension WHERE number = '7105'").fetchone()[0]
    cases = [
        ("Park", "", "Auto park", ""),
        ("Intercom", "", "Intercom", ""),
        ("Private Hold", "", "Private Hold", ""),
        ("DTMF", "12*#", "DTMF", "12*#"),
        ("Speed dial", "+1 (604) 555-0100", "Speed dial", "+16045550100"),
        ("Extension appearance", "7105", f"{gina} 7105", "7105"),
        ("Park appearance", "7601", "Park 1", "7601"),
        ("Line appearance", "fve126 (1)", "fve126 (1)", "fve126 (1)"),
        ("Reserved for line", "Account 1", "Account 1", "Account 1"),
    ]
    for function, resource, label, stored in cases:
        assert device.set_key(seeded_store, user, phone, 1, 4, function, resource) == {
            "function": function,
            "resource": stored,
            "label": label,
        }
    speed = device.resource_choices(seeded_store, user, "System speed dial")
    assert speed and "*01" in speed
    expected = seeded_store.execute("SELECT label FROM system_speed_dial WHERE code = '*01'").fetchone()[0]
    assert device.set_key(seeded_store, user, phone, 1, 5, "System speed dial", "*01")["label"] == expected
    assert device.set_key(seeded_store, user, phone, 1, 6, "Park", "", "  Lot  ")["label"] == "Lot"
    row = device.keys(seeded_store, user, phone).filter(pl.col("Option") == 4).row(0, named=True)
    assert (row["Function"], row["Resource"], row["Label"]) == ("Reserved for line", "Account 1", "Account 1")
    device.set_key(seeded_store, user, phone, 1, 4, device.UNSET)
    assert device.keys(seeded_store, user, phone)["Function"][3] == device.UNSET


@pytest.mark.req("DEV-6")
def test_keys_refuse_missing_privileges_and_bad_resources(seeded_store: Store) -> None:
    user = _user(seeded_store, "7104")  # no Personal recording privilege
    (phone,) = device.programmable_phones(seeded_store, user)
    with pytest.raises(device.DeviceError, match="Record function needs the Personal recording privilege"):
        device.set_key(seeded_store, user, phone, 1, 4, "Record")
    seeded_store.execute("UPDATE extension SET privileges = ['User portal'] WHERE number = '7104'")
    narrow = _user(seeded_store, "7104")
    with pytest.raises(device.DeviceError, match="Twinning function needs the Twinning privilege"):
        device.set_key(seeded_store, narrow, phone, 1, 4, "Twinning")
    bad = [
        ("DTMF", "12a", "DTMF digits"),
        ("Speed dial", "call me", "extension or a phone number"),
        ("Extension appearance", "9999", "Select a resource"),
        ("Extension appearance", "7104", "Select a resource"),  # not one's own extension
        ("Park appearance", "7699", "Select a resource"),
        ("Fly", "", "Unknown function"),
    ]
    for function, resource, message in bad:
        with pytest.raises(device.DeviceError, match=message):
            device.set_key(seeded_store, user, phone, 1, 4, function, resource)
    with pytest.raises(device.DeviceError, match="at most 32"):
        device.set_key(seeded_store, user, phone, 1, 4, "Park", "", "x" * 33)
    assert device.keys(seeded_store, user, phone)["Function"][3] == device.UNSET  # nothing was stored

    recorder = _user(seeded_store, "7108")  # has Personal recording and Twinning
    (own,) = device.programmable_phones(seeded_store, recorder)
    assert device.set_key(seeded_store, recorder, own, 1, 4, "Record")["label"] == "Record"
    assert device.set_key(seeded_store, recorder, own, 1, 5, "Twinning")["label"] == "Twinning"


@pytest.mark.req("DEV-6")
def test_park_keys_need_the_call_parking_the_administrator_configures(seeded_store: Store) -> None:
    user = _user(seeded_store, "7104")
    (phone,) = device.programmable_phones(seeded_store, user)
    seeded_store.execute("DELETE FROM park_slot")
    for function in ("Park", "Park appearance"):
        with pytest.raises(device.DeviceError, match="configured no call park slots"):
            device.set_key(seeded_store, user, phone, 1, 4, function, "7601")
    assert device.set_key(seeded_store, user, phone, 1, 4, "Intercom")["label"] == "Intercom"


@pytest.mark.req("DEV-1")
def test_an_undelivered_activation_email_keeps_the_current_cloud_pin(seeded_store: Store, tmp_path: Path) -> None:
    user = _user(seeded_store, "7101")
    pin = device.generate_cloud_pin(seeded_store, user, NOW)
    blocked = tmp_path / "outbox"
    blocked.write_text("a file where the outbox folder should be")
    with pytest.raises(OSError):
        device.send_activation_email(seeded_store, user, NOW + timedelta(hours=1), MailSettings(outbox=blocked))
    assert device.cloud_pin_valid(seeded_store, "7101", pin.pin, NOW + timedelta(hours=2))
    assert device.mobile_login_expiry(seeded_store, user, NOW) is None
