"""The organisation the administrator configures (ORG-1..5): extensions and privileges."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ExtensionType(StrEnum):
    """Kinds of extension in the directory (guide p.21 "extension type")."""

    USER = "User"
    FAX = "Fax"
    GROUP = "Group"
    AUTO_ATTENDANT = "Auto attendant"
    CONFERENCE = "Conference bridge"


class AccessLevel(StrEnum):
    """User access levels (guide p.56)."""

    BASIC = "Basic"
    STANDARD = "Standard"
    PREMIUM = "Premium"


class Feature(StrEnum):
    """Rows of the access-level feature table (guide p.56)."""

    CONFIGURATION = "Configuration"
    CONTACTS = "Contacts and Click to dial"
    CONSOLE = "Console (appearance)"
    CALL_CENTER_CONSOLE = "Call center console"
    FAXING = "Faxing"


#: guide p.56 table, row by row: Basic, Standard, Premium.
ACCESS_FEATURES: dict[Feature, dict[AccessLevel, bool]] = {
    Feature.CONFIGURATION: {
        AccessLevel.BASIC: False,
        AccessLevel.STANDARD: True,
        AccessLevel.PREMIUM: True,
    },
    Feature.CONTACTS: {
        AccessLevel.BASIC: False,
        AccessLevel.STANDARD: True,
        AccessLevel.PREMIUM: True,
    },
    Feature.CONSOLE: {
        AccessLevel.BASIC: False,
        AccessLevel.STANDARD: False,
        AccessLevel.PREMIUM: True,
    },
    Feature.CALL_CENTER_CONSOLE: {
        AccessLevel.BASIC: False,
        AccessLevel.STANDARD: False,
        AccessLevel.PREMIUM: False,
    },
    Feature.FAXING: {
        AccessLevel.BASIC: False,
        AccessLevel.STANDARD: True,
        AccessLevel.PREMIUM: True,
    },
}


def has_feature(level: AccessLevel, feature: Feature) -> bool:
    """Return whether an access level includes a feature of the p.56 table."""
    return ACCESS_FEATURES[feature][level]


class Privilege(StrEnum):
    """Per-extension privileges the administrator grants (ORG-2)."""

    USER_PORTAL = "User portal"
    CONFERENCE = "Conference"
    FAX = "Fax"
    REMINDER = "Reminder"
    PERSONAL_RECORDING = "Personal recording"
    CALL_RECORDING_ACCESS = "Call recording access"
    BLOCK_LIST = "Block list"
    TWINNING = "Twinning"
    CALL_FORWARDING = "Call forwarding"
    VOICEMAIL_OWNERS = "Voicemail owner notifications"
    FAX_MONITOR = "Fax extension monitoring"
    SCHEDULED_GREETING = "Scheduled greeting"
    MATCH_PERSONAL_CONTACT = "Match personal contact"
    # beyond the guide (ANL-3): the organisation-wide reports, for analysts and administrators
    ORGANISATION_REPORTS = "Organisation reports"


class AuthType(StrEnum):
    """How the extension authenticates to the web portal (guide p.57)."""

    LOCAL = "Local"
    LDAP = "LDAP"


@dataclass(frozen=True, slots=True)
class Extension:
    """One extension as the organisation defines it (ORG-1)."""

    number: str
    display_name: str
    ext_type: ExtensionType
    department: str
    location: str
    email: str
    access_level: AccessLevel
    auth_type: AuthType
    privileges: frozenset[Privilege]

    def can(self, privilege: Privilege) -> bool:
        """Return whether the administrator granted this privilege."""
        return privilege in self.privileges

    def has(self, feature: Feature) -> bool:
        """Return whether the access level includes this feature."""
        return has_feature(self.access_level, feature)


class KeyOwner(StrEnum):
    """Who controls a programmable key (guide p.51)."""

    RESERVED = "Reserved"
    ADMIN = "Admin Assigned"
    USER = "User Assigned"
