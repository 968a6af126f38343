"""Voicemail options and Preferences (guide p.19-20, p.56-60)."""

from __future__ import annotations

from enum import StrEnum


class VoicemailBox(StrEnum):
    """The voicemail list filter (guide p.17)."""

    ALL = "All"
    INBOX = "Inbox"
    URGENT = "Urgent"
    OLD = "Old"


class VoicemailName(StrEnum):
    """Voicemail options > Name (guide p.19)."""

    STANDARD = "Standard"
    PERSONAL = "Personal"


class GreetingType(StrEnum):
    """Voicemail options > Greeting (guide p.19-20)."""

    STANDARD = "Standard"
    SIMPLE = "Simple"
    SCHEDULED = "Scheduled"
    CONDITIONAL = "Conditional"


class ConditionalGreeting(StrEnum):
    """The two cases of a conditional greeting (guide p.20)."""

    BUSY = "Busy"
    UNAVAILABLE = "Unavailable"


class VoicemailNotification(StrEnum):
    """Notification Options > Voicemail (guide p.59)."""

    NONE = "None"
    SIMPLE = "Simple"
    WITH_ATTACHMENT = "With attachment"


class Theme(StrEnum):
    """Display Preference > Theme (guide p.57); default Green."""

    GREEN = "Green"
    BLUE = "Blue"
    RED = "Red"
    ORANGE = "Orange"


#: the accent colour each theme gives the portal (guide p.57 names only the default, Green)
THEME_COLORS: dict[Theme, str] = {
    Theme.GREEN: "#2e7d32",
    Theme.BLUE: "#1565c0",
    Theme.RED: "#c62828",
    Theme.ORANGE: "#ef6c00",
}


DEFAULT_THEME = Theme.GREEN  # guide p.57
DEFAULT_WEB_LANGUAGE = "English"  # guide p.57
#: guide p.57: "GMT -8:00 Pacific Time US & Canada", as an IANA zone.
DEFAULT_TIME_ZONE = "America/Los_Angeles"
DEFAULT_TIME_ZONE_LABEL = "GMT -8:00 Pacific Time US & Canada"

# NOTE: the portal's text exists in English only, so that is the one web language offered
WEB_LANGUAGES = ("English",)
PHONE_LANGUAGES = ("English", "French", "Spanish", "German", "Portuguese")

#: Display labels for the time zones offered, in the guide's style, by IANA zone.
TIME_ZONES: dict[str, str] = {
    "Pacific/Honolulu": "GMT -10:00 Hawaii",
    "America/Anchorage": "GMT -9:00 Alaska",
    "America/Los_Angeles": DEFAULT_TIME_ZONE_LABEL,
    "America/Denver": "GMT -7:00 Mountain Time US & Canada",
    "America/Chicago": "GMT -6:00 Central Time US & Canada",
    "America/New_York": "GMT -5:00 Eastern Time US & Canada",
    "America/Halifax": "GMT -4:00 Atlantic Time Canada",
    "UTC": "GMT +0:00 Coordinated Universal Time",
    "Europe/London": "GMT +0:00 London",
    "Europe/Paris": "GMT +1:00 Paris, Berlin, Rome",
    "Asia/Kolkata": "GMT +5:30 India",
    "Asia/Shanghai": "GMT +8:00 Beijing",
    "Asia/Tokyo": "GMT +9:00 Tokyo",
    "Australia/Sydney": "GMT +10:00 Sydney",
}
