"""The main page: the menu of widgets and the header (guide p.10-11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fvkit.domain.calls import ExtensionStatus
from fvkit.domain.screens import ScreenRule, allowed_screens
from fvkit.portal.auth import User
from fvkit.store import accounts
from fvkit.store.db import Store
from fvkit.store.notifications import dnd_extensions

#: guide p.10 item 2: the portal documentation in HTML and PDF.
HELP_URL = "https://docs.fortinet.com/product/fortivoice-cloud"


@dataclass(frozen=True, slots=True)
class Header:
    """What the header shows about the signed-in extension (HOME-2)."""

    display_name: str
    number: str
    status: ExtensionStatus
    status_at: datetime | None


def menu(user: User) -> tuple[ScreenRule, ...]:
    """Return the widgets of the main menu the user may open, in menu order (HOME-1)."""
    return allowed_screens(user.extension)


def header(store: Store, user: User) -> Header:
    """Return the header: display name, extension number and current status (HOME-2)."""
    label, since = accounts.extension_status(store, user.number)
    status = ExtensionStatus(label)
    # Do not disturb set in Call Handling shows at once, live traffic or not (guide p.10)
    if status is not ExtensionStatus.DND and user.number in dnd_extensions(store):
        status = ExtensionStatus.DND
    return Header(display_name=user.extension.display_name, number=user.number, status=status, status_at=since)
