"""Fax (guide p.33-35): Inbox, Sent, cover pages and monitored eFax accounts.

Every action needs the Fax screen (the Fax privilege and a Standard+ access level, AUTH-4)
and touches only the user's own faxes and cover pages (AUTH-5); Monitor (FAX-5) also needs
"Fax extension monitoring" and the user among the account's monitors. Checking uploads and
building a sent fax's PDF are `pipelines.fax`'s; this module stores what it hands over.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

import polars as pl

from fvkit.domain.clock import to_local
from fvkit.domain.limits import DESCRIPTION_MAX_CHARS, HISTORY_PAGE_SIZE, NAME_MAX_CHARS, too_long
from fvkit.domain.numbers import digits
from fvkit.domain.org import ExtensionType, Privilege
from fvkit.domain.screens import Screen
from fvkit.portal.auth import PermissionDenied, User, require, require_screen
from fvkit.portal.display import ListPage, clamp_page, local_times, span
from fvkit.sim import media
from fvkit.store import accounts, blobs, faxes, recordings
from fvkit.store.db import Store

PAGE_SIZE = HISTORY_PAGE_SIZE  # the portal's lists page by 25 rows (guide p.14 "1-25 of 59")
BOXES = ("Inbox", "Sent")  # guide p.33-34: Fax > Inbox, Fax > Sent
SENT = "Sent"
#: E.164 allows 15 digits; 3 covers short internal fax extensions. Our bound, not the guide's.
FAX_NUMBER_DIGITS = (3, 15)
_NUMBER_CHARS = set("0123456789 +-().")

#: the list's columns, by the key `list_page` computes them under
LIST_LABELS = {"party": "From", "time": "Time", "pages": "Pages", "status": "Status"}
SENT_LABELS = {"party": "To", "time": "Time", "pages": "Pages", "status": "Status"}


class CannotSend(ValueError):
    """A fax, forward or cover page the portal refuses; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class DynamicCover:
    """The Dynamic cover sheet's fields (guide p.33), and the receiver's name of a saved one (p.35)."""

    sender: str = ""
    email: str = ""
    subject: str = ""
    company: str = ""
    comments: str = ""
    recipient: str = ""


@dataclass(frozen=True, slots=True)
class CoverPage:
    """One of the user's uploaded cover pages."""

    id: int
    name: str
    description: str
    mime: str
    size: int


def fax_number(to: str) -> str:
    """Return the digits of a fax number as typed, or raise CannotSend saying why (FAX-2)."""
    text = to.strip()
    if not text:
        raise CannotSend("Enter the fax number to send to.")
    if not set(text) <= _NUMBER_CHARS or text.count("+") > 1 or "+" in text[1:]:
        raise CannotSend("A fax number holds digits only (spaces, +, -, brackets and dots allowed).")
    number = digits(text)
    low, high = FAX_NUMBER_DIGITS
    if not low <= len(number) <= high:
        raise CannotSend(f"A fax number has {low} to {high} digits.")
    return number


def _party(name: str, number: str) -> str:
    return f"{name} {number}" if name else number


def _page(store: Store, user: User, owners: list[str], box: str, page: int, size: int) -> ListPage:
    if box not in BOXES:
        raise ValueError(f"box must be one of {BOXES}, got {box!r}")
    total = faxes.fax_count(store, owners, box)
    page = clamp_page(page, size, total)
    frame = pl.from_arrow(faxes.list_faxes(store, owners, box, size, (page - 1) * size))
    assert isinstance(frame, pl.DataFrame)
    frame = local_times(frame, ["time"], user.time_zone)
    labels = SENT_LABELS if box == SENT else LIST_LABELS
    shown = frame.select(
        "id",
        pl.Series(
            "party",
            [_party(n, r) for n, r in zip(frame["remote_name"], frame["remote_number"], strict=True)],
            pl.String,
        ),
        "time",
        "pages",
        "status",
    ).rename(labels)
    return ListPage(shown, *span(page, size, total, shown.height), total)


def list_page(store: Store, user: User, box: str = "Inbox", page: int = 1, size: int = PAGE_SIZE) -> ListPage:
    """Return page `page` (from 1) of the user's faxes in a box, newest first (FAX-1, FAX-3)."""
    require_screen(user, Screen.FAX)
    return _page(store, user, [user.number], box, page, size)


def may_monitor(user: User) -> bool:
    """Return whether the administrator let the user monitor fax extensions (guide p.35)."""
    return user.extension.can(Privilege.FAX_MONITOR)


def _accounts(store: Store, user: User) -> dict[str, dict[str, Any]]:
    require_screen(user, Screen.FAX)
    require(user, Privilege.FAX_MONITOR)
    return {a["name"]: a for a in faxes.monitored_accounts(store, user.number)}


def monitored_accounts(store: Store, user: User) -> dict[str, str]:
    """Return the eFax accounts the user may monitor: name -> "name (number)" (FAX-5)."""
    return {name: f"{name} ({a['number']})" for name, a in _accounts(store, user).items()}


def _account_owners(store: Store, user: User, account: str) -> list[str]:
    """Return the owners a monitored account's faxes are kept under: its name and its extension."""
    found = _accounts(store, user).get(account)
    if found is None:
        raise PermissionDenied(f"Extension {user.number} may not monitor the eFax account {account}.")
    return [found["name"], found["extension"]]


def monitor_page(
    store: Store, user: User, account: str, box: str = "Inbox", page: int = 1, size: int = PAGE_SIZE
) -> ListPage:
    """Return a page of a monitored eFax account's faxes (FAX-5)."""
    return _page(store, user, _account_owners(store, user, account), box, page, size)


def _checked(store: Store, user: User, owners: list[str], ids: list[int]) -> list[dict[str, Any]]:
    """Return the rows of these ids after checking every one belongs to `owners`."""
    if not ids:
        raise ValueError("Select at least one fax.")
    wanted = list(dict.fromkeys(int(i) for i in ids))
    rows = {r["id"]: r for r in faxes.fax_rows(store, wanted)}
    foreign = [i for i in wanted if i in rows and rows[i]["owner"] not in owners]
    if foreign:
        raise PermissionDenied(f"Extension {user.number} may not open fax {foreign[0]}.")
    missing = [i for i in wanted if i not in rows]
    if missing:
        raise LookupError(f"no fax {missing[0]}")
    return [rows[i] for i in wanted]


def _pdf(store: Store, row: dict[str, Any]) -> bytes:
    if row["blob_sha256"]:
        blob = blobs.get(store, str(row["blob_sha256"]))
        if blob is None:
            raise LookupError(f"the file of fax {row['id']} is missing")
        return blob.content
    return media.fax_pdf(store, int(row["id"]))


def _kept(store: Store, row: dict[str, Any], now: datetime) -> str:
    """Return the blob of a fax's PDF, storing a simulated fax's rendering first.

    A copy (resend, forward) is the same document: rendered again under its new owner and
    time, a simulated fax would get another header line.
    """
    if row["blob_sha256"]:
        return str(row["blob_sha256"])
    return blobs.put(store, media.fax_pdf(store, int(row["id"])), "application/pdf", now)


def _file_name(row: dict[str, Any], time_zone: str) -> str:
    local = to_local(row["time"], time_zone)
    way = "to" if row["box"] == SENT else "from"
    party = "".join(ch for ch in str(row["remote_number"]) if ch.isalnum()) or "unknown"
    return f"fax_{local:%Y-%m-%d_%H%M}_{way}_{party}_id{row['id']}.pdf"


def fax_file(store: Store, user: User, fax_id: int, account: str | None = None) -> tuple[str, bytes]:
    """Return one of the user's faxes (or a monitored account's) as (file name, PDF bytes)."""
    require_screen(user, Screen.FAX)
    owners = [user.number] if account is None else _account_owners(store, user, account)
    (row,) = _checked(store, user, owners, [fax_id])
    return _file_name(row, user.time_zone), _pdf(store, row)


def fax_file_name(store: Store, user: User, fax_id: int, account: str | None = None) -> str:
    """Return the download name of one of the user's faxes (or a monitored account's), unrendered."""
    require_screen(user, Screen.FAX)
    owners = [user.number] if account is None else _account_owners(store, user, account)
    (row,) = _checked(store, user, owners, [fax_id])
    return _file_name(row, user.time_zone)


def record_sent(store: Store, user: User, to: str, pdf: bytes, pages: int, now: datetime) -> int:
    """Store a fax the user sent - its PDF as a blob, a Sent row - and return its id (FAX-2).

    NOTE: nothing dials out; the row's status is "Sent" at once and no CDR is written.
    """
    require_screen(user, Screen.FAX)
    number = fax_number(to)
    key = blobs.put(store, pdf, "application/pdf", now)
    return faxes.add_sent(store, user.number, number, now, pages, key)


def delete_monitored(store: Store, user: User, account: str, ids: list[int]) -> int:
    """Delete faxes of a monitored eFax account; return how many (FAX-5)."""
    owners = _account_owners(store, user, account)
    checked = [r["id"] for r in _checked(store, user, owners, ids)]
    return faxes.delete_faxes(store, owners, checked)


def resend(store: Store, user: User, account: str, ids: list[int], now: datetime) -> list[int]:
    """Send faxes of a monitored account again: a new Sent row of the account's each (FAX-5).

    A received fax goes back out to the number it came from; a sent one to its recipient.
    """
    owners = _account_owners(store, user, account)
    sent: list[int] = []
    for row in _checked(store, user, owners, ids):
        key = _kept(store, row, now)
        sent += faxes.copy_faxes(
            store, owners, [row["id"]], to_owner=row["owner"], box=SENT, time=now, status=SENT, blob_sha256=key
        )
    return sent


def forward_targets(store: Store, user: User) -> dict[str, str]:
    """Return the extensions a fax can be forwarded to: number -> "Name Number"."""
    require_screen(user, Screen.FAX)
    table = recordings.user_extensions(store).to_pylist()
    return {r["number"]: _party(r["display_name"], r["number"]) for r in table}


def forward(store: Store, user: User, account: str, ids: list[int], to: str, now: datetime) -> list[int]:
    """Copy faxes of a monitored account into a User extension's Inbox; return the copies' ids (FAX-5)."""
    owners = _account_owners(store, user, account)
    checked = _checked(store, user, owners, ids)
    target = accounts.get_extension(store, to.strip())
    if target is None or target.ext_type is not ExtensionType.USER:
        raise CannotSend(f"{to} is not a user extension.")
    found = _accounts(store, user)[account]
    copies: list[int] = []
    for row in checked:
        copies += faxes.copy_faxes(
            store,
            owners,
            [row["id"]],
            to_owner=target.number,
            box="Inbox",
            time=now,
            status="Received",
            remote_number=str(found["number"]),
            remote_name=account,
            blob_sha256=_kept(store, row, now),
        )
    return copies


def cover_pages(store: Store, user: User) -> list[CoverPage]:
    """Return the user's uploaded cover pages, by name (FAX-4)."""
    require_screen(user, Screen.FAX)
    rows = faxes.list_cover_pages(store, user.number).to_pylist()
    return [CoverPage(r["id"], r["name"], r["description"], r["mime"], int(r["size"])) for r in rows]


def cover_page_file(store: Store, user: User, cover_id: int) -> tuple[str, bytes]:
    """Return one of the user's cover pages as (mime, bytes)."""
    require_screen(user, Screen.FAX)
    rows = {r["id"]: r for r in faxes.list_cover_pages(store, user.number).to_pylist()}
    if cover_id not in rows:
        raise PermissionDenied(f"Extension {user.number} has no cover page {cover_id}.")
    blob = blobs.get(store, str(rows[cover_id]["blob_sha256"]))
    if blob is None:
        raise LookupError(f"the file of cover page {cover_id} is missing")
    return blob.mime, blob.content


def save_cover_page(
    store: Store, user: User, name: str, description: str, content: bytes, mime: str, now: datetime
) -> int:
    """Store a cover page `pipelines.fax` checked; return its id (FAX-4)."""
    require_screen(user, Screen.FAX)
    if not name.strip():
        raise CannotSend("Enter a name for the cover page.")
    for label, value, limit in (("Name", name, NAME_MAX_CHARS), ("Description", description, DESCRIPTION_MAX_CHARS)):
        problem = too_long(label, value.strip(), limit)
        if problem:
            raise CannotSend(problem)
    key = blobs.put(store, content, mime, now)
    return faxes.add_cover_page(store, user.number, name.strip(), description.strip(), key)


def delete_cover_pages(store: Store, user: User, ids: list[int]) -> int:
    """Delete the user's cover pages with these ids; return how many (FAX-4)."""
    require_screen(user, Screen.FAX)
    return faxes.delete_cover_pages(store, user.number, [int(i) for i in ids])


def dynamic_cover(store: Store, user: User) -> DynamicCover:
    """Return the user's saved Dynamic Cover Page (guide p.34-35), empty fields if none was saved."""
    require_screen(user, Screen.FAX)
    found = faxes.dynamic_cover(store, user.number)
    return DynamicCover(**found) if found else DynamicCover()


def save_dynamic_cover(store: Store, user: User, cover: DynamicCover, now: datetime) -> DynamicCover:
    """Keep the user's Dynamic Cover Page for New fax to use (guide p.35 steps 4-5); return it as kept."""
    require_screen(user, Screen.FAX)
    kept = DynamicCover(**{f.name: str(getattr(cover, f.name)).strip() for f in fields(DynamicCover)})
    faxes.save_dynamic_cover(store, user.number, asdict(kept), now)
    return kept
