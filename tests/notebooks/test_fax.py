"""NB-1: the Fax walkthrough (guide p.33-35) shows the services' own lists, PDFs and refusals."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from fvkit.portal import auth, fax
from fvkit.sim.classroom import CLASS_NOW, CLASS_PASSWORD
from fvkit.store import Store
from pipelines import fax as fax_files
from tests.notebooks.harness import Lesson

NOTEBOOK = "07-fax.ipynb"
NOW = CLASS_NOW


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.req("NB-1")
def test_the_inbox_and_its_download_are_the_services(lesson: Lesson, db: Store) -> None:
    result = lesson.run
    user = auth.sign_in(db, "7101", CLASS_PASSWORD, NOW)
    inbox = fax.list_page(db, user, "Inbox")
    assert inbox.total == 1
    shown = result.text("inbox")
    assert inbox.label in shown
    row = inbox.rows.row(0, named=True)
    for value in row.values():
        assert str(value) in shown
    name, pdf = fax.fax_file(db, user, row["id"])
    assert f"{name}\n%PDF- file, {len(pdf):,} bytes, {row['Pages']} pages" in result.text("download")
    assert _pages(pdf) == row["Pages"]


@pytest.mark.req("NB-1")
def test_the_sent_fax_is_one_pdf_of_cover_and_attachment(lesson: Lesson, db: Store) -> None:
    result = lesson.run
    user = auth.sign_in(db, "7101", CLASS_PASSWORD, NOW)
    sent = fax.list_page(db, user, "Sent")
    assert sent.total == 2  # the Dynamic-cover fax and the letterhead one; the refused ones stored nothing
    dynamic_id = min(sent.rows["id"])  # sent first; the letterhead fax came after
    name, pdf = fax.fax_file(db, user, dynamic_id)
    assert _pages(pdf) == 3  # cover + the two-page purchase order
    assert f"Fax {dynamic_id} sent to 14165550199: 3 page(s)" in result.text("send")
    shown = result.text("sent")
    assert f"{name}: 3 pages" in shown
    assert "Subject: Purchase order 4711" in shown and "P.1/3" in shown


@pytest.mark.req("NB-1")
def test_refused_files_print_the_services_message_and_store_nothing(lesson: Lesson, db: Store) -> None:
    result = lesson.run
    png = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(png, "PNG")
    expected = []
    for name, content in {"scan.png": png.getvalue(), "huge.pdf": bytes(fax_files.ATTACHMENT_MAX_BYTES + 1)}.items():
        with pytest.raises(fax_files.FaxFileRefused) as refused:
            fax_files.check_file(name, content)
        expected.append(f"Refused: {refused.value}")
    shown = result.text("refused")
    assert shown.splitlines()[:2] == expected
    assert "Sent faxes before: 1, after: 1" in shown
    assert "Refused: A PDF cover page must be one page." in result.text("cover")
    user = auth.sign_in(db, "7101", CLASS_PASSWORD, NOW)
    assert [c.name for c in fax.cover_pages(db, user)] == ["Letterhead"]


@pytest.mark.req("NB-1")
def test_monitoring_resends_and_deletes_on_the_account(lesson: Lesson, db: Store) -> None:
    result = lesson.run
    user = auth.sign_in(db, "7101", CLASS_PASSWORD, NOW)
    inbox = fax.monitor_page(db, user, "efax1")
    ids = [int(i) for i in inbox.rows["id"]]
    assert ids and ids == sorted(ids, reverse=True)  # newest first
    for party in inbox.rows["From"]:
        assert party in result.text("monitor")
    assert f"Fax {ids[-1]} resent as fax" in result.text("resend")  # the oldest of the account
    assert fax.monitor_page(db, user, "efax1", "Sent").total == 0  # the notebook deleted the copy
    assert "Deleted 1 fax(es)" in result.text("delete")
