"""Pictures users upload (PREF-2): dimensions from the header, before decoding; a bounded thumbnail."""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image

from fvkit.domain.limits import PICTURE_MAX_BYTES, PICTURE_MAX_PIXELS, PICTURE_RATIO_MAX, PICTURE_RATIO_MIN

_PICTURE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}  # guide p.57
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: JPEG start-of-frame markers (baseline, progressive, lossless ...); C4, C8 and CC are not frames
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})  # markers without a length field


def header_size(data: bytes) -> tuple[str, int, int] | None:
    """Return ("PNG" or "JPEG", width, height) from the file's header, decoding no pixel; None if neither."""
    if data[:8] == _PNG_SIGNATURE and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return "PNG", width, height
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _STANDALONE:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _SOF:
            if i + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return "JPEG", width, height
        i += 2 + length
    return None


def thumbnail(data: bytes, max_px: int) -> bytes:
    """Return the picture at most `max_px` wide and high, in its own format; unchanged when it fits.

    Call it only on a picture whose header size was checked: it decodes the pixels.
    """
    with Image.open(io.BytesIO(data)) as img:
        if max(img.size) <= max_px:
            return data
        kind = img.format or "PNG"
        if kind == "JPEG":
            img.draft("RGB", (max_px, max_px))  # let the JPEG decoder scale down as it decodes
        img.thumbnail((max_px, max_px))
        out = io.BytesIO()
        img.save(out, format=kind)
    return out.getvalue()


class BadPicture(ValueError):
    """A picture the portal refuses, with the reason a user reads."""


def check_picture(data: bytes) -> str:
    """Return the MIME type of an acceptable picture, judged by its bytes (PREF-2, guide p.57).

    Its size in pixels is read from the header first, so a decompression bomb (a small
    file holding a huge image) is refused before anything is decoded.

    Raises:
        BadPicture: too large (bytes or pixels), not a JPEG or PNG, damaged, or not nearly square.
    """
    if len(data) > PICTURE_MAX_BYTES:
        raise BadPicture(f"The picture is {len(data) / 2**20:.1f} MB: at most 5 MB.")
    found = header_size(data)
    if found is None:
        raise BadPicture(_not_a_picture(data))
    kind, width, height = found
    if width * height > PICTURE_MAX_PIXELS:
        raise BadPicture(
            f"The picture is {width}x{height} pixels: at most {PICTURE_MAX_PIXELS // 1_000_000} megapixels."
        )
    ratio = width / height if height else 0
    if not PICTURE_RATIO_MIN <= ratio <= PICTURE_RATIO_MAX:
        raise BadPicture(
            f"The picture is {width}x{height} (ratio {ratio:.2f}): width/height must be between "
            f"{PICTURE_RATIO_MIN} and {PICTURE_RATIO_MAX}."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                img.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadPicture(f"The file is not a JPEG or PNG picture that opens: this {kind} is damaged.") from exc
    return _PICTURE_TYPES[kind]


def _not_a_picture(data: bytes) -> str:
    """Return why a file that is neither PNG nor JPEG is refused, naming its type when Pillow knows it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                kind = img.format
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "The file is not a JPEG or PNG picture."
    return f"The file is a {kind} picture: upload a JPEG or PNG."
