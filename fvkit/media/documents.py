"""PDF uploads (FAX-2, FAX-4): page count, with the memory their page contents take bounded."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError

from fvkit.domain.limits import MB, PDF_MAX_EXPANDED_BYTES

_PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError, RecursionError)


class BadDocument(ValueError):
    """A PDF that cannot be used; the message, safe to show, says why (without the file name)."""


def pdf_pages(content: bytes, max_expanded: int = PDF_MAX_EXPANDED_BYTES) -> int:
    """Return the pages of a PDF after decompressing each page's contents once, in turn.

    pypdf bounds every single stream; this bounds their sum, so a PDF that expands to a
    gigabyte is refused with at most one page's contents in memory at a time.

    Raises:
        BadDocument: damaged, password-protected, without pages, or expanding past `max_expanded`.
    """
    expanded = 0
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise BadDocument("is a password-protected PDF.")
        pages = len(reader.pages)
        for page in reader.pages:
            contents = page.get_contents()
            expanded += 0 if contents is None else len(contents.get_data())
            if expanded > max_expanded:
                raise BadDocument(f"expands to more than {max_expanded // MB} MB of page contents.")
    except BadDocument:
        raise
    except LimitReachedError as err:
        raise BadDocument(f"expands to more than {max_expanded // MB} MB of page contents.") from err
    except _PDF_ERRORS as err:
        raise BadDocument("is a damaged PDF file.") from err
    if pages < 1:
        raise BadDocument("has no pages.")
    return pages
