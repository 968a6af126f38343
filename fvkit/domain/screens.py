"""The portal's screens (widgets) and who may open them (HOME-1, AUTH-4)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fvkit.domain.org import Extension, ExtensionType, Feature, Privilege


class Screen(StrEnum):
    """Widgets of the main menu, named as the guide names them (guide p.10)."""

    CALL_HISTORY = "Call History"
    VOICEMAIL = "Voicemail"
    CONTACT = "Contact"
    CALL_HANDLING = "Call Handling"
    CALL_RECORDING = "Call Recording"
    FAX = "Fax"
    CONFERENCE = "Conference"
    REMINDER = "Reminder"
    DEVICE = "Device"
    PREFERENCES = "Preferences"
    ANALYTICS = "Analytics"  # beyond the guide: the user's own calls in charts
    REPORTS = "Reports"  # beyond the guide: organisation reports (ANL-3), analysts only


@dataclass(frozen=True, slots=True)
class ScreenRule:
    """What an extension needs to open a screen."""

    screen: Screen
    slug: str  # module name across layers: fvkit/portal/<slug>.py, app_pages/<slug>.py
    icon: str
    privilege: Privilege | None = None
    feature: Feature | None = None


SCREENS: tuple[ScreenRule, ...] = (
    ScreenRule(Screen.CALL_HISTORY, "call_history", "📞"),
    ScreenRule(Screen.VOICEMAIL, "voicemail", "📬"),
    # guide p.56: Basic has no "Contacts and Click to dial"
    ScreenRule(Screen.CONTACT, "contact", "📇", feature=Feature.CONTACTS),
    # guide p.56: Basic has no "Configuration"
    ScreenRule(Screen.CALL_HANDLING, "call_handling", "🔀", feature=Feature.CONFIGURATION),
    ScreenRule(Screen.CALL_RECORDING, "call_recording", "⏺️", Privilege.CALL_RECORDING_ACCESS),
    ScreenRule(Screen.FAX, "fax", "📠", Privilege.FAX, Feature.FAXING),
    # guide p.7, p.10: the Conference tile only with the conference privilege
    ScreenRule(Screen.CONFERENCE, "conference", "👥", Privilege.CONFERENCE),
    ScreenRule(Screen.REMINDER, "reminder", "⏰", Privilege.REMINDER),
    ScreenRule(Screen.DEVICE, "device", "☎️"),
    ScreenRule(Screen.PREFERENCES, "preferences", "⚙️"),
    ScreenRule(Screen.ANALYTICS, "analytics", "📊"),
    ScreenRule(Screen.REPORTS, "reports", "📈", Privilege.ORGANISATION_REPORTS),
)


def may_sign_in(ext: Extension) -> bool:
    """Return whether an extension may use the user portal at all (AUTH-4)."""
    return ext.ext_type is ExtensionType.USER and ext.can(Privilege.USER_PORTAL)


def may_open(ext: Extension, screen: Screen) -> bool:
    """Return whether the extension's privileges and access level allow a screen."""
    if not may_sign_in(ext):
        return False
    rule = next(r for r in SCREENS if r.screen is screen)
    if rule.privilege is not None and not ext.can(rule.privilege):
        return False
    return rule.feature is None or ext.has(rule.feature)


def allowed_screens(ext: Extension) -> tuple[ScreenRule, ...]:
    """Return the main-menu widgets this extension sees, in menu order (HOME-1)."""
    return tuple(r for r in SCREENS if may_open(ext, r.screen))
