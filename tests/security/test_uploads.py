"""Attacks through uploads: picture bombs, empty or lying audio, expanding PDFs (issue 13 items 9, 10)."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zlib
from datetime import datetime

import pytest
from PIL import Image

from fvkit.domain import limits
from fvkit.domain.limits import PICTURE_THUMBNAIL_PX
from fvkit.portal import auth, call_handling, conference_options, reminder, voicemail
from fvkit.portal import preferences as prefs
from fvkit.portal.conference import BadEvent
from fvkit.store import Store
from pipelines import fax as fax_files
from tests.conftest import SEED_PASSWORD

NOW = datetime(2026, 10, 6, 9, 0)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width`x`height` pixels of zeros: kilobytes on disk, gigabytes decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + 3 * width) * 64, 9)  # the first rows only: enough to look real
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _image(width: int, height: int, kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 60)).save(out, format=kind)
    return out.getvalue()


@pytest.mark.req("PREF-2")
@pytest.mark.parametrize("size", [60_000, 9_000])
def test_a_picture_bomb_is_refused_by_its_pixel_count_before_decoding(seeded_store: Store, size: int) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    bomb = _png_header(size, size)
    assert len(bomb) < 5 * 2**20
    tracemalloc.start()
    began = time.perf_counter()
    with pytest.raises(prefs.BadPreference, match=f"{size}x{size} pixels: at most 16 megapixels"):
        prefs.upload_picture(seeded_store, user, bomb, NOW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.perf_counter() - began < 1.0
    assert peak < 20 * 2**20  # nothing was decoded
    assert prefs.picture(seeded_store, user) is None


@pytest.mark.req("PREF-2")
@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_large_picture_is_stored_as_a_bounded_thumbnail(seeded_store: Store, kind: str) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    prefs.upload_picture(seeded_store, user, _image(3000, 2800, kind), NOW)
    kept = prefs.picture(seeded_store, user)
    assert kept is not None
    with Image.open(io.BytesIO(kept)) as img:
        assert img.format == kind
        assert max(img.size) == PICTURE_THUMBNAIL_PX


def _wav_header(data_bytes: int, present: int) -> bytes:
    """A PCM WAV (8 kHz mono 16-bit) whose data chunk claims `data_bytes` but holds `present`."""
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", data_bytes) + bytes(present)
    return b"RIFF" + struct.pack("<I", min(4 + len(chunks) - present + data_bytes, 2**32 - 1)) + b"WAVE" + chunks


_MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(413)  # MPEG-1 Layer III, 128 kbps, 44.1 kHz: 26 ms of audio
FAKE_AUDIO = {
    "44-byte WAV with no audio": _wav_header(0, 0),
    "WAV claiming 4 GB": _wav_header(2**32 - 100, 1600),
    "two-frame MP3": _MP3_FRAME * 2,
}


@pytest.mark.req("HD-5")
@pytest.mark.req("VM-8")
@pytest.mark.req("CONF-2")
@pytest.mark.parametrize("name", sorted(FAKE_AUDIO))
def test_audio_without_real_content_is_refused_everywhere(seeded_store: Store, name: str) -> None:
    data = FAKE_AUDIO[name]
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    with pytest.raises(call_handling.BadHandling):
        call_handling.check_sound(data)
    with pytest.raises(voicemail.BadAudio):
        voicemail.check_audio(data)
    with pytest.raises(BadEvent):
        conference_options.check_announcement(data)
    with pytest.raises(reminder.BadReminder):
        reminder.upload_audio(seeded_store, user, data, NOW)
    # while a real 0.2 s WAV passes
    assert voicemail.check_audio(_wav_header(3200, 3200)).seconds == pytest.approx(0.2)


def _expanding_pdf(pages: int, page_bytes: int) -> bytes:
    """A PDF of `pages` pages, each with `page_bytes` of (blank) contents that compress to almost nothing."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    stream = zlib.compress(b" " * page_bytes, 9)
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.mark.req("FAX-4")
def test_a_pdf_that_expands_past_the_bound_is_refused() -> None:
    bomb = _expanding_pdf(6, 20 * 2**20)  # 120 MB of page contents in a few hundred KB
    assert len(bomb) < 2**20
    with pytest.raises(fax_files.FaxFileRefused, match=r"cover\.pdf expands to more than 100 MB"):
        fax_files.check_cover_page("cover.pdf", bomb)
    with pytest.raises(fax_files.FaxFileRefused, match="expands to more than 100 MB"):
        fax_files.check_file("big.pdf", bomb)
    assert fax_files.check_file("small.pdf", _expanding_pdf(2, 1000)).pages == 2


@pytest.mark.req("FAX-2")
def test_fax_attachments_have_a_total_limit(seeded_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "FAX_ATTACHMENTS_MAX_BYTES", 2**20)
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    part = _expanding_pdf(1, 1000) + bytes(600_000)
    with pytest.raises(fax_files.FaxFileRefused, match="together: at most 1 MB per fax"):
        fax_files.send_fax(
            seeded_store,
            user,
            to="+1 604 555 0100",
            attachments=[("a.pdf", part), ("b.pdf", part)],
            now=NOW,
            cover=fax_files.DynamicCover(),
        )
