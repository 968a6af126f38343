"""Programmable keys of FortiFone desk phones (guide p.50-54)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fvkit.domain.org import Privilege


class KeyFunction(StrEnum):
    """Functions a user-assigned key can take (guide p.52-54)."""

    DTMF = "DTMF"
    PARK = "Park"
    SYSTEM_SPEED_DIAL = "System speed dial"
    USER_SPEED_DIAL = "User speed dial"
    INTERCOM = "Intercom"
    EXTENSION_APPEARANCE = "Extension appearance"
    LINE_APPEARANCE = "Line appearance"
    SHARED_LINE_APPEARANCE = "Shared line appearance"
    RECORD = "Record"
    PARK_APPEARANCE = "Park appearance"
    RESERVED_FOR_LINE = "Reserved for line"
    TWINNING = "Twinning"
    SPEED_DIAL = "Speed dial"
    PRIVATE_HOLD = "Private Hold"


class ResourceKind(StrEnum):
    """What the Resource column of a key takes (guide p.52-54)."""

    NONE = "Stays blank"
    DIGITS = "DTMF digits"
    SYSTEM_SPEED_DIAL = "System speed dial"
    NUMBER = "Extension or phone number"
    EXTENSION = "Extension"
    LINE = "Line"
    SHARED_LINE = "Shared line"
    PARK_SLOT = "Park slot"
    ACCOUNT = "Account"


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One row of the p.52-54 table."""

    function: KeyFunction
    resource: ResourceKind
    #: default label; "" means the label comes from the chosen resource
    default_label: str
    #: privilege the function needs, if any
    needs: Privilege | None = None


KEY_SPECS: dict[KeyFunction, KeySpec] = {
    spec.function: spec
    for spec in (
        KeySpec(KeyFunction.DTMF, ResourceKind.DIGITS, "DTMF"),
        KeySpec(KeyFunction.PARK, ResourceKind.NONE, "Auto park"),
        KeySpec(KeyFunction.SYSTEM_SPEED_DIAL, ResourceKind.SYSTEM_SPEED_DIAL, ""),
        KeySpec(KeyFunction.USER_SPEED_DIAL, ResourceKind.NUMBER, ""),
        KeySpec(KeyFunction.INTERCOM, ResourceKind.NONE, "Intercom"),
        KeySpec(KeyFunction.EXTENSION_APPEARANCE, ResourceKind.EXTENSION, ""),
        KeySpec(KeyFunction.LINE_APPEARANCE, ResourceKind.LINE, ""),
        KeySpec(KeyFunction.SHARED_LINE_APPEARANCE, ResourceKind.SHARED_LINE, ""),
        KeySpec(KeyFunction.RECORD, ResourceKind.NONE, "Record", Privilege.PERSONAL_RECORDING),
        KeySpec(KeyFunction.PARK_APPEARANCE, ResourceKind.PARK_SLOT, ""),
        KeySpec(KeyFunction.RESERVED_FOR_LINE, ResourceKind.ACCOUNT, ""),
        KeySpec(KeyFunction.TWINNING, ResourceKind.NONE, "Twinning", Privilege.TWINNING),
        KeySpec(KeyFunction.SPEED_DIAL, ResourceKind.NUMBER, "Speed dial"),
        KeySpec(KeyFunction.PRIVATE_HOLD, ResourceKind.NONE, "Private Hold"),
    )
}

#: FortiFone models that have programmable keys (guide p.50 quick start guides).
PROGRAMMABLE_MODELS = ("FON-380", "FON-380B", "FON-480", "FON-480B", "FON-580")
DESK_PHONE_MODELS = ("FON-280B", *PROGRAMMABLE_MODELS, "FON-W80B")
KEYS_PER_PAGE = 7  # guide p.51 example: options 1-7 on Page 1
