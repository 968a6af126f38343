"""Render simulated faxes and dynamic fax cover pages as PDF, and a PDF page as an image."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime

import pypdfium2 as pdfium
from fpdf import FPDF

MAX_PAGES = 999
# A fixed date and producer: the same fax must give the same bytes on every render.
_CREATED = datetime(2000, 1, 1, tzinfo=UTC)
_PRODUCER = "fvkit"
_MARGIN_MM = 20.0
_BODY_PT = 11.0
_LINE_MM = 5.5

_SUBJECTS = (
    "Our finance team",
    "The project office",
    "Our warehouse",
    "The legal department",
    "Our account manager",
    "The purchasing group",
    "Management",
)
_VERBS = (
    "has reviewed",
    "will confirm",
    "has approved",
    "needs to revise",
    "would like to discuss",
    "has signed",
    "is still waiting for",
)
_OBJECTS = (
    "the purchase order",
    "the revised quotation",
    "the delivery schedule",
    "the service agreement",
    "the outstanding invoice",
    "the quarterly report",
    "the shipping manifest",
    "the insurance certificate",
)
_TAILS = (
    "before the end of the month",
    "at your earliest convenience",
    "by Friday",
    "as agreed on our last call",
    "for your records",
    "once the figures are final",
    "ahead of the site visit",
)
_ASIDES = (
    "Please sign and return the last page.",
    "Let us know if any figures need correcting.",
    "The original will follow by post.",
    "Call us if any page is unreadable.",
    "Prices are quoted without tax.",
)
_COVER_FIELDS = ("To", "From", "Email", "Subject", "Company")
_COVER_MAX_CHARS = 8000  # far more than fits under Comments on one page
_LINE_MAX_CHARS = 500  # no line of a Letter page holds more, even of the narrowest characters


def render_fax(
    seed: int,
    pages: int,
    sender: str,
    recipient: str,
    header: str,
    sent_at: str,
    station_id: str = "",
) -> bytes:
    """Render a fax of `pages` US Letter pages with a fax header line on each, as PDF bytes."""
    _check_pages(pages)
    rng = random.Random(seed)
    pdf = _new_pdf()
    origin = f"{sender} ({station_id})" if station_id else sender
    width = pdf.w - 2 * _MARGIN_MM
    for number in range(1, pages + 1):
        pdf.add_page()
        left = f"{sent_at}  FROM: {origin}  TO: {recipient}  {header}".strip()
        _header_line(pdf, left, f"P.{number}/{pages}")
        if number == 1:
            pdf.set_font("Helvetica", "B", 16)
            pdf.cell(text=_fit(pdf, sender, width), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
            pdf.set_font("Helvetica", "", _BODY_PT)
            _write(pdf, _fit(pdf, f"Dear {recipient},", width))
        pdf.set_font("Helvetica", "", _BODY_PT)
        closing = f"Sincerely,\n\n{_fit(pdf, sender, width)}" if number == pages else ""
        reserve = _block(_wrap(pdf, closing, width)) if closing else 0.0
        for _ in range(rng.randint(3, 6)):
            if not _write(pdf, _paragraph(rng), reserve=reserve):
                break  # the page is full
        if closing:
            _write(pdf, closing, force=True)
    return bytes(pdf.output())


def render_cover(to: str, sender: str, email: str, subject: str, company: str, comments: str, pages: int) -> bytes:
    """Render a one-page dynamic fax cover page (guide p.34-35) as PDF bytes."""
    _check_pages(pages)
    pdf = _new_pdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 36)
    pdf.cell(text="FAX", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    width = pdf.w - 2 * _MARGIN_MM
    field = width - 35
    values = (to, sender, email, subject, company)
    for label, value in (*zip(_COVER_FIELDS, values, strict=True), ("Pages", str(pages))):
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(w=35, h=9, text=f"{label}:")
        pdf.set_font("Helvetica", "", 12)
        pdf.cell(w=field, h=9, text=_fit(pdf, value, field), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(text="Comments:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    # More than a page of text is cut below anyway; not measuring it bounds the work.
    lines = _wrap(pdf, comments[:_COVER_MAX_CHARS], width)
    room = int((pdf.h - _MARGIN_MM - pdf.get_y()) // 6)
    if len(lines) > room:  # a cover page is one page (guide p.34): cut, and say so
        lines = [*lines[: room - 1], "[...]"]
    for line in lines:
        pdf.cell(w=width, h=6, text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _check_pages(pages: int) -> None:
    if not 1 <= pages <= MAX_PAGES:
        raise ValueError(f"pages must be between 1 and {MAX_PAGES}, got {pages!r}")


def _new_pdf() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="letter")
    pdf.set_creation_date(_CREATED)
    pdf.set_producer(_PRODUCER)
    pdf.set_creator(_PRODUCER)
    pdf.set_margins(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM)
    # Layout is placed by hand so that a fax has exactly the pages it claims.
    pdf.set_auto_page_break(False)
    return pdf


def _latin1(text: str) -> str:
    # The core fonts only know latin-1; anything else becomes "?" rather than an error.
    return text.encode("latin-1", "replace").decode("latin-1")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Shorten text to one line of a cell of this width, marking any cut with '...'."""
    return fit_line(pdf, text, width - 2 * pdf.c_margin)  # cell() pads the text on both sides


def fit_line(pdf: FPDF, text: str, width: float, ellipsis: str = "...") -> str:
    """Return `text` on one line no wider than `width` at the current font, cut with `ellipsis`.

    Linear in the text's length (FAX-2): each character is measured once, and no line of
    a page holds more than _LINE_MAX_CHARS characters, so longer input is cut first.
    """
    text = _latin1(" ".join(text[:_LINE_MAX_CHARS].split()))
    if pdf.get_string_width(text) <= width:
        return text
    room = width - pdf.get_string_width(ellipsis)
    used = 0.0
    for i, char in enumerate(text):
        used += pdf.get_string_width(char)
        if used > room:
            return text[:i] + ellipsis
    return text


def _header_line(pdf: FPDF, left: str, right: str) -> None:
    pdf.set_y(8)
    pdf.set_font("Helvetica", "", 9)
    width = pdf.w - 2 * _MARGIN_MM
    page = pdf.get_string_width(right) + 2
    # The page number stays whole; a long header gives way instead.
    pdf.cell(w=width - page, h=5, text=_fit(pdf, left, width - page))
    pdf.cell(w=page, h=5, text=right, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.line(_MARGIN_MM, pdf.get_y(), pdf.w - _MARGIN_MM, pdf.get_y())
    pdf.set_y(_MARGIN_MM + 4)


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break text into lines no wider than width at the current font."""
    # NOTE: fpdf2's multi_cell re-measures every line prefix character by character;
    # measuring each word once keeps a 999-page fax from taking minutes.
    width -= 2 * pdf.c_margin  # cell() pads the text on both sides
    space = pdf.get_string_width(" ")
    lines: list[str] = []
    for paragraph in _latin1(text).split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            size = pdf.get_string_width(word)
            if line and used + space + size <= width:
                line, used = f"{line} {word}", used + space + size
                continue
            if line:
                lines.append(line)
            while size > width:  # a word longer than the line is cut where it must be
                cut = max(1, int(len(word) * width / size))  # close, from the average
                while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                size = pdf.get_string_width(word)
            line, used = word, size
        lines.append(line)
    return lines


def _write(pdf: FPDF, text: str, reserve: float = 0.0, force: bool = False) -> bool:
    """Write a paragraph if it fits above the bottom margin and `reserve`; say if it did."""
    pdf.set_font("Helvetica", "", _BODY_PT)
    width = pdf.w - 2 * _MARGIN_MM
    lines = _wrap(pdf, text, width)
    if not force and pdf.get_y() + _block(lines) + reserve > pdf.h - _MARGIN_MM:
        return False
    for line in lines:
        pdf.cell(w=width, h=_LINE_MM, text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(_LINE_MM)
    return True


def _block(lines: list[str]) -> float:
    return (len(lines) + 1) * _LINE_MM  # the lines and the gap after them


def _paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 5)):
        if rng.random() < 0.2:
            sentences.append(rng.choice(_ASIDES))
        else:
            parts = (rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS))
            sentences.append(f"{' '.join(parts)} {rng.choice(_TAILS)}.")
    return " ".join(sentences)


def page_png(pdf: bytes, page: int = 0, scale: float = 1.0) -> bytes:
    """Return one page of a PDF drawn as a PNG image (`scale` 1 = 72 dpi), for showing it on screen."""
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=scale).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
