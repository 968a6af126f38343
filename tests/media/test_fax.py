"""Simulated faxes and dynamic cover pages are real PDFs a viewer opens."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from fvkit.media import fax

FAX = {
    "sender": "Acme Supplies Ltd",
    "recipient": "Juliet Higgins",
    "header": "Invoice 4411",
    "sent_at": "2025-03-04 10:15",
    "station_id": "+1 408 555 0100",
}


def _pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]


@pytest.mark.req("SIM-6")
@pytest.mark.parametrize("pages", [1, 3, 12])
def test_render_fax_has_the_pages_it_claims(pages: int) -> None:
    texts = _pages(fax.render_fax(11, pages, **FAX))
    assert len(texts) == pages
    assert "Dear Juliet Higgins," in texts[0]
    assert "Sincerely," in texts[-1]


@pytest.mark.req("SIM-6")
def test_render_fax_prints_the_fax_header_on_every_page() -> None:
    texts = _pages(fax.render_fax(11, 3, **FAX))
    for number, text in enumerate(texts, start=1):
        header = text.splitlines()[0]
        assert header.startswith("2025-03-04 10:15")
        assert "FROM: Acme Supplies Ltd (+1 408 555 0100)" in header
        assert "TO: Juliet Higgins" in header
        assert "Invoice 4411" in header
        assert header.endswith(f"P.{number}/3")


@pytest.mark.req("SIM-6")
def test_render_fax_same_recipe_same_bytes() -> None:
    first = fax.render_fax(11, 4, **FAX)
    assert fax.render_fax(11, 4, **FAX) == first
    assert fax.render_fax(12, 4, **FAX) != first


@pytest.mark.req("SIM-6")
def test_render_fax_replaces_characters_the_core_font_lacks() -> None:
    data = fax.render_fax(1, 1, "Zoë ☃ Trading", "東京 office", "Rechnung €", "2025-03-04")
    text = _pages(data)[0]
    assert "FROM: Zoë ? Trading" in text
    assert "TO: ?? office" in text


@pytest.mark.req("SIM-6")
def test_render_fax_shortens_a_header_too_long_for_the_line() -> None:
    header = _pages(fax.render_fax(1, 2, **{**FAX, "header": "x" * 400}))[1].splitlines()[0]
    assert "x..." in header
    assert header.endswith("P.2/2")


@pytest.mark.req("SIM-6")
@pytest.mark.parametrize("pages", [0, -1, 1000])
def test_render_fax_rejects_a_bad_page_count(pages: int) -> None:
    with pytest.raises(ValueError, match="pages"):
        fax.render_fax(1, pages, **FAX)


@pytest.mark.req("SIM-6")
def test_render_cover_shows_every_field_on_one_page() -> None:
    values = {
        "to": "Juliet Higgins",
        "sender": "Bob Ng",
        "email": "bob.ng@example.com",
        "subject": "Signed quotation",
        "company": "Acme Supplies Ltd",
        "comments": "Please countersign page 2 and fax it back.",
    }
    texts = _pages(fax.render_cover(**values, pages=3))
    assert len(texts) == 1
    labels = {"To": "to", "From": "sender", "Email": "email", "Subject": "subject"}
    for label, key in {**labels, "Company": "company"}.items():
        assert f"{label}: {values[key]}" in texts[0]
    assert "Pages: 3" in texts[0]
    assert values["comments"] in texts[0]


@pytest.mark.req("SIM-6")
def test_render_cover_keeps_long_comments_to_one_page() -> None:
    data = fax.render_cover("J", "B", "b@example.com", "S", "C", "Line of comment.\n" * 500, 1)
    texts = _pages(data)
    assert len(texts) == 1
    assert texts[0].rstrip().endswith("[...]")
    one_word = fax.render_cover("J", "B", "b@example.com", "S", "C", "x" * 50_000, 1)
    assert len(_pages(one_word)) == 1


@pytest.mark.req("SIM-6")
def test_render_cover_rejects_a_bad_page_count() -> None:
    with pytest.raises(ValueError, match="pages"):
        fax.render_cover("J", "B", "b@example.com", "S", "C", "", 0)
