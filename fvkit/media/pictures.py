"""Pictures users upload (PREF-2): dimensions from the header, before decoding; a bounded thumbnail."""

from __future__ import annotations

import io
import struct

from PIL import Image

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
