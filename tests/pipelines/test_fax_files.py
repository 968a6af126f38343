"""Fax files (guide p.33-34): uploads checked by content, a sent fax built as one PDF (FAX-2, FAX-4)."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

from fvkit.domain import limits
from fvkit.portal import auth
from fvkit.portal import fax as fax_service
from fvkit.portal.auth import PermissionDenied
from fvkit.store.db import Store
from pipelines import fax
from pipelines.fax import DynamicCover, FaxFileRefused

NOW = datetime(2026, 10, 6, 15, 30)
SENDER = "7101"  # every privilege in the seeded organisation


def pdf_bytes(pages: int, text: str = "Attachment") -> bytes:
    """Return a real PDF of `pages` pages, each saying `text` and its number."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=14)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(text=f"{text} page {n}")
    return bytes(pdf.output())


def locked_pdf() -> bytes:
    """Return a one-page PDF that needs a password to open."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes(1)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (300, 200)) -> bytes:
    """Return a small image in a Pillow format ("JPEG", "PNG")."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def counts(store: Store) -> tuple[int, int, int]:
    """Return how many faxes, cover pages and blobs are stored."""
    row = store.execute(
        "SELECT (SELECT count(*) FROM fax), (SELECT count(*) FROM cover_page), (SELECT count(*) FROM media_blob)"
    ).fetchall()[0]
    return int(row[0]), int(row[1]), int(row[2])


def texts(pdf: bytes) -> list[str]:
    """Return the text of every page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.req("FAX-2")
def test_check_file_accepts_pdf_and_jpeg_by_content() -> None:
    assert fax.check_file("a.pdf", pdf_bytes(3)).pages == 3
    jpeg = fax.check_file("photo.png", image_bytes("JPEG"))  # the name does not matter, the bytes do
    assert (jpeg.mime, jpeg.pages) == ("image/jpeg", 1)


@pytest.mark.req("FAX-2")
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.pdf", b"Dear sir, this is plain text and not a PDF.", "neither a PDF nor a JPEG"),
        ("chart.pdf", image_bytes("PNG"), "PNG image: only PDF and JPEG"),
        ("broken.pdf", b"%PDF-1.7\n garbage that is no PDF", "damaged PDF"),
        ("fake.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "neither a PDF nor a JPEG"),
        ("empty.pdf", b"", "empty"),
        ("locked.pdf", locked_pdf(), "password-protected PDF"),
    ],
)
def test_send_fax_refuses_bad_attachments_and_stores_nothing(
    seeded_store: Store, name: str, content: bytes, reason: str
) -> None:
    user = auth.acting_as(seeded_store, SENDER)
    before = counts(seeded_store)
    with pytest.raises(FaxFileRefused, match=reason):
        fax.send_fax(
            seeded_store,
            user,
            to="+1 604 555 0100",
            attachments=[("good.pdf", pdf_bytes(1)), (name, content)],
            cover=DynamicCover(sender="Ann"),
            now=NOW,
        )
    assert counts(seeded_store) == before


@pytest.mark.req("FAX-2")
def test_send_fax_oversized_attachment_refused(seeded_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fax, "ATTACHMENT_MAX_BYTES", 1000)
    user = auth.acting_as(seeded_store, SENDER)
    before = counts(seeded_store)
    with pytest.raises(FaxFileRefused, match=r"big\.pdf is larger than 1000 bytes"):
        fax.send_fax(
            seeded_store, user, to="6045550100", attachments=[("big.pdf", pdf_bytes(5))], cover=DynamicCover(), now=NOW
        )
    assert counts(seeded_store) == before


@pytest.mark.req("FAX-2")
@pytest.mark.parametrize("to", ["", "call me", "12", "1234567890123456", "604+555", "7101; DROP TABLE fax"])
def test_send_fax_refuses_bad_numbers(seeded_store: Store, to: str) -> None:
    user = auth.acting_as(seeded_store, SENDER)
    before = counts(seeded_store)
    with pytest.raises(fax_service.CannotSend):
        fax.send_fax(seeded_store, user, to=to, attachments=[("a.pdf", pdf_bytes(1))], cover=DynamicCover(), now=NOW)
    assert counts(seeded_store) == before


@pytest.mark.req("FAX-2")
def test_send_fax_dynamic_cover_and_attachments_make_one_pdf(seeded_store: Store) -> None:
    user = auth.acting_as(seeded_store, SENDER)
    cover = DynamicCover("Ann Lee", "ann@example.com", "Quote 42", "Acme", "Please sign page 2.")
    sent = fax.send_fax(
        seeded_store,
        user,
        to="+1 (604) 555-0100",
        attachments=[("quote.pdf", pdf_bytes(2, "Quote")), ("scan.jpg", image_bytes("JPEG"))],
        cover=cover,
        header="Quote for Acme",
        station_id="FV-BURNABY",
        now=NOW,
    )
    assert sent.pages == 4
    row = seeded_store.execute(
        "SELECT owner, box, remote_number, pages, status, blob_sha256 FROM fax WHERE id = ?", [sent.id]
    ).fetchall()[0]
    assert row[:5] == (SENDER, "Sent", "16045550100", 4, "Sent")
    name, pdf = fax_service.fax_file(seeded_store, user, sent.id)
    assert name.endswith(".pdf") and "to_16045550100" in name
    pages = texts(pdf)
    assert len(pages) == 4
    assert "Ann Lee" in pages[0] and "Quote 42" in pages[0] and "Please sign page 2." in pages[0]
    assert "Quote page 1" in pages[1] and "Quote page 2" in pages[2]
    for n, page in enumerate(pages, start=1):
        assert f"P.{n}/4" in page
        assert "FROM: 7101 (FV-BURNABY)" in page and "TO: 16045550100" in page and "Quote for Acme" in page


@pytest.mark.req("FAX-2")
def test_send_fax_with_uploaded_cover_page(seeded_store: Store) -> None:
    user = auth.acting_as(seeded_store, SENDER)
    cover_id = fax.add_cover_page(
        seeded_store,
        user,
        name="Letterhead",
        description="",
        file_name="cover.pdf",
        content=pdf_bytes(1, "Our letterhead"),
        now=NOW,
    )
    sent = fax.send_fax(
        seeded_store, user, to="6045550100", attachments=[("a.pdf", pdf_bytes(1))], cover=cover_id, now=NOW
    )
    pages = texts(fax_service.fax_file(seeded_store, user, sent.id)[1])
    assert len(pages) == 2 and "Our letterhead page 1" in pages[0] and "Attachment page 1" in pages[1]


@pytest.mark.req("FAX-2")
def test_send_fax_with_a_jpeg_cover_page_makes_it_a_page(seeded_store: Store) -> None:
    user = auth.acting_as(seeded_store, SENDER)
    cover_id = fax.add_cover_page(
        seeded_store, user, name="Logo", description="", file_name="logo.jpg", content=image_bytes("JPEG"), now=NOW
    )
    sent = fax.send_fax(
        seeded_store, user, to="6045550100", attachments=[("a.pdf", pdf_bytes(1))], cover=cover_id, now=NOW
    )
    reader = PdfReader(io.BytesIO(fax_service.fax_file(seeded_store, user, sent.id)[1]))
    assert len(reader.pages) == 2
    assert reader.pages[0].images  # the JPEG, placed on the first page
    assert "P.1/2" in reader.pages[0].extract_text()


@pytest.mark.req("FAX-2")
@pytest.mark.req("AUTH-5")
def test_send_fax_refuses_another_users_cover_page(seeded_store: Store) -> None:
    owner = auth.acting_as(seeded_store, SENDER)
    other = auth.acting_as(seeded_store, "7104")
    cover_id = fax.add_cover_page(
        seeded_store, owner, name="Mine", description="", file_name="c.jpg", content=image_bytes("JPEG"), now=NOW
    )
    before = counts(seeded_store)
    with pytest.raises(PermissionDenied):
        fax.send_fax(
            seeded_store, other, to="6045550100", attachments=[("a.pdf", pdf_bytes(1))], cover=cover_id, now=NOW
        )
    assert counts(seeded_store) == before


@pytest.mark.req("FAX-4")
def test_cover_page_jpeg_and_one_page_pdf_accepted(seeded_store: Store) -> None:
    user = auth.acting_as(seeded_store, SENDER)
    for name, content in (("logo.jpg", image_bytes("JPEG")), ("page.pdf", pdf_bytes(1))):
        fax.add_cover_page(seeded_store, user, name=name, description="mine", file_name=name, content=content, now=NOW)
    pages = fax_service.cover_pages(seeded_store, user)
    assert [(p.name, p.mime) for p in pages] == [("logo.jpg", "image/jpeg"), ("page.pdf", "application/pdf")]


@pytest.mark.req("FAX-4")
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (pdf_bytes(2), "A PDF cover page must be one page"),
        (image_bytes("PNG"), "PNG image"),
        (b"just text", "neither a PDF nor a JPEG"),
    ],
)
def test_cover_page_refused_and_nothing_stored(seeded_store: Store, content: bytes, reason: str) -> None:
    user = auth.acting_as(seeded_store, SENDER)
    before = counts(seeded_store)
    with pytest.raises(FaxFileRefused, match=reason):
        fax.add_cover_page(
            seeded_store, user, name="Cover", description="", file_name="cover.pdf", content=content, now=NOW
        )
    assert counts(seeded_store) == before


@pytest.mark.req("FAX-4")
def test_cover_page_over_the_limit_refused(seeded_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "COVER_PAGE_MAX_BYTES", 500)
    user = auth.acting_as(seeded_store, SENDER)
    before = counts(seeded_store)
    with pytest.raises(FaxFileRefused, match="larger than"):
        fax.add_cover_page(
            seeded_store, user, name="Big", description="", file_name="big.jpg", content=image_bytes("JPEG"), now=NOW
        )
    assert counts(seeded_store) == before


@pytest.mark.req("FAX-4")
def test_preview_cover_is_one_page_with_the_fields() -> None:
    pdf = fax.preview_cover("Bob", DynamicCover("Ann", "ann@example.com", "Hello", "Acme", "Call me"))
    (page,) = texts(pdf)
    for value in ("Bob", "Ann", "ann@example.com", "Hello", "Acme", "Call me"):
        assert value in page


@pytest.mark.req("FAX-4")
def test_send_fax_with_the_saved_dynamic_cover_names_its_receiver(seeded_store: Store) -> None:
    user = auth.acting_as(seeded_store, SENDER)
    saved = fax_service.save_dynamic_cover(seeded_store, user, DynamicCover("Ann Lee", recipient="Bob Ray"), NOW)
    sent = fax.send_fax(
        seeded_store, user, to="6045550100", attachments=[("a.pdf", pdf_bytes(1, "Body"))], cover=saved, now=NOW
    )
    _, pdf = fax_service.fax_file(seeded_store, user, sent.id)
    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Bob Ray (6045550100)" in cover and "Ann Lee" in cover


def test_preview_cover_png_is_a_letter_page_image() -> None:
    png = fax.preview_cover_png(DynamicCover("Ann", recipient="Bob"))
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (612, 792)
        assert image.convert("L").getextrema()[0] < 100  # there is dark text on it
