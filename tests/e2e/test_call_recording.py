"""Call Recording in Chromium: download two recordings as one TGZ, play one (REC-2, REC-3).

NOTE: the shared e2e organisation (two days) holds three recordings, none of them 7101's,
so this module serves its own database: the same organisation over two weeks, in which
7101 has recordings. It is built and served with the CLI, as a user would.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from fvkit.store.db import Store
from tests.e2e.portal import IDLE, log_in, serve

REPO = Path(__file__).resolve().parents[2]
TABLE = '[data-testid="stDataFrame"]'
RECORDER = "7101"
ROW_PX = 35


@pytest.fixture(scope="module")
def recordings_db(tmp_path_factory: pytest.TempPathFactory, password: str) -> Path:
    """Build two weeks of the e2e organisation with `fvkit simulate`; 7101 records calls in it."""
    path = tmp_path_factory.mktemp("e2e_recording") / "fvkit.duckdb"
    cli = [sys.executable, "-m", "fvkit.cli", "simulate", "--db", str(path), "--seed", "11"]
    cli += ["--extensions", "16", "--days", "14", "--start", "2026-10-05", "--password", password]
    subprocess.run(cli, cwd=REPO, check=True, capture_output=True, timeout=300)
    return path


@pytest.fixture(scope="module")
def recordings_url(recordings_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the database with `fvkit serve` on a free port; stop it after."""
    with serve(recordings_db, tmp_path_factory.getbasetemp() / "portal-recording.log") as url:
        yield url


def _durations(db: Path, owner: str) -> list[int]:
    """Return the owner's recording lengths in seconds, newest first (the list's order)."""
    store = Store(db, read_only=True)
    try:
        rows = store.execute(
            "SELECT duration FROM recording WHERE owner = ? ORDER BY started DESC, id DESC", [owner]
        ).fetchall()
    finally:
        store.close()
    return [int(r[0]) for r in rows]


def _button(page: Page, label: str) -> Locator:
    """Return the visible button with this label (Streamlit draws a hidden twin of buttons with help)."""
    return page.get_by_role("button", name=label, exact=True).filter(visible=True)


def _toggle_row(page: Page, row: int) -> None:
    """Click the selection checkbox of a data row (the grid is a canvas: click by position)."""
    box = page.locator(TABLE).bounding_box()
    assert box is not None
    # rows (and the header) are 35 px high; the checkboxes are in the first 35 px
    page.mouse.click(box["x"] + 18, box["y"] + ROW_PX * (row + 1.5))


@pytest.mark.e2e
@pytest.mark.req("REC-3")
@pytest.mark.req("REC-2")
def test_download_two_recordings_as_one_tgz_and_play_one(
    page: Page, recordings_url: str, recordings_db: Path, password: str, artifacts: Path
) -> None:
    lengths = _durations(recordings_db, RECORDER)
    assert len(lengths) >= 2, "the fixture should give 7101 at least two recordings"
    page.goto(f"{recordings_url}/call_recording")
    log_in(page, RECORDER, password)
    expect(page.get_by_text("Press *30 during a call to record, *31 to pause, *30 to resume.")).to_be_visible()
    expect(page.locator(TABLE)).to_be_visible()
    expect(page.get_by_text(f"1-{len(lengths)} of {len(lengths)}", exact=True)).to_be_visible()
    page.locator(IDLE).wait_for()

    play = _button(page, "▶️ Play")
    download_button = _button(page, "⬇️ Download")
    expect(download_button).to_be_disabled()
    _toggle_row(page, 0)
    expect(play).to_be_enabled()  # the rerun after the click has drawn the actions
    _toggle_row(page, 1)
    expect(play).to_be_disabled()  # two selected: play needs exactly one
    expect(download_button).to_be_enabled()
    page.locator(IDLE).wait_for()
    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename == "recordings.tgz"
    with tarfile.open(download.path(), "r:gz") as tgz:
        members = tgz.getmembers()
        assert len(members) == 2
        seconds = []
        for member in members:
            assert member.name.startswith("recording_") and member.name.endswith(".wav")
            extracted = tgz.extractfile(member)
            assert extracted is not None
            with wave.open(io.BytesIO(extracted.read())) as w:
                assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
                seconds.append(round(w.getnframes() / 8000))
    assert sorted(seconds) == sorted(lengths[:2])

    _toggle_row(page, 1)  # keep the newest only
    expect(play).to_be_enabled()
    play.click()
    expect(page.locator('[data-testid="stAudio"]')).to_be_visible()
    page.locator(IDLE).wait_for()
    page.mouse.move(0, 0)  # no tooltip over the list
    page.screenshot(path=artifacts / "call_recording.png", full_page=True)
