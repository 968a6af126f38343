"""Fax service (guide p.33-35): Inbox, Sent, cover pages, Monitor (FAX-1..5, AUTH-5)."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from fvkit.portal import auth, fax
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.display import local_time
from fvkit.store.db import Store

NOW = datetime(2026, 10, 6, 15, 30)
OWNER = "7101"  # every privilege; monitors efax1 in the seeded organisation
OTHER = "7104"  # Fax privilege, Premium, no monitoring
NO_FAX = "7102"  # Standard, without the Fax privilege
ACCOUNT = "efax1"  # its faxes are kept under its extension, 7801


def _pdf(pages: int) -> bytes:
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
    return bytes(pdf.output())


def _receive(store: Store, fax_id: int, owner: str, when: datetime, remote: str = "16045550199") -> None:
    store.execute(
        "INSERT INTO fax (id, owner, box, linkedid, remote_number, remote_name, time, pages, status, seed) "
        "VALUES (?, ?, 'Inbox', ?, ?, 'Acme Supplies', ?, 2, 'Received', ?)",
        [fax_id, owner, f"l{fax_id}", remote, when, fax_id],
    )


@pytest.fixture
def store(seeded_store: Store) -> Store:
    """The seeded organisation with two received faxes for 7101 and one for 7104."""
    _receive(seeded_store, 9001, OWNER, datetime(2026, 10, 5, 9))
    _receive(seeded_store, 9002, OWNER, datetime(2026, 10, 5, 11))
    _receive(seeded_store, 9003, OTHER, datetime(2026, 10, 5, 10), remote="16045550777")
    return seeded_store


@pytest.mark.req("FAX-1")
def test_inbox_lists_own_faxes_newest_first_with_local_times(store: Store) -> None:
    user = auth.acting_as(store, OWNER)
    page = fax.list_page(store, user, "Inbox")
    assert page.label == "1-2 of 2"
    assert page.rows["id"].to_list() == [9002, 9001]
    assert page.rows["From"][0] == "Acme Supplies 16045550199"
    assert page.rows["Status"].to_list() == ["Received", "Received"]
    assert page.rows["Pages"].to_list() == [2, 2]


@pytest.mark.req("FAX-1")
def test_inbox_download_is_a_pdf_of_the_faxs_pages(store: Store) -> None:
    user = auth.acting_as(store, OWNER)
    name, pdf = fax.fax_file(store, user, 9001)
    assert name.startswith("fax_") and "from_16045550199" in name and name.endswith(".pdf")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2


@pytest.mark.req("FAX-1")
@pytest.mark.req("AUTH-5")
def test_two_users_never_see_each_others_faxes(store: Store) -> None:
    owner, other = auth.acting_as(store, OWNER), auth.acting_as(store, OTHER)
    assert fax.list_page(store, other, "Inbox").rows["id"].to_list() == [9003]
    assert 9003 not in fax.list_page(store, owner, "Inbox").rows["id"].to_list()
    with pytest.raises(PermissionDenied):
        fax.fax_file(store, other, 9001)
    with pytest.raises(PermissionDenied):
        fax.fax_file(store, owner, 9003)
    with pytest.raises(LookupError):
        fax.fax_file(store, owner, 123456)


@pytest.mark.req("AUTH-4")
def test_fax_screen_needs_the_fax_privilege(store: Store) -> None:
    user = auth.acting_as(store, NO_FAX)
    with pytest.raises(PermissionDenied):
        fax.list_page(store, user, "Inbox")
    with pytest.raises(PermissionDenied):
        fax.record_sent(store, user, "6045550100", _pdf(1), 1, NOW)
    assert store.execute("SELECT count(*) FROM fax WHERE owner = ?", [NO_FAX]).fetchall()[0][0] == 0


@pytest.mark.req("FAX-3")
def test_sent_list_shows_sent_faxes_with_status(store: Store) -> None:
    user = auth.acting_as(store, OWNER)
    new = fax.record_sent(store, user, "+1 604 555 0100", _pdf(3), 3, NOW)
    page = fax.list_page(store, user, "Sent")
    assert page.rows["id"].to_list() == [new]
    assert page.rows.row(0, named=True) == {
        "id": new,
        "To": "16045550100",
        "Time": local_time(NOW, user.time_zone),
        "Pages": 3,
        "Status": "Sent",
    }
    assert fax.fax_file(store, user, new)[1] == _pdf(3)
    assert fax.list_page(store, auth.acting_as(store, OTHER), "Sent").total == 0


@pytest.mark.req("FAX-2")
def test_sent_ids_continue_the_message_counter(store: Store) -> None:
    user = auth.acting_as(store, OWNER)
    before = store.execute(
        "SELECT greatest((SELECT max(id) FROM fax), (SELECT max(id) FROM voicemail), (SELECT max(id) FROM recording))"
    ).fetchall()[0][0]
    new = fax.record_sent(store, user, "6045550100", _pdf(1), 1, NOW)
    assert new == before + 1
    counter = store.execute("SELECT value FROM sim_state WHERE key = 'last_media_id'").fetchall()[0][0]
    assert counter == new


@pytest.mark.req("FAX-4")
@pytest.mark.req("AUTH-5")
def test_cover_pages_are_private_and_deletable(store: Store) -> None:
    owner, other = auth.acting_as(store, OWNER), auth.acting_as(store, OTHER)
    cid = fax.save_cover_page(store, owner, " Letterhead ", "blue", _pdf(1), "application/pdf", NOW)
    assert [(c.id, c.name, c.description) for c in fax.cover_pages(store, owner)] == [(cid, "Letterhead", "blue")]
    assert fax.cover_pages(store, other) == []
    with pytest.raises(PermissionDenied):
        fax.cover_page_file(store, other, cid)
    assert fax.delete_cover_pages(store, other, [cid]) == 0
    assert fax.delete_cover_pages(store, owner, [cid]) == 1
    assert fax.cover_pages(store, owner) == []


@pytest.mark.req("FAX-2")
def test_fax_number_keeps_digits_and_refuses_others() -> None:
    assert fax.fax_number(" +1 (604) 555-0100 ") == "16045550100"
    assert fax.fax_number("7801") == "7801"
    for bad in ("", "abc", "12", "1" * 16, "604+5550100", "604555010O"):
        with pytest.raises(fax.CannotSend):
            fax.fax_number(bad)


@pytest.mark.req("FAX-5")
def test_monitor_lists_the_accounts_faxes(store: Store) -> None:
    user = auth.acting_as(store, OWNER)
    assert list(fax.monitored_accounts(store, user)) == [ACCOUNT]
    page = fax.monitor_page(store, user, ACCOUNT, "Inbox")
    assert page.total == 1 and page.rows["Pages"][0] == 5
    _, pdf = fax.fax_file(store, user, int(page.rows["id"][0]), account=ACCOUNT)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 5
    with pytest.raises(PermissionDenied):  # not without naming the monitored account
        fax.fax_file(store, user, int(page.rows["id"][0]))


@pytest.mark.req("FAX-5")
@pytest.mark.req("AUTH-5")
def test_monitor_refused_for_non_monitors(store: Store) -> None:
    other = auth.acting_as(store, OTHER)  # has Fax, not monitoring
    with pytest.raises(PermissionDenied):
        fax.monitored_accounts(store, other)
    store.execute(
        "UPDATE extension SET privileges = list_append(privileges, 'Fax extension monitoring') WHERE number = ?",
        [OTHER],
    )
    other = auth.acting_as(store, OTHER)  # now has the privilege but is not among the monitors
    assert fax.monitored_accounts(store, other) == {}
    account_fax = int(store.execute("SELECT id FROM fax WHERE owner = '7801'").fetchall()[0][0])
    for action in (
        lambda: fax.monitor_page(store, other, ACCOUNT),
        lambda: fax.delete_monitored(store, other, ACCOUNT, [account_fax]),
        lambda: fax.resend(store, other, ACCOUNT, [account_fax], NOW),
        lambda: fax.forward(store, other, ACCOUNT, [account_fax], OTHER, NOW),
        lambda: fax.fax_file(store, other, account_fax, account=ACCOUNT),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert store.execute("SELECT count(*) FROM fax WHERE owner = '7801'").fetchall()[0][0] == 1


@pytest.mark.req("FAX-5")
def test_monitor_resend_forward_delete(store: Store) -> None:
    user = auth.acting_as(store, OWNER)
    account_fax = int(fax.monitor_page(store, user, ACCOUNT).rows["id"][0])
    (again,) = fax.resend(store, user, ACCOUNT, [account_fax], NOW)
    sent = fax.monitor_page(store, user, ACCOUNT, "Sent")
    assert sent.rows["id"].to_list() == [again] and sent.rows["Status"][0] == "Sent"
    (copy,) = fax.forward(store, user, ACCOUNT, [account_fax], OTHER, NOW)
    other_inbox = fax.list_page(store, auth.acting_as(store, OTHER), "Inbox")
    assert copy in other_inbox.rows["id"].to_list()
    assert (
        fax.fax_file(store, auth.acting_as(store, OTHER), copy)[1]
        == fax.fax_file(store, user, account_fax, account=ACCOUNT)[1]
    )
    with pytest.raises(fax.CannotSend):
        fax.forward(store, user, ACCOUNT, [account_fax], "7801", NOW)  # a fax extension, not a user
    with pytest.raises(PermissionDenied):  # 7101's own fax is not the account's
        fax.delete_monitored(store, user, ACCOUNT, [9001])
    assert fax.delete_monitored(store, user, ACCOUNT, [account_fax]) == 1
    assert fax.monitor_page(store, user, ACCOUNT).total == 0
    assert copy in fax.list_page(store, auth.acting_as(store, OTHER), "Inbox").rows["id"].to_list()


@pytest.mark.req("FAX-1")
def test_received_fax_is_stamped_in_the_organisations_local_time(store: Store) -> None:
    user = auth.acting_as(store, OWNER)
    zone = str(store.execute("SELECT time_zone FROM organisation").fetchone()[0])  # type: ignore[index]
    assert zone != "UTC"
    shown = fax.list_page(store, user, "Inbox").rows["Time"][1]  # fax 9001, 09:00 UTC
    _, pdf = fax.fax_file(store, user, 9001)
    header = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert local_time(datetime(2026, 10, 5, 9), zone)[:16] in header
    assert "2026-10-05 09:00" not in header  # not the UTC clock
    assert str(shown)[:16] == local_time(datetime(2026, 10, 5, 9), zone)[:16]


@pytest.mark.req("FAX-4")
def test_dynamic_cover_page_is_kept_per_user_until_changed(store: Store) -> None:
    owner, other = auth.acting_as(store, OWNER), auth.acting_as(store, OTHER)
    assert fax.dynamic_cover(store, owner) == fax.DynamicCover()
    kept = fax.save_dynamic_cover(store, owner, fax.DynamicCover(sender=" Ann ", recipient="Bob", comments="Hi"), NOW)
    assert kept == fax.DynamicCover(sender="Ann", recipient="Bob", comments="Hi")
    assert fax.dynamic_cover(store, owner) == kept
    assert fax.dynamic_cover(store, other) == fax.DynamicCover()  # another user's is their own
    fax.save_dynamic_cover(store, owner, fax.DynamicCover(subject="Quote"), NOW)
    assert fax.dynamic_cover(store, owner) == fax.DynamicCover(subject="Quote")
    with pytest.raises(PermissionDenied):
        fax.save_dynamic_cover(store, auth.acting_as(store, NO_FAX), kept, NOW)
