"""Fax files (FAX-2, FAX-4): check uploads by their content and build a sent fax's one PDF.

A sent fax is one PDF: the cover sheet (an uploaded cover page, or a dynamic one rendered
from the form) followed by every attachment's pages, each page stamped with the fax header
line (time, FROM with the station ID, TO, the user's header text, "P.n/N"). Attachments are
PDF or JPEG only (guide p.33) and are recognised by their bytes, never by their file name;
a cover page is a JPEG or a one-page PDF of 200 MB or less (guide p.34). Nothing is stored
unless every file passed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FPDF
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from fvkit.domain import limits
from fvkit.domain.clock import to_local
from fvkit.domain.screens import Screen
from fvkit.media.documents import BadDocument, pdf_pages
from fvkit.media.fax import fit_line, page_png, render_cover
from fvkit.portal import fax
from fvkit.portal.auth import User, require_screen
from fvkit.portal.fax import DynamicCover as DynamicCover  # the page and notebooks build it from here
from fvkit.store.db import Store

PDF = "application/pdf"
JPEG = "image/jpeg"
#: no limit in the guide for attachments: ours, the cover page's (guide p.34)
ATTACHMENT_MAX_BYTES = limits.COVER_PAGE_MAX_BYTES
_LETTER_PT = (612.0, 792.0)
_MARGIN_PT = 36.0
_PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError)


class FaxFileRefused(ValueError):
    """An upload that is not a fax file; the message, safe to show, says why."""


@dataclass(frozen=True, slots=True)
class FaxFile:
    """An upload that passed: its name, bytes, MIME type and page count."""

    name: str
    content: bytes
    mime: str
    pages: int


@dataclass(frozen=True, slots=True)
class SentFax:
    """A fax the portal sent: its row id and its page count (cover included)."""

    id: int
    pages: int


def _is_pdf(content: bytes) -> bool:
    # PDF readers look for the header in the first 1024 bytes; only those are copied here.
    return content[:1024].lstrip()[:5] == b"%PDF-"


def _pdf_pages(name: str, content: bytes) -> int:
    try:
        return pdf_pages(content)
    except BadDocument as err:
        raise FaxFileRefused(f"{name} {err}") from err


def _check_jpeg(name: str, content: bytes) -> None:
    try:
        with Image.open(io.BytesIO(content)) as img:
            kind = img.format
            img.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as err:
        raise FaxFileRefused(f"{name} is neither a PDF nor a JPEG file.") from err
    if kind != "JPEG":
        raise FaxFileRefused(f"{name} is a {kind} image: only PDF and JPEG files can be faxed.")


def check_file(name: str, content: bytes, max_bytes: int | None = None) -> FaxFile:
    """Return an upload as a FaxFile if its bytes are a PDF or a JPEG, else raise FaxFileRefused."""
    limit = ATTACHMENT_MAX_BYTES if max_bytes is None else max_bytes
    if not content:
        raise FaxFileRefused(f"{name} is empty.")
    if len(content) > limit:
        most = f"{limit // limits.MB} MB" if limit >= limits.MB else f"{limit} bytes"
        raise FaxFileRefused(f"{name} is larger than {most}.")
    if _is_pdf(content):
        return FaxFile(name, content, PDF, _pdf_pages(name, content))
    _check_jpeg(name, content)  # or says what it is when Pillow knows it (a PNG, a GIF ...)
    return FaxFile(name, content, JPEG, 1)


def check_cover_page(name: str, content: bytes) -> FaxFile:
    """Return an uploaded cover page if it is a JPEG or a one-page PDF of 200 MB or less (guide p.34)."""
    found = check_file(name, content, limits.COVER_PAGE_MAX_BYTES)
    if found.pages > limits.COVER_PAGE_MAX_PAGES:
        raise FaxFileRefused("A PDF cover page must be one page.")
    return found


def jpeg_page(content: bytes) -> bytes:
    """Return a JPEG as a one-page US Letter PDF, the image fitted inside the margins."""
    with Image.open(io.BytesIO(content)) as img:
        width, height = img.size
    box_w, box_h = _LETTER_PT[0] - 2 * _MARGIN_PT, _LETTER_PT[1] - 2 * _MARGIN_PT
    scale = min(box_w / width, box_h / height)
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))
    pdf.add_page()
    w, h = width * scale, height * scale
    pdf.image(io.BytesIO(content), x=(_LETTER_PT[0] - w) / 2, y=(_LETTER_PT[1] - h) / 2, w=w, h=h)
    return bytes(pdf.output())


def _as_pdf(file: FaxFile) -> bytes:
    return jpeg_page(file.content) if file.mime == JPEG else file.content


def _stamp(width: float, height: float, text: str, page: str) -> bytes:
    """Return a transparent page of this size with the fax header line at its top."""
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "", 8)
    pdf.set_xy(18, 6)
    right = pdf.get_string_width(page) + 4
    room = max(10.0, width - 36 - right)
    pdf.cell(w=room, h=10, text=fit_line(pdf, text, room - 4))
    pdf.cell(w=right, h=10, text=page, align="R")
    return bytes(pdf.output())


def assemble(parts: list[bytes], header_line: str) -> tuple[bytes, int]:
    """Join PDFs into one, each page stamped with the header line and "P.n/N"; return it and its pages."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        box = page.mediabox
        overlay = PdfReader(io.BytesIO(_stamp(float(box.width), float(box.height), header_line, f"P.{number}/{total}")))
        page.merge_page(overlay.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total


def preview_cover(to: str, cover: DynamicCover, pages: int = 1) -> bytes:
    """Return the Dynamic Cover Page as a one-page PDF (guide p.34-35, FAX-4)."""
    return render_cover(to, cover.sender, cover.email, cover.subject, cover.company, cover.comments, pages)


def _check_fields(header: str, station_id: str, cover: DynamicCover | int) -> None:
    """Refuse any text field over its limit (FAX-2): a header bounded to what fits on the page."""
    fields = [
        ("Fax header", header, limits.FAX_HEADER_MAX_CHARS),
        ("Station ID", station_id, limits.FAX_STATION_ID_MAX_CHARS),
    ]
    if isinstance(cover, DynamicCover):
        fields += [
            (label, value, limits.COVER_FIELD_MAX_CHARS)
            for label, value in (
                ("From", cover.sender),
                ("Email", cover.email),
                ("Subject", cover.subject),
                ("Company", cover.company),
            )
        ]
        fields.append(("Comments", cover.comments, limits.COVER_COMMENTS_MAX_CHARS))
    for label, value, limit in fields:
        problem = limits.too_long(label, value.strip(), limit)
        if problem:
            raise fax.CannotSend(problem)


def send_fax(
    store: Store,
    user: User,
    *,
    to: str,
    attachments: list[tuple[str, bytes]],
    now: datetime,
    cover: DynamicCover | int,
    header: str = "",
    station_id: str = "",
) -> SentFax:
    """Build and store a sent fax: cover + attachments as one PDF, and a Sent row (FAX-2).

    Args:
        cover: the Dynamic cover's fields, or the id of one of the user's uploaded cover pages.
        now: naive UTC; the header line shows it in the user's time zone.

    Raises:
        CannotSend: the number is not a fax number, or there is no attachment.
        FaxFileRefused: an attachment is not a PDF or JPEG (nothing is stored).
        PermissionDenied: the user may not fax, or the cover page is not theirs.
    """
    require_screen(user, Screen.FAX)
    number = fax.fax_number(to)
    _check_fields(header, station_id, cover)
    if not attachments:
        raise fax.CannotSend("Attach the PDF or JPEG file to fax.")
    for name, content in attachments:
        if len(content) > ATTACHMENT_MAX_BYTES:
            check_file(name, content)  # refuses it by its own size first, naming it
    total_bytes = sum(len(content) for _, content in attachments)
    if total_bytes > limits.FAX_ATTACHMENTS_MAX_BYTES:
        raise FaxFileRefused(
            f"The attachments take {total_bytes / limits.MB:.1f} MB together: "
            f"at most {limits.FAX_ATTACHMENTS_MAX_BYTES // limits.MB} MB per fax."
        )
    files = [check_file(name, content) for name, content in attachments]
    pages = sum(f.pages for f in files)
    if isinstance(cover, DynamicCover):
        # the receiver's name of a saved Dynamic Cover Page (guide p.35) goes beside the number
        to_line = f"{cover.recipient.strip()} ({number})" if cover.recipient.strip() else number
        first = preview_cover(to_line, cover, pages + 1)
    else:
        mime, content = fax.cover_page_file(store, user, cover)
        first = jpeg_page(content) if mime == JPEG else content
    local = to_local(now, user.time_zone)
    origin = f"{user.number} ({station_id.strip()})" if station_id.strip() else user.number
    line = f"{local:%Y-%m-%d %H:%M}  FROM: {origin}  TO: {number}  {header.strip()}".strip()
    try:
        pdf, total = assemble([first, *(_as_pdf(f) for f in files)], line)
    except (*_PDF_ERRORS, OSError) as err:  # files that opened but cannot be converted, joined or stamped
        raise FaxFileRefused(f"The attachments could not be made into a fax: {err}") from err
    return SentFax(fax.record_sent(store, user, number, pdf, total, now), total)


def add_cover_page(
    store: Store, user: User, *, name: str, description: str, file_name: str, content: bytes, now: datetime
) -> int:
    """Check an uploaded cover page and store it under the user's cover pages; return its id (FAX-4)."""
    require_screen(user, Screen.FAX)
    if not name.strip():
        raise fax.CannotSend("Enter a name for the cover page.")
    found = check_cover_page(file_name, content)
    return fax.save_cover_page(store, user, name, description, found.content, found.mime, now)


def preview_cover_png(cover: DynamicCover) -> bytes:
    """Return a saved-style Dynamic Cover Page (its To is the receiver's name) drawn as a PNG image."""
    return page_png(preview_cover(cover.recipient, cover), scale=1.0)
