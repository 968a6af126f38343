"""Attacks through text fields: fax header, email headers, field limits, attendee addresses (items 4, 5, 11, 13)."""

from __future__ import annotations

import email
import logging
import time
from datetime import datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fvkit.media.fax import render_fax
from fvkit.media.mail import MailSettings, compose
from fvkit.portal import auth, call_handling, home
from fvkit.portal import fax as fax_portal
from fvkit.portal.conference import Attendee, BadEvent, EventForm, save_event
from fvkit.store import Store
from pipelines import fax as fax_files
from pipelines.fax import DynamicCover
from tests.conftest import SEED_PASSWORD
from tests.dashboards.apptest import APP

NOW = datetime(2026, 10, 6, 9, 0)
START = datetime(2026, 10, 20, 10, 0)
PDF = render_fax(1, 1, "Acme", "Juliet", "", "2026-10-06 09:00")


def _form(**kw: object) -> EventForm:
    base: dict[str, object] = {
        "title": "Budget review",
        "conference_id": "483920",
        "attendee_pin": "216578",
        "start": START,
        "end": START + timedelta(hours=1),
        "specific_pin": "4321",
        "attendees": (Attendee("nathalie@fortinet.example", "Nathalie"),),
    }
    base.update(kw)
    return EventForm(**base)  # type: ignore[arg-type]


def _outbox(tmp_path: Path) -> MailSettings:
    return MailSettings(outbox=tmp_path / "outbox")


def _events(store: Store) -> int:
    row = store.execute("SELECT count(*) FROM conference").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.req("FAX-2")
@pytest.mark.timeout(30)  # the quadratic fit this replaces never finished
def test_a_million_character_fax_header_is_refused_fast(seeded_store: Store) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    began = time.perf_counter()
    with pytest.raises(fax_portal.CannotSend, match="Fax header takes at most 100 characters"):
        fax_files.send_fax(
            seeded_store,
            user,
            to="+1 604 555 0100",
            attachments=[("a.pdf", PDF)],
            now=NOW,
            cover=DynamicCover(),
            header="x" * 1_000_000,
        )
    assert time.perf_counter() - began < 1.0
    assert seeded_store.execute("SELECT count(*) FROM fax WHERE owner = '7101' AND box = 'Sent'").fetchone() == (0,)


@pytest.mark.req("FAX-2")
@pytest.mark.timeout(30)
def test_stamping_a_million_character_header_line_is_linear() -> None:
    began = time.perf_counter()
    pdf, pages = fax_files.assemble([PDF, PDF], "2026-10-06 09:00  FROM: 7101  TO: 16045550100  " + "x" * 1_000_000)
    assert pages == 2 and pdf.startswith(b"%PDF-")
    assert render_fax(1, 2, "Acme", "Juliet", "y" * 1_000_000, "2026-10-06 09:00").startswith(b"%PDF-")
    assert time.perf_counter() - began < 1.0


@pytest.mark.req("CONF-2")
@pytest.mark.req("CONF-4")
@pytest.mark.parametrize(
    "form",
    [
        pytest.param({"title": "Budget\u2028Bcc: victim@example.com"}, id="title"),
        pytest.param({"attendees": (Attendee("nathalie@fortinet.example", "Nathalie\u2028Bcc: x@y.z"),)}, id="name"),
    ],
)
def test_a_line_separator_gives_a_message_and_saves_nothing(
    seeded_store: Store, tmp_path: Path, form: dict[str, object]
) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    before = _events(seeded_store)
    with pytest.raises(BadEvent, match="control characters"):
        save_event(seeded_store, user, _form(**form), NOW, settings=_outbox(tmp_path))
    assert _events(seeded_store) == before
    assert not (tmp_path / "outbox").exists()


@pytest.mark.req("CONF-4")
def test_every_email_header_is_sanitised_to_one_line() -> None:
    msg = compose(["Eve\u2028Bcc: victim@example.com <eve@example.com>"], "Hi\u2029Cc: x@example.com\r\n", "body", NOW)
    back = email.message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert back["Bcc"] is None and back["Cc"] is None
    assert back["Subject"] == "Hi Cc: x@example.com"
    assert [a.addr_spec for a in back["To"].addresses] == ["eve@example.com"]


@pytest.mark.req("CONF-2")
@pytest.mark.parametrize("address", ["postmaster,victim@example.com", "a@example.com;b@example.com", "Eve <e@x.com>"])
def test_one_attendee_entry_is_one_address(seeded_store: Store, tmp_path: Path, address: str) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    before = _events(seeded_store)
    with pytest.raises(BadEvent, match="is not a valid email address"):
        save_event(seeded_store, user, _form(attendees=(Attendee(address, "Post"),)), NOW, settings=_outbox(tmp_path))
    assert _events(seeded_store) == before
    assert not (tmp_path / "outbox").exists()


@pytest.mark.req("FAX-4")
@pytest.mark.parametrize(("name", "description"), [("n" * 2_000_000, ""), ("Letterhead", "d" * 2_000_000)])
def test_cover_page_text_fields_have_a_limit(seeded_store: Store, name: str, description: str) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    with pytest.raises(fax_portal.CannotSend, match="takes at most"):
        fax_files.add_cover_page(
            seeded_store, user, name=name, description=description, file_name="c.pdf", content=PDF, now=NOW
        )
    assert fax_portal.cover_pages(seeded_store, user) == []


@pytest.mark.req("FAX-2")
def test_dynamic_cover_fields_have_a_limit(seeded_store: Store) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    with pytest.raises(fax_portal.CannotSend, match="Subject takes at most 200 characters"):
        fax_files.send_fax(
            seeded_store,
            user,
            to="+1 604 555 0100",
            attachments=[("a.pdf", PDF)],
            now=NOW,
            cover=DynamicCover(subject="s" * 5000),
        )


@pytest.mark.req("AUTH-1")
def test_an_error_shows_a_reference_not_a_traceback(
    portal_db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("/srv/secret/path/store.py exploded")

    monkeypatch.setattr(home, "menu", broken)
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input("7101")
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    with caplog.at_level(logging.ERROR, logger="fvkit.portal"):
        at.button[0].click().run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "Something went wrong. Reference" in shown and "/srv/secret" not in shown
    reference = shown.split("Reference ")[1].split(":")[0]
    assert any(reference in r.getMessage() for r in caplog.records)


@pytest.mark.req("HD-5")
def test_a_sound_file_description_has_a_limit(seeded_store: Store) -> None:
    user = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, NOW)
    before = call_handling.sound_files(seeded_store, user)
    with pytest.raises(call_handling.BadHandling, match="Description: at most 1,000 characters"):
        call_handling.upload_sound_file(seeded_store, user, "Welcome", b"RIFF", NOW, description="d" * 2_000_000)
    assert call_handling.sound_files(seeded_store, user) == before
