"""The Preferences page through AppTest (PREF-1..9)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from fvkit.store import Store
from fvkit.store.secrets import verify_secret
from tests.conftest import SEED_PASSWORD
from tests.dashboards.apptest import open_page

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


def _page(number: str = "7101") -> AppTest:
    return open_page("preferences", number)


def _click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def _query(db: Path, sql: str, owner: str = "7101") -> tuple[object, ...]:
    store = Store(db)  # the portal's own connection is open in this process too: DuckDB shares it
    row = store.execute(sql, [owner]).fetchone()
    store.close()
    assert row is not None
    return tuple(row)


def _notice(at: AppTest) -> str:
    return at.success[0].value if at.success else ""


@pytest.mark.req("PREF-1")
def test_user_setting_is_read_only_with_the_access_table(db: Path) -> None:
    at = _page()
    assert at.text_input(key="pref_number").value == "7101" and at.text_input(key="pref_number").disabled
    assert at.text_input(key="pref_display_name").disabled
    assert at.text_input(key="pref_access_level").value == "Premium"
    table = at.dataframe[0].value  # the only table on the page
    assert list(table["Features"]) == [
        "Configuration",
        "Contacts and Click to dial",
        "Console (appearance)",
        "Call center console",
        "Faxing",
    ]
    assert list(table["Basic"]) == ["No"] * 5


@pytest.mark.req("PREF-2")
def test_picture_upload_refuses_a_wide_one_and_keeps_a_square_one_until_deleted(db: Path) -> None:
    at = _page()
    assert at.button(key="pref_picture_delete").disabled
    wide, square = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (300, 100)).save(wide, format="PNG")
    Image.new("RGB", (100, 100)).save(square, format="JPEG")
    at.file_uploader(key="pref_picture_file").set_value(("me.png", wide.getvalue(), "image/png")).run()
    _click(at, "pref_picture_upload")
    assert "width/height must be between 0.85 and 1.2" in at.error[0].value
    assert _query(db, "SELECT picture_sha256 FROM preference WHERE owner = ?") == (None,)
    at.file_uploader(key="pref_picture_file").set_value(("me.jpg", square.getvalue(), "image/jpeg")).run()
    _click(at, "pref_picture_upload")
    assert _notice(at).startswith("Picture saved")
    assert _query(db, "SELECT picture_sha256 IS NOT NULL FROM preference WHERE owner = ?") == (True,)
    assert not at.button(key="pref_picture_delete").disabled
    _click(at, "pref_picture_delete")
    assert _query(db, "SELECT picture_sha256 FROM preference WHERE owner = ?") == (None,)


@pytest.mark.req("PREF-3")
def test_change_pin_dialog_refuses_a_mismatch_then_stores_the_hash(db: Path) -> None:
    at = _click(_page(), "pref_pin_open")
    at.text_input(key="pref_pin_new").input("1357")
    at.text_input(key="pref_pin_confirm").input("1358")
    _click(at, "FormSubmitter:pref_pin_form-OK")
    assert at.error[0].value == "The PIN and its confirmation differ."
    at.text_input(key="pref_pin_confirm").input("1357")
    _click(at, "FormSubmitter:pref_pin_form-OK")
    assert _notice(at) == "Voicemail PIN changed (hint \\*\\*\\*\\*\\*\\*)."  # escaped: shown as ******
    stored, hint = _query(db, "SELECT vm_pin_hash, vm_pin_hint FROM extension WHERE number = ?")
    assert isinstance(stored, str) and verify_secret(stored, "1357") and hint == "******"


@pytest.mark.req("PREF-4")
def test_change_password_needs_the_current_one(db: Path) -> None:
    at = _click(_page(), "pref_password_open")
    at.text_input(key="pref_pw_current").input("not-my-password")
    at.text_input(key="pref_pw_new").input("brand-new-secret")
    at.text_input(key="pref_pw_confirm").input("brand-new-secret")
    _click(at, "FormSubmitter:pref_password_form-OK")
    assert at.error[0].value == "The current password is wrong."
    at.text_input(key="pref_pw_current").input(SEED_PASSWORD)
    _click(at, "FormSubmitter:pref_password_form-OK")
    assert _notice(at).startswith("Password changed")
    (stored,) = _query(db, "SELECT password_hash FROM extension WHERE number = ?")
    assert isinstance(stored, str) and verify_secret(stored, "brand-new-secret")


@pytest.mark.req("PREF-4")
def test_no_password_change_with_ldap_authentication(db: Path) -> None:
    store = Store(db)
    store.execute("UPDATE extension SET auth_type = 'LDAP' WHERE number = '7101'")
    store.close()
    at = _page()
    assert not [b for b in at.button if b.key == "pref_password_open"]
    assert at.button(key="pref_pin_open") is not None


@pytest.mark.req("PREF-5")
def test_time_zone_saved_applies_at_once_to_call_history(db: Path) -> None:
    at = _page()
    assert at.selectbox(key="pref_web_language").value == "English"
    assert at.selectbox(key="pref_theme").value == "Green"
    assert at.selectbox(key="pref_time_zone").value == "America/Los_Angeles"
    at.switch_page("app_pages/call_history.py").run()
    before = at.dataframe[0].value["Start"].iloc[-1]
    at.switch_page("app_pages/preferences.py").run()
    at.selectbox(key="pref_time_zone").select("Asia/Tokyo")
    at.selectbox(key="pref_theme").select("Orange")
    _click(at, "FormSubmitter:pref_display_form-OK")
    assert "GMT +9:00 Tokyo" in _notice(at)
    assert _query(db, "SELECT time_zone, theme FROM preference WHERE owner = ?") == ("Asia/Tokyo", "Orange")
    at.switch_page("app_pages/call_history.py").run()
    after = at.dataframe[0].value["Start"].iloc[-1]
    assert before != after and after[11:13] == f"{(int(before[11:13]) + 16) % 24:02d}"  # PDT -> JST
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert "#ef6c00" in styles and "#2e7d32" not in styles  # the Orange theme colours the portal


@pytest.mark.req("PREF-6")
def test_incoming_calls_ring_duration_and_call_waiting(db: Path) -> None:
    at = _page()
    at.number_input(key="pref_ring").set_value(50)
    at.toggle(key="pref_call_waiting").set_value(False)
    _click(at, "FormSubmitter:pref_incoming_form-OK")
    assert _notice(at) == "Incoming calls: ring 50 s, call waiting off."
    assert _query(db, "SELECT ring_seconds, call_waiting FROM handling WHERE owner = ?") == (50, False)


@pytest.mark.req("PREF-7")
def test_quick_mode_edit_activate_and_cancel(db: Path) -> None:
    at = _click(_page(), "pref_quick_edit_721")
    at.radio(key="pref_quick_how").set_value("For a time").run()
    at.number_input(key="pref_quick_hours").set_value(2)
    at.number_input(key="pref_quick_minutes").set_value(15)
    _click(at, "pref_quick_ok")
    assert at.button(key="pref_quick_edit_721").label == "Out of office: for 2 h 15 min"
    assert at.button(key="pref_quick_cancel").disabled
    _click(at, "pref_quick_on_721")
    assert _notice(at).startswith("Quick mode on: Out of office: (expiring at ")
    assert any(m.value.startswith("**Effective mode:** Out of office: (expiring at") for m in at.markdown)
    assert _query(db, "SELECT quick_status FROM handling WHERE owner = ?") == ("Out of office",)
    _click(at, "pref_quick_cancel")
    assert _query(db, "SELECT quick_status FROM handling WHERE owner = ?") == (None,)


@pytest.mark.req("PREF-8")
def test_twinning_simple_and_scheduled(db: Path) -> None:
    at = _page()
    at.radio(key="pref_twin_mode").set_value("Simple").run()
    at.radio(key="pref_twin_status").set_value("Activated")
    at.text_input(key="pref_twin_number").input("7102")
    _click(at, "pref_twin_ok")
    assert "is an extension" in at.error[0].value
    at.text_input(key="pref_twin_number").input("+1 408 555 0177")
    _click(at, "pref_twin_ok")
    assert _notice(at).startswith("Twinning setting saved")
    row = "SELECT twinning_mode, twinning_status, twinning_number FROM handling WHERE owner = ?"
    assert _query(db, row) == ("Simple", "Activated", "14085550177")
    at.radio(key="pref_twin_mode").set_value("Scheduled").run()
    at.selectbox(key="pref_twin_sched_0").select("business_hour")
    at.text_input(key="pref_twin_num_0").input("4085550188")
    _click(at, "pref_twin_ok")
    assert _query(db, "SELECT schedule, number FROM twinning_schedule WHERE owner = ?") == (
        "business_hour",
        "14085550188",
    )


@pytest.mark.req("PREF-8")
def test_no_twinning_section_without_the_privilege(db: Path) -> None:
    at = _page("7102")  # the seed gives 7102 no Twinning privilege
    assert not [r for r in at.radio if r.key == "pref_twin_mode"]
    assert "#### Twinning Setting" not in [m.value for m in at.markdown]


@pytest.mark.req("PREF-9")
def test_notification_options_validate_the_addresses(db: Path) -> None:
    at = _page()
    at.selectbox(key="pref_notify_vm").select("With attachment")
    at.toggle(key="pref_notify_missed").set_value(True)
    at.text_input(key="pref_notify_emails").input("me@example.com, nope")
    _click(at, "FormSubmitter:pref_notify_form-OK")
    assert at.error[0].value == "'nope' is not an email address."
    at.text_input(key="pref_notify_emails").input("me@example.com, boss@example.org")
    _click(at, "FormSubmitter:pref_notify_form-OK")
    assert _notice(at) == "Notification options saved."
    row = "SELECT vm_notification, missed_call_email, notify_emails FROM preference WHERE owner = ?"
    assert _query(db, row) == ("With attachment", True, "me@example.com, boss@example.org")
