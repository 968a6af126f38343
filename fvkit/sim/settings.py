"""Read the organisation's call-handling settings from the store, as routing needs them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from fvkit.domain.handling import (
    Action,
    CallFrom,
    FollowMeNumber,
    FollowMeProfile,
    Handling,
    HandlingStatus,
    QuickMode,
    QuickStatus,
    Rule,
    Twinning,
    TwinningMode,
    TwinningStatus,
)
from fvkit.domain.numbers import digits
from fvkit.domain.org import ExtensionType, Privilege
from fvkit.sim.behaviour import OFFICE_TIME_ZONES
from fvkit.sim.routing import Party, RoutingOrg
from fvkit.store import Store
from fvkit.store.org import organisation, read_table


@dataclass(frozen=True, slots=True)
class ScheduleWindow:
    """A schedule: weekdays and a minute window in organisation time, maybe inverted."""

    name: str
    weekdays: frozenset[int]
    start_minute: int
    end_minute: int
    inverted: bool


@dataclass(slots=True)
class Settings:
    """Routing settings plus what traffic generation needs to know of each extension."""

    org: RoutingOrg
    time_zone: str
    trunk: str
    lines: int
    schedules: tuple[ScheduleWindow, ...]
    users: tuple[str, ...]  # extensions that place and take calls
    privileges: dict[str, frozenset[str]]
    departments: dict[str, str]
    fax_extensions: tuple[str, ...]
    groups: tuple[str, ...]
    auto_attendants: tuple[str, ...]
    conference: str
    #: each extension's time zone: a user keeps their office's hours, the rest the organisation's
    zone_of: dict[str, str] = field(default_factory=dict)

    def zones(self) -> tuple[str, ...]:
        """Return the organisation's zone, then every other office zone, sorted."""
        return (self.time_zone, *sorted(set(self.zone_of.values()) - {self.time_zone}))


def _micros(t: datetime | None) -> int | None:
    if t is None:
        return None
    return int((t - datetime(1970, 1, 1)).total_seconds() * 1_000_000)


def load_settings(store: Store) -> Settings:
    """Return the current settings of every extension (HD-1..8 as stored)."""
    org_row = organisation(store)
    exts = read_table(store, "extension").to_pylist()
    users = tuple(e["number"] for e in exts if e["ext_type"] == ExtensionType.USER.value)
    by_dept: dict[str, list[str]] = defaultdict(list)
    for e in exts:
        if e["ext_type"] == ExtensionType.USER.value:
            by_dept[e["department"]].append(e["number"])
    parties: dict[str, Party] = {}
    for e in exts:
        members: tuple[str, ...] = ()
        if e["ext_type"] == ExtensionType.GROUP.value:
            dept = e["display_name"].removesuffix(" group")
            members = tuple(by_dept.get(dept, [])[:5])
        parties[e["number"]] = Party(e["number"], e["display_name"], e["ext_type"], e["did"], members)

    rules: dict[str, dict[HandlingStatus | QuickStatus, list[Rule]]] = defaultdict(lambda: defaultdict(list))
    for r in read_table(store, "handling_rule").sort_by([("owner", "ascending"), ("seq", "ascending")]).to_pylist():
        status = _status(r["status"])
        rules[r["owner"]][status].append(
            Rule(
                r["schedule"],
                frozenset(CallFrom(a) for a in r["applies_to"]),
                Action(r["action"]),
                r["target"],
            )
        )
    modes: dict[str, set[HandlingStatus | QuickStatus]] = defaultdict(set)
    for m in read_table(store, "handling_mode").to_pylist():
        modes[m["owner"]].add(_status(m["status"]))
    follow: dict[str, dict[str, list[FollowMeNumber]]] = defaultdict(lambda: defaultdict(list))
    for f in read_table(store, "follow_me_number").sort_by([("owner", "ascending"), ("seq", "ascending")]).to_pylist():
        follow[f["owner"]][f["profile"]].append(FollowMeNumber(f["number"], f["ring_seconds"]))
    twin_sched: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for t in read_table(store, "twinning_schedule").sort_by([("owner", "ascending"), ("seq", "ascending")]).to_pylist():
        twin_sched[t["owner"]].append((t["schedule"], t["number"]))
    blocks: dict[str, set[str]] = defaultdict(set)
    for blk in read_table(store, "block_entry").to_pylist():
        blocks[blk["owner"]].add(digits(blk["number"]))  # callers arrive as bare digits
    privileges = {e["number"]: frozenset(e["privileges"]) for e in exts}

    handling: dict[str, Handling] = {}
    for h in read_table(store, "handling").to_pylist():
        n = h["owner"]
        quick = None
        if h["quick_status"]:
            quick = QuickMode(QuickStatus(h["quick_status"]), _micros(h["quick_expires"]))
        forwarding = Privilege.CALL_FORWARDING.value in privileges[n]
        handling[n] = Handling(
            number=n,
            display_name=parties[n].name,
            dnd=h["dnd"],
            forward_to=h["forward_to"] if forwarding else "",
            registered=h["registered"],
            call_waiting=h["call_waiting"],
            ring_seconds=h["ring_seconds"],
            rules={s: tuple(rs) for s, rs in rules[n].items() if s in modes[n]},
            follow_me={p: FollowMeProfile(p, tuple(nums)) for p, nums in follow[n].items()},
            quick_mode=quick,
            twinning=_twinning(h, twin_sched[n]) if Privilege.TWINNING.value in privileges[n] else Twinning(),
            block_list=frozenset(blocks[n]) if Privilege.BLOCK_LIST.value in privileges[n] else frozenset(),
        )
    transfer_to = {}
    for colleagues in by_dept.values():
        for i, n in enumerate(colleagues):
            if len(colleagues) > 1:
                transfer_to[n] = colleagues[(i + 1) % len(colleagues)]
    aas = {a["extension"]: a["name"] for a in read_table(store, "auto_attendant").to_pylist()}
    trunk = read_table(store, "trunk").to_pylist()[0]
    schedules = tuple(
        ScheduleWindow(s["name"], frozenset(s["weekdays"]), s["start_minute"], s["end_minute"], s["inverted"])
        for s in read_table(store, "schedule").to_pylist()
    )

    def of(kind: ExtensionType) -> tuple[str, ...]:
        return tuple(e["number"] for e in exts if e["ext_type"] == kind.value)

    zone = str(org_row["time_zone"])
    return Settings(
        org=RoutingOrg(parties, handling, str(org_row["operator"]), aas, transfer_to),
        time_zone=str(org_row["time_zone"]),
        trunk=trunk["name"],
        lines=int(trunk["lines"]),
        schedules=schedules,
        users=users,
        privileges=privileges,
        departments={e["number"]: e["department"] for e in exts},
        fax_extensions=of(ExtensionType.FAX),
        groups=of(ExtensionType.GROUP),
        auto_attendants=of(ExtensionType.AUTO_ATTENDANT),
        conference=of(ExtensionType.CONFERENCE)[0],
        # NOTE: the operator answers the main number, so keeps the organisation's hours
        zone_of={
            e["number"]: OFFICE_TIME_ZONES.get(e["location"], zone)
            if e["ext_type"] == ExtensionType.USER.value and e["number"] != org_row["operator"]
            else zone
            for e in exts
        },
    )


def _status(label: str) -> HandlingStatus | QuickStatus:
    try:
        return HandlingStatus(label)
    except ValueError:
        return QuickStatus(label)


def _twinning(h: dict[str, object], scheduled: list[tuple[str, str]]) -> Twinning:
    return Twinning(
        TwinningMode(str(h["twinning_mode"])),
        TwinningStatus(str(h["twinning_status"])),
        str(h["twinning_number"]),
        tuple(scheduled),
    )
