"""Each user's own settings in a generated organisation: contacts, block list, speed dials,
preferences and call handling (ORG-1, HD-1..8 as data)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from fvkit.domain.handling import (
    Action,
    CallFrom,
    HandlingStatus,
    QuickStatus,
    TwinningMode,
    TwinningStatus,
)
from fvkit.domain.org import AccessLevel, Privilege
from fvkit.domain.prefs import (
    DEFAULT_THEME,
    DEFAULT_TIME_ZONE,
    DEFAULT_WEB_LANGUAGE,
    GreetingType,
    VoicemailName,
    VoicemailNotification,
)
from fvkit.sim.behaviour import RATE as ODDS
from fvkit.sim.people import People


def personal(
    rng: np.random.Generator,
    people: People,
    users: list[str],
    ext_rows: list[dict[str, Any]],
    start: datetime,
) -> dict[str, pa.Table]:
    """Each user's contacts, block list, speed dials, preferences and call handling."""
    contacts: list[dict[str, Any]] = []
    blocks: list[dict[str, Any]] = []
    speed: list[dict[str, Any]] = []
    prefs: list[dict[str, Any]] = []
    handling: list[dict[str, Any]] = []
    modes: list[dict[str, Any]] = []
    rules: list[dict[str, Any]] = []
    follow: list[dict[str, Any]] = []
    twin_sched: list[dict[str, Any]] = []  # the generator makes simple twinning only
    quick: list[dict[str, Any]] = []
    contact_id = block_id = 0
    for i, number in enumerate(users):
        privs = set(ext_rows[i]["privileges"])
        r = rng.random(16)
        # Basic users have no Contact screen (guide p.56), so no personal contacts
        n_contacts = int(rng.integers(0, 9))
        for k in range(n_contacts if ext_rows[i]["access_level"] != AccessLevel.BASIC.value else 0):
            p = int(rng.integers(0, 4000))
            contact_id += 1
            contacts.append(
                {
                    "id": contact_id,
                    "owner": number,
                    "display_name": people.name(p),
                    "main_number": people.numbers[p],
                    "mobile_number": people.numbers[p + 1] if r[k % 16] < 0.5 else "",
                    "home_number": "",
                    "email": f"{people.first[p]}.{people.last[p]}@example.net".lower() if r[(k + 3) % 16] < 0.5 else "",
                    "description": "",
                    "favorite": bool(r[(k + 5) % 16] < 0.25),
                }
            )
            if k < 3 and r[(k + 7) % 16] < 0.4:
                speed.append(
                    {
                        "owner": number,
                        "keypad": k + 1,
                        "number": people.numbers[p],
                        "contact_id": contact_id,
                    }
                )
        if Privilege.BLOCK_LIST.value in privs and r[0] < ODDS["block_list_used"]:
            for _ in range(int(rng.integers(1, 4))):
                p = int(rng.integers(0, 300))  # blocked numbers are among the frequent callers
                block_id += 1
                blocks.append(
                    {
                        "id": block_id,
                        "owner": number,
                        "number": people.numbers[p],
                        "display_name": people.name(p),
                        "description": "Unwanted caller",
                    }
                )
        mobile = people.numbers[2000 + i]
        forwarding = Privilege.CALL_FORWARDING.value in privs
        twinning = Privilege.TWINNING.value in privs and r[1] < ODDS["twinning_on"]
        quick_status, quick_expires = None, None
        if r[2] < ODDS["out_of_office"]:
            quick_status = QuickStatus.OUT_OF_OFFICE.value
            quick_expires = start + timedelta(days=int(rng.integers(1, 10)), hours=9)
        elif r[2] < ODDS["out_of_office"] + ODDS["away"]:
            quick_status = QuickStatus.AWAY.value
        handling.append(
            {
                "owner": number,
                "dnd": bool(r[3] < ODDS["dnd_on"]),
                "forward_to": mobile if forwarding and r[4] < ODDS["forward_on"] else "",
                "call_waiting": bool(r[5] < ODDS["call_waiting_on"]),
                "ring_seconds": int(rng.choice([15, 20, 20, 25, 30])),
                "twinning_mode": TwinningMode.SIMPLE.value if twinning else TwinningMode.DISABLED.value,
                "twinning_status": TwinningStatus.ACTIVATED.value if twinning else TwinningStatus.DEACTIVATED.value,
                "twinning_number": mobile if twinning else "",
                "quick_status": quick_status,
                "quick_expires": quick_expires,
                "registered": bool(r[6] > 1 - ODDS["phone_connected"]),
            }
        )
        if i == 0:  # NOTE: the operator is the receptionist: phone on, call waiting, no DND or forward
            handling[-1].update(
                dnd=False, forward_to="", call_waiting=True, registered=True, quick_status=None, quick_expires=None
            )
        if r[7] < ODDS["guide_p27_rules"] and i > 0:  # the guide's p.27 example: announcement, then auto attendant
            modes.append({"owner": number, "status": HandlingStatus.NORMAL.value})
            rules.append(
                rule(
                    number,
                    HandlingStatus.NORMAL,
                    1,
                    "business_hour",
                    [CallFrom.EXTERNAL],
                    Action.PLAY_ANNOUNCEMENT,
                    "welcome_default",
                )
            )
            rules.append(
                rule(
                    number,
                    HandlingStatus.NORMAL,
                    2,
                    "business_hour",
                    [CallFrom.EXTERNAL],
                    Action.AUTO_ATTENDANT,
                    "auto_attendant_default",
                )
            )
            rules.append(
                rule(
                    number,
                    HandlingStatus.NORMAL,
                    3,
                    "after_hour",
                    list(CallFrom),
                    Action.DEFAULT,
                    "",
                )
            )
        if forwarding and r[8] < ODDS["follow_me_on_no_answer"]:  # no answer: follow me to mobile then home
            modes.append({"owner": number, "status": HandlingStatus.NO_ANSWER.value})
            rules.append(
                rule(
                    number,
                    HandlingStatus.NO_ANSWER,
                    1,
                    "all_day",
                    list(CallFrom),
                    Action.FOLLOW_ME,
                    "mobile_then_home",
                )
            )
            follow.append(
                {
                    "owner": number,
                    "profile": "mobile_then_home",
                    "seq": 1,
                    "number": mobile,
                    "ring_seconds": 20,
                }
            )
            follow.append(
                {
                    "owner": number,
                    "profile": "mobile_then_home",
                    "seq": 2,
                    "number": people.numbers[3000 + i],
                    "ring_seconds": 15,
                }
            )
        has_normal = any(m["owner"] == number and m["status"] == HandlingStatus.NORMAL.value for m in modes)
        if forwarding and r[9] < ODDS["after_hours_forward"] and not has_normal:  # after hours, forward to mobile
            modes.append({"owner": number, "status": HandlingStatus.NORMAL.value})
            rules.append(
                rule(
                    number,
                    HandlingStatus.NORMAL,
                    1,
                    "after_hour",
                    list(CallFrom),
                    Action.FORWARD,
                    mobile,
                )
            )
            rules.append(
                rule(
                    number,
                    HandlingStatus.NORMAL,
                    2,
                    "business_hour",
                    list(CallFrom),
                    Action.DEFAULT,
                    "",
                )
            )
        if r[10] < ODDS["blocked_announcement"]:  # blocked callers hear an announcement instead of a plain reject
            modes.append({"owner": number, "status": HandlingStatus.BLOCK_LIST.value})
            rules.append(
                rule(
                    number,
                    HandlingStatus.BLOCK_LIST,
                    1,
                    "all_day",
                    list(CallFrom),
                    Action.PLAY_ANNOUNCEMENT,
                    "blocked_caller",
                )
            )
        for status in QuickStatus:
            quick.append(
                {
                    "owner": number,
                    "status": status.value,
                    "duration_minutes": 480 if status is QuickStatus.AWAY else None,
                }
            )
        prefs.append(
            {
                "owner": number,
                "phone_language": "English",
                "web_language": DEFAULT_WEB_LANGUAGE,
                "theme": DEFAULT_THEME.value,
                "time_zone": DEFAULT_TIME_ZONE,
                "picture_sha256": None,
                "vm_notification": rng.choice(list(VoicemailNotification)).item(),
                "missed_call_email": bool(r[11] < ODDS["missed_call_email"]),
                "notify_emails": ext_rows[i]["email"],
                "vm_operator": bool(r[12] < ODDS["vm_operator"]),
                "vm_name": VoicemailName.STANDARD.value,
                "vm_name_sha256": None,
                "greeting_type": GreetingType.STANDARD.value,
            }
        )
    tables = {
        "contact": contacts,
        "block_entry": blocks,
        "speed_dial": speed,
        "preference": prefs,
        "handling": handling,
        "handling_mode": modes,
        "handling_rule": rules,
        "follow_me_number": follow,
        "twinning_schedule": twin_sched,
        "quick_mode_setting": quick,
    }
    return {name: pa.Table.from_pylist(rows) for name, rows in tables.items() if rows}


def rule(
    owner: str,
    status: HandlingStatus,
    seq: int,
    schedule: str,
    applies: list[CallFrom],
    action: Action,
    target: str,
) -> dict[str, Any]:
    return {
        "owner": owner,
        "status": status.value,
        "seq": seq,
        "schedule": schedule,
        "applies_to": [a.value for a in applies],
        "action": action.value,
        "target": target,
    }
