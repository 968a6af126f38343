"""Generate an organisation from a seed (ORG-1..5, SIM-1): same seed, same rows."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from fvkit.domain.limits import VM_PIN_HINT
from fvkit.domain.org import AccessLevel, AuthType, ExtensionType, Privilege
from fvkit.domain.prefs import (
    DEFAULT_TIME_ZONE,
)
from fvkit.sim.org_devices import devices
from fvkit.sim.org_personal import personal
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
DOMAIN = "example.com"
FIRST_USER = 7101  # guide p.13: "Juliet Higgins 7101"
CONFERENCE_BRIDGE = "7500"  # guide p.38: "Please dial ext 7500 to attend this conference"


@dataclass(frozen=True, slots=True)
class Generated:
    """An organisation as Arrow tables named as the store's, plus its people pool."""

    tables: dict[str, pa.Table]
    people: People
    operator: str


def user_count(extensions: int) -> int:
    """Return how many of `extensions` are users (the rest: fax, groups, auto attendants, a bridge)."""
    return extensions - max(1, extensions // 50) * 2 - max(1, extensions // 100) - 1


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
    n_user = user_count(extensions)
    person = rng.permutation(len(people.first))[:n_user].tolist()

    users = [str(FIRST_USER + i) for i in range(n_user)]
    dids = people.numbers[-extensions - 10 :]  # DIDs drawn from the tail, callers from the head
    ext_rows = _user_rows(rng, people, users, person, dids, DOMAIN)
    specials = _specials(n_user, n_fax, n_group, n_aa, dids)
    ext_rows += [_special_row(number, name, kind, did) for number, name, kind, did in specials]
    progress("hashing passwords and PINs")
    hashed = _secrets(rng, users, password)
    for row, (pw, pin, code, hint) in zip(ext_rows, hashed, strict=False):
        row.update(password_hash=pw, vm_pin_hash=pin, personal_code_hash=code, vm_pin_hint=hint)
    for row in ext_rows[n_user:]:
        row.update(password_hash=None, vm_pin_hash=None, personal_code_hash=None, vm_pin_hint="")

    tables: dict[str, pa.Table] = {"extension": pa.Table.from_pylist(ext_rows)}
    tables.update(_admin_tables(rng, people, seed, start, users, ext_rows, specials, trunk_lines, extensions))
    tables.update(personal(rng, people, users, ext_rows, start))
    tables.update(devices(rng, users, ext_rows, start))
    tables["voicemail_share"] = _voicemail_shares(users, ext_rows, specials)
    return Generated(tables, people, operator=users[0])


def _user_rows(
    rng: np.random.Generator, people: People, users: list[str], person: list[int], dids: tuple[str, ...], domain: str
) -> list[dict[str, Any]]:
    """Return the extension rows of the users: names, department, office, level, privileges."""
    ext_rows: list[dict[str, Any]] = []
    n_user = len(users)
    levels = rng.choice(list(AccessLevel), size=n_user, p=[0.15, 0.6, 0.25]).tolist()
    depts = rng.choice(DEPARTMENTS, size=n_user).tolist()
    locs = rng.choice(LOCATIONS, size=n_user).tolist()
    odds = rng.random((n_user, len(PRIVILEGE_ODDS)))
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
    return ext_rows


def _specials(
    n_user: int, n_fax: int, n_group: int, n_aa: int, dids: tuple[str, ...]
) -> list[tuple[str, str, ExtensionType, str]]:
    """Return the extensions that are not users: fax, ring groups, auto attendants, the bridge."""
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
    return [(n, name, kind, main_number if n == "7000" else did) for n, name, kind, did in specials]


def _special_row(number: str, name: str, kind: ExtensionType, did: str) -> dict[str, Any]:
    """Return the extension row of an extension that is not a user."""
    return {
        "number": number,
        "display_name": name,
        "ext_type": kind.value,
        "department": "",
        "location": LOCATIONS[0],
        "email": "",
        "access_level": AccessLevel.BASIC.value,
        "auth_type": AuthType.LOCAL.value,
        "privileges": [],
        "did": did,
    }


def _admin_tables(
    rng: np.random.Generator,
    people: People,
    seed: int,
    start: datetime,
    users: list[str],
    ext_rows: list[dict[str, Any]],
    specials: list[tuple[str, str, ExtensionType, str]],
    trunk_lines: int,
    extensions: int,
) -> dict[str, pa.Table]:
    """Return the organisation-wide tables: organisation, schedules, trunk, auto attendants, ..."""
    tables: dict[str, pa.Table] = {}
    tables["organisation"] = pa.Table.from_pylist(
        [
            {
                "id": 1,
                "name": people.companies[0],
                "domain": DOMAIN,
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
    return tables


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
    """Hash every user's password, voicemail PIN and personal code, in parallel.

    NOTE: secrets and salts come from the OS generator (`secrets`), never from the seed:
    anyone can rerun a seed, so seeded secrets could be recomputed. Only the shared demo
    `password` is given. The seeded draws of the old secrets are still made, only to keep
    the rest of the seeded organisation as it was.
    """
    letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    rng.bytes(16 * 3 * len(users))
    jobs: list[str] = []
    for _ in users:
        if not password:
            rng.integers(0, len(letters), 16)
        rng.integers(0, 10, 6)
        rng.integers(0, 10, 4)
        pw = password or "".join(secrets.choice(letters) for _ in range(16))
        pin = "".join(secrets.choice("0123456789") for _ in range(6))
        code = "".join(secrets.choice("0123456789") for _ in range(4))
        jobs += [pw, pin, code]
    # argon2 releases the GIL: two threads hash twice as fast on two cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        hashes = list(pool.map(hash_secret, jobs))
    return [(hashes[3 * i], hashes[3 * i + 1], hashes[3 * i + 2], VM_PIN_HINT) for i in range(len(users))]
