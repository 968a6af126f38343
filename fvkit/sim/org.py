"""Generate an organisation from a seed (ORG-1..5, SIM-1): same seed, same rows."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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
from fvkit.domain.keys import DESK_PHONE_MODELS, KEYS_PER_PAGE, PROGRAMMABLE_MODELS, KeyFunction
from fvkit.domain.org import AccessLevel, AuthType, ExtensionType, KeyOwner, Privilege
from fvkit.domain.prefs import (
    DEFAULT_THEME,
    DEFAULT_TIME_ZONE,
    DEFAULT_WEB_LANGUAGE,
    GreetingType,
    VoicemailName,
    VoicemailNotification,
)
from fvkit.sim.people import People, build_people
from fvkit.store.secrets import hash_secret

DEPARTMENTS = ("Sales", "Support", "Engineering", "Finance", "Marketing", "Operations", "HR")
LOCATIONS = ("Ottawa", "Sunnyvale", "Burnaby", "Toronto")
#: name, weekdays (0 = Monday), start and end minute, inverted
SCHEDULES = (
    ("business_hour", "Mon-Fri 08:00-17:00", (0, 1, 2, 3, 4), 8 * 60, 17 * 60, False),
    ("after_hour", "Outside business hours", (0, 1, 2, 3, 4), 8 * 60, 17 * 60, True),
    ("lunch", "Mon-Fri 12:00-13:00", (0, 1, 2, 3, 4), 12 * 60, 13 * 60, False),
    ("weekend", "Saturday and Sunday", (5, 6), 0, 24 * 60, False),
    ("all_day", "Every day, all day", (0, 1, 2, 3, 4, 5, 6), 0, 24 * 60, False),
)
SOUND_FILES = (
    ("welcome_default", "Thank you for calling. Please hold while we connect you."),
    ("closed_default", "Our office is closed. Please call again during business hours."),
    ("blocked_caller", "The person you are calling is not accepting your calls."),
)
PRIVILEGE_ODDS: dict[Privilege, float] = {
    Privilege.USER_PORTAL: 0.96,
    Privilege.CONFERENCE: 0.4,
    Privilege.FAX: 0.5,
    Privilege.REMINDER: 0.5,
    Privilege.PERSONAL_RECORDING: 0.4,
    Privilege.CALL_RECORDING_ACCESS: 0.6,
    Privilege.BLOCK_LIST: 0.7,
    Privilege.TWINNING: 0.3,
    Privilege.CALL_FORWARDING: 0.7,
    Privilege.VOICEMAIL_OWNERS: 0.08,
    Privilege.FAX_MONITOR: 0.1,
    Privilege.SCHEDULED_GREETING: 0.3,
    Privilege.MATCH_PERSONAL_CONTACT: 0.5,
}
FIRST_USER = 7101  # guide p.13: "Juliet Higgins 7101"
CONFERENCE_BRIDGE = "7500"  # guide p.38: "Please dial ext 7500 to attend this conference"


@dataclass(frozen=True, slots=True)
class Generated:
    """An organisation as Arrow tables named as the store's, plus its people pool."""

    tables: dict[str, pa.Table]
    people: People
    operator: str


def generate(
    seed: int,
    extensions: int,
    trunk_lines: int,
    start: datetime,
    password: str | None,
    progress: Callable[[str], None] = lambda _: None,
) -> Generated:
    """Return the organisation's tables for `extensions` extensions of every type."""
    if extensions < 8:
        raise ValueError("an organisation needs at least 8 extensions")
    rng = np.random.default_rng(seed)
    people = build_people(seed)
    n_fax = max(1, extensions // 50)
    n_group = max(1, extensions // 50)
    n_aa = max(1, extensions // 100)
    n_user = extensions - n_fax - n_group - n_aa - 1
    person = rng.permutation(len(people.first))[:n_user].tolist()
    domain = "example.com"

    ext_rows: list[dict[str, Any]] = []
    users = [str(FIRST_USER + i) for i in range(n_user)]
    levels = rng.choice(list(AccessLevel), size=n_user, p=[0.15, 0.6, 0.25]).tolist()
    depts = rng.choice(DEPARTMENTS, size=n_user).tolist()
    locs = rng.choice(LOCATIONS, size=n_user).tolist()
    odds = rng.random((n_user, len(PRIVILEGE_ODDS)))
    dids = people.numbers[-extensions - 10 :]  # DIDs drawn from the tail, callers from the head
    for i, number in enumerate(users):
        first, last = people.first[person[i]], people.last[person[i]]
        privs = [p.value for j, (p, odd) in enumerate(PRIVILEGE_ODDS.items()) if odds[i, j] < odd]
        if i == 0:  # the operator: a Premium user with every privilege, for demos
            privs, levels[i] = [p.value for p in Privilege], AccessLevel.PREMIUM.value
        ext_rows.append(
            {
                "number": number,
                "display_name": f"{first} {last}",
                "ext_type": ExtensionType.USER.value,
                "department": depts[i],
                "location": locs[i],
                "email": f"{first}.{last}@{domain}".lower().replace(" ", ""),
                "access_level": levels[i],
                "auth_type": AuthType.LOCAL.value,
                "privileges": privs,
                "did": dids[i],
            }
        )
    specials: list[tuple[str, str, ExtensionType, str]] = []
    specials += [(str(7801 + i), f"Fax {i + 1}", ExtensionType.FAX, dids[n_user + i]) for i in range(n_fax)]
    specials += [(str(6001 + i), f"{DEPARTMENTS[i % 7]} group", ExtensionType.GROUP, "") for i in range(n_group)]
    specials += [
        (
            str(7000 + i),
            f"auto_attendant_{'default' if i == 0 else i}",
            ExtensionType.AUTO_ATTENDANT,
            "",
        )
        for i in range(n_aa)
    ]
    specials.append((CONFERENCE_BRIDGE, "Conference", ExtensionType.CONFERENCE, ""))
    main_number = dids[-1]
    for number, name, kind, did in specials:
        ext_rows.append(
            {
                "number": number,
                "display_name": name,
                "ext_type": kind.value,
                "department": "",
                "location": LOCATIONS[0],
                "email": "",
                "access_level": AccessLevel.BASIC.value,
                "auth_type": AuthType.LOCAL.value,
                "privileges": [],
                "did": main_number if number == "7000" else did,
            }
        )
    progress("hashing passwords and PINs")
    secrets = _secrets(rng, users, password)
    for row, (pw, pin, code, hint) in zip(ext_rows, secrets, strict=False):
        row.update(password_hash=pw, vm_pin_hash=pin, personal_code_hash=code, vm_pin_hint=hint)
    for row in ext_rows[n_user:]:
        row.update(password_hash=None, vm_pin_hash=None, personal_code_hash=None, vm_pin_hint="")

    tables: dict[str, pa.Table] = {"extension": pa.Table.from_pylist(ext_rows)}
    tables["organisation"] = pa.Table.from_pylist(
        [
            {
                "id": 1,
                "name": people.companies[0],
                "domain": domain,
                "cloud_id": f"{rng.integers(100, 1000)}{rng.integers(100, 1000)}{rng.integers(1000, 10000)}",
                "time_zone": DEFAULT_TIME_ZONE,
                "access_number": CONFERENCE_BRIDGE,
                "operator": users[0],
                "seed": seed,
                "created_at": start,
            }
        ]
    )
    tables["schedule"] = pa.Table.from_pylist(
        [
            {
                "name": n,
                "description": d,
                "weekdays": list(w),
                "start_minute": a,
                "end_minute": b,
                "inverted": inv,
            }
            for n, d, w, a, b, inv in SCHEDULES
        ]
    )
    tables["trunk"] = pa.Table.from_pylist([{"name": "fve126", "provider": "SIP provider", "lines": trunk_lines}])
    tables["auto_attendant"] = pa.Table.from_pylist(
        [
            {"name": name, "extension": num, "description": "Main menu"}
            for num, name, k, _ in specials
            if k is ExtensionType.AUTO_ATTENDANT
        ]
    )
    tables["sound_file"] = pa.Table.from_pylist(
        [
            {
                "id": i + 1,
                "owner": None,
                "name": n,
                "description": "",
                "blob_sha256": None,
                "script": script,
            }
            for i, (n, script) in enumerate(SOUND_FILES)
        ],
        schema=pa.schema(
            [
                ("id", pa.int64()),
                ("owner", pa.string()),
                ("name", pa.string()),
                ("description", pa.string()),
                ("blob_sha256", pa.string()),
                ("script", pa.string()),
            ]
        ),
    )
    fax_exts = [s for s in specials if s[2] is ExtensionType.FAX]
    monitors = [u for u, r in zip(users, ext_rows, strict=False) if Privilege.FAX_MONITOR.value in r["privileges"]]
    tables["efax_account"] = pa.Table.from_pylist(
        [
            {"name": f"efax{i + 1}", "number": did, "extension": num, "monitors": monitors}
            for i, (num, _, _, did) in enumerate(fax_exts)
        ]
    )
    tables["business_contact"] = pa.Table.from_pylist(
        [
            {
                "id": i + 1,
                "display_name": people.name(i),
                "company": people.companies[i % len(people.companies)],
                "main_number": people.numbers[i],
                "mobile_number": people.numbers[i + 1000],
                "email": f"{people.first[i]}.{people.last[i]}@{_web_name(people.companies[i % 50])}".lower(),
            }
            for i in range(min(60, extensions))
        ]
    )
    tables["system_speed_dial"] = pa.Table.from_pylist(
        [{"code": f"*0{i}", "number": people.numbers[i], "label": people.companies[i]} for i in range(1, 6)]
    )
    tables["park_slot"] = pa.Table.from_pylist([{"slot": str(7600 + i), "label": f"Park {i}"} for i in range(1, 6)])
    tables.update(_personal(rng, people, users, ext_rows, start))
    tables.update(_devices(rng, users, ext_rows, start))
    tables["voicemail_share"] = _voicemail_shares(users, ext_rows, specials)
    return Generated(tables, people, operator=users[0])


def _voicemail_shares(
    users: list[str], ext_rows: list[dict[str, Any]], specials: list[tuple[str, str, ExtensionType, str]]
) -> pa.Table:
    """Boxes each user with "Voicemail owner notifications" may see (VM-2, guide p.17).

    Their department's ring group box (when the department has a group) and one colleague's:
    the next user of the same department, else the next user. Draws nothing from the rng,
    so adding shares changed no other generated row.
    """
    groups = {name.removesuffix(" group"): number for number, name, kind, _ in specials if kind is ExtensionType.GROUP}
    by_dept: dict[str, list[int]] = {}
    for i in range(len(users)):
        by_dept.setdefault(ext_rows[i]["department"], []).append(i)
    rows: list[dict[str, str]] = []
    for i, number in enumerate(users):
        if Privilege.VOICEMAIL_OWNERS.value not in ext_rows[i]["privileges"]:
            continue
        dept = ext_rows[i]["department"]
        if dept in groups:
            rows.append({"viewer": number, "owner": groups[dept]})
        team = by_dept[dept]
        colleague = team[(team.index(i) + 1) % len(team)] if len(team) > 1 else (i + 1) % len(users)
        if colleague != i:
            rows.append({"viewer": number, "owner": users[colleague]})
    return pa.Table.from_pylist(rows, schema=pa.schema([("viewer", pa.string()), ("owner", pa.string())]))


def _web_name(company: str) -> str:
    """Return a plausible mail domain for a company name ("Smith, Lee and Ray" -> smith.com)."""
    return "".join(ch for ch in company.split()[0] if ch.isalnum()) + ".com"


def _secrets(rng: np.random.Generator, users: list[str], password: str | None) -> list[tuple[str, str, str, str]]:
    """Hash every user's password, voicemail PIN and personal code, in parallel."""
    salts = rng.bytes(16 * 3 * len(users))
    letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    jobs: list[tuple[str, bytes]] = []
    hints = []
    for i in range(len(users)):
        pw = password or "".join(letters[j] for j in rng.integers(0, len(letters), 16))
        pin = "".join(str(d) for d in rng.integers(0, 10, 6))
        code = "".join(str(d) for d in rng.integers(0, 10, 4))
        base = 48 * i
        jobs += [
            (pw, salts[base : base + 16]),
            (pin, salts[base + 16 : base + 32]),
            (code, salts[base + 32 : base + 48]),
        ]
        hints.append(f"****{pin[-2:]}")
    # argon2 releases the GIL: two threads hash twice as fast on two cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        hashes = list(pool.map(lambda job: hash_secret(job[0], job[1]), jobs))
    return [(hashes[3 * i], hashes[3 * i + 1], hashes[3 * i + 2], hints[i]) for i in range(len(users))]


def _personal(
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
        if Privilege.BLOCK_LIST.value in privs and r[0] < 0.25:
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
        twinning = Privilege.TWINNING.value in privs and r[1] < 0.35
        quick_status, quick_expires = None, None
        if r[2] < 0.05:
            quick_status = QuickStatus.OUT_OF_OFFICE.value
            quick_expires = start + timedelta(days=int(rng.integers(1, 10)), hours=9)
        elif r[2] < 0.07:
            quick_status = QuickStatus.AWAY.value
        handling.append(
            {
                "owner": number,
                "dnd": bool(r[3] < 0.05),
                "forward_to": mobile if forwarding and r[4] < 0.06 else "",
                "call_waiting": bool(r[5] < 0.7),
                "ring_seconds": int(rng.choice([15, 20, 20, 25, 30])),
                "twinning_mode": TwinningMode.SIMPLE.value if twinning else TwinningMode.DISABLED.value,
                "twinning_status": TwinningStatus.ACTIVATED.value if twinning else TwinningStatus.DEACTIVATED.value,
                "twinning_number": mobile if twinning else "",
                "quick_status": quick_status,
                "quick_expires": quick_expires,
                "registered": bool(r[6] > 0.04),
            }
        )
        if r[7] < 0.08:  # the guide's p.27 example: announcement, then auto attendant
            modes.append({"owner": number, "status": HandlingStatus.NORMAL.value})
            rules.append(
                _rule(
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
                _rule(
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
                _rule(
                    number,
                    HandlingStatus.NORMAL,
                    3,
                    "after_hour",
                    list(CallFrom),
                    Action.DEFAULT,
                    "",
                )
            )
        if forwarding and r[8] < 0.12:  # no answer: follow me to mobile then home
            modes.append({"owner": number, "status": HandlingStatus.NO_ANSWER.value})
            rules.append(
                _rule(
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
        if forwarding and r[9] < 0.05 and not has_normal:  # after hours, forward to mobile
            modes.append({"owner": number, "status": HandlingStatus.NORMAL.value})
            rules.append(
                _rule(
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
                _rule(
                    number,
                    HandlingStatus.NORMAL,
                    2,
                    "business_hour",
                    list(CallFrom),
                    Action.DEFAULT,
                    "",
                )
            )
        if r[10] < 0.1:  # blocked callers hear an announcement instead of a plain reject
            modes.append({"owner": number, "status": HandlingStatus.BLOCK_LIST.value})
            rules.append(
                _rule(
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
                "missed_call_email": bool(r[11] < 0.3),
                "notify_emails": ext_rows[i]["email"],
                "vm_operator": bool(r[12] < 0.2),
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


def _rule(
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


def _devices(
    rng: np.random.Generator, users: list[str], ext_rows: list[dict[str, Any]], start: datetime
) -> dict[str, pa.Table]:
    """Desk phones (with their programmable keys) and soft phones."""
    devices, keys = [], []
    device_id = 0
    for i, number in enumerate(users):
        if rng.random() < 0.8:
            device_id += 1
            model = str(rng.choice(DESK_PHONE_MODELS))
            reg = start - timedelta(minutes=int(rng.integers(1, 600)))
            mac = ":".join(f"{b:02x}" for b in [0x00, 0x09, 0x0F, *rng.integers(0, 256, 3).tolist()])
            devices.append(
                {
                    "id": device_id,
                    "extension": number,
                    "kind": "desk",
                    "model": f"FortiFone-{model[4:]}",
                    "mac": mac,
                    "ip": f"10.1.{i // 250}.{i % 250 + 2}",
                    "phone_info": f"Fortinet {model} 3.0.10.192",
                    "client_version": "",
                    "os_platform": "",
                    "os_version": "",
                    "registry_time": reg,
                    "expiry_time": reg + timedelta(minutes=1),
                    "revoked": False,
                }
            )
            if model in PROGRAMMABLE_MODELS:
                keys += _keys(device_id, users, i)
        if rng.random() < 0.45:
            device_id += 1
            android = rng.random() < 0.6
            devices.append(
                {
                    "id": device_id,
                    "extension": number,
                    "kind": "soft",
                    "model": "FortiFone Softclient",
                    "mac": "",
                    "ip": "",
                    "phone_info": "samsung-SM-J327W" if android else "iPhone14,2",
                    "client_version": "3.0.17.308",
                    "os_platform": "Android" if android else "iOS",
                    "os_version": "8.1.0" if android else "17.2",
                    "registry_time": start - timedelta(days=3),
                    "expiry_time": start + timedelta(days=27),
                    "revoked": False,
                }
            )
    return {"device": pa.Table.from_pylist(devices), "programmable_key": pa.Table.from_pylist(keys)}


def _keys(device_id: int, users: list[str], i: int) -> list[dict[str, Any]]:
    """Page 1: two reserved keys, an admin-assigned appearance, the rest user-assigned."""
    colleague = users[(i + 1) % len(users)]
    rows = []
    for pos in range(1, KEYS_PER_PAGE + 1):
        if pos <= 2:
            assigned, fn, res, label = KeyOwner.RESERVED, "Reserved", "Reserved", "Reserved"
        elif pos == 3:
            assigned, fn, res, label = (
                KeyOwner.ADMIN,
                KeyFunction.EXTENSION_APPEARANCE.value,
                colleague,
                colleague,
            )
        else:
            assigned, fn, res, label = KeyOwner.USER, "", "", ""
        rows.append(
            {
                "device_id": device_id,
                "page": 1,
                "position": pos,
                "assigned": assigned.value,
                "function": fn,
                "resource": res,
                "label": label,
            }
        )
    return rows
