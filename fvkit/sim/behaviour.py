"""Behaviour of the simulated people (SIM-8): every rate in one cited table.

Each `Parameter` names the value the simulator uses, where the figure comes from, the
published figure itself, and what the simulator does with it. Where no published figure
exists the source says "assumption" and the row states it. The engine reads the values
through `RATE`; the realism report (`fvkit.sim.realism`) prints the bands they produce.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Parameter:
    """One behavioural rate: its value, its source and what the simulator does with it."""

    name: str
    value: float
    source: str
    published: str
    use: str


BIA_KELSEY = "BIA/Kelsey via captureclientai.net/blog/why-67-percent-callers-never-leave-voicemail"
SELLCELL = "SellCell 2026 via answeringservicecare.com/blog/callers-leave-no-voicemail"
RUBY = "ruby.com/blog/what-are-the-busiest-workdays-of-the-year"
TURNELLA = "turnella.com/contact-centre-volume-patterns"
UOOMTEL = "uoomtel.com/blog/peak-times-in-call-center-traffic"
LIVEAGENT = "liveagent.com/customer-support-glossary/call-time"
UNIPHORE = "uniphore.com/glossary/abandonment-rate"
KNOX = "knoxcalls.com/blog/why-65-percent-of-callers-wont-leave-voicemail.html"
ASSUMPTION = "assumption"

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "answer_when_present",
        0.85,
        ASSUMPTION,
        "none found; a person at the desk and free picks up most calls",
        "chance a free, present user answers a ringing phone",
    ),
    Parameter(
        "operator_answer",
        0.90,
        ASSUMPTION,
        "receptionist answers most, not all (issue 9: today's 99% is implausible)",
        "chance the operator, present and free, answers a main-number call",
    ),
    Parameter(
        "group_answer",
        0.92,
        ASSUMPTION,
        "a ring group rings several phones, so it is answered more often than one phone",
        "chance a free, present member of a ring group picks up",
    ),
    Parameter(
        "leave_message",
        0.30,
        f"{BIA_KELSEY}; {SELLCELL}; {KNOX}",
        "67% (BIA/Kelsey), 80% (Forbes/RingCentral, SellCell) of callers reaching voicemail leave none; "
        "leave rate 20-40% by urgency (Knox)",
        "chance a caller who reaches voicemail leaves a message",
    ),
    Parameter(
        "aa_abandon",
        0.06,
        UNIPHORE,
        "call-centre abandonment 5-8% is the industry standard",
        "chance a caller hangs up in the auto attendant menu before the operator is rung",
    ),
    Parameter(
        "remote_answer",
        0.78,
        ASSUMPTION,
        "outside numbers answer about as often as our own users in office hours",
        "chance an outside number answers an outgoing call",
    ),
    Parameter(
        "talk_external_median_s",
        150.0,
        LIVEAGENT,
        "global average call duration about 4 minutes",
        "median talk time of external calls; log-normal sigma 1.0 gives a mean of about 4.1 minutes",
    ),
    Parameter(
        "talk_internal_median_s",
        60.0,
        ASSUMPTION,
        "internal calls are short questions between colleagues",
        "median talk time of internal calls; log-normal sigma 0.9 (mean about 1.5 minutes)",
    ),
    Parameter(
        "monday_volume",
        1.15,
        f"{RUBY}; {TURNELLA}",
        "Monday and Tuesday busiest, Friday least busy (Ruby); Monday index 1.2-1.4, Friday 1.0-1.2 (Turnella)",
        "Monday's call volume relative to Wednesday",
    ),
    Parameter(
        "friday_volume",
        0.92,
        RUBY,
        "Friday is the least busy weekday",
        "Friday's call volume relative to Wednesday",
    ),
    Parameter(
        "weekend_volume",
        0.08,
        ASSUMPTION,
        "offices are closed at weekends; a trickle of calls remains",
        "weekend day volume relative to a weekday",
    ),
    Parameter(
        "lunch_presence",
        0.60,
        UOOMTEL,
        "lunchtime lull 12:00-13:00",
        "share of staff at their desk 12:00-13:00 local",
    ),
    Parameter(
        "night_presence",
        0.04,
        ASSUMPTION,
        "almost nobody is at the desk 20:00-07:00 local",
        "share of staff at their desk at night and at weekends",
    ),
    Parameter(
        "contacts_per_caller",
        3.0,
        ASSUMPTION,
        "an outside number deals with a few people in the company",
        "an outside number calls 1-3 fixed extensions of one office",
    ),
    Parameter(
        "redial_after_missed",
        0.35,
        ASSUMPTION,
        "callers who are not answered often try again soon (85% never call back per Aircall, "
        "so most retries come quickly or never)",
        "chance a missed outside caller calls again, after a delay of mean 15 minutes",
    ),
    Parameter(
        "callback_after_missed",
        0.30,
        ASSUMPTION,
        "people return missed calls",
        "chance a user calls a missed outside caller back, after a delay of mean 45 minutes",
    ),
    Parameter(
        "transfer_blind",
        0.03,
        ASSUMPTION,
        "a few answered calls are passed on",
        "share of answered calls blind-transferred to a colleague of the same department",
    ),
    Parameter(
        "transfer_attended",
        0.02,
        ASSUMPTION,
        "a few answered calls are passed on after a consultation",
        "share of answered calls transferred after consulting a colleague",
    ),
    Parameter(
        "fax_pages_mean",
        2.5,
        ASSUMPTION,
        "most faxes are one or two pages, a few are long (geometric)",
        "mean pages of a fax, geometric, capped at 15",
    ),
)

#: How generated users set up their phones (ORG-1, HD-1..8 as data): drawn once per user.
SETTINGS: tuple[Parameter, ...] = tuple(
    Parameter(name, value, ASSUMPTION, published, use)
    for name, value, published, use in (
        (
            "block_list_used",
            0.25,
            "a minority keep a personal block list",
            "users with the privilege who block numbers",
        ),
        ("twinning_on", 0.35, "mobile twinning is an opt-in", "users with the privilege who twin a mobile"),
        ("out_of_office", 0.05, "about one in twenty is away on a given day", "users in Out of office quick mode"),
        ("away", 0.02, "a few step away", "users in Away quick mode"),
        ("dnd_on", 0.05, "DND is left on by a few", "users with Do not disturb on"),
        ("forward_on", 0.06, "call forward to a mobile is occasional", "users with the privilege who forward"),
        ("call_waiting_on", 0.70, "call waiting is on by default on most phones", "users with call waiting on"),
        ("phone_connected", 0.96, "a few desk phones are unplugged", "users whose phone is registered"),
        ("guide_p27_rules", 0.08, "guide p.27 example process", "users with announcement then auto attendant"),
        ("follow_me_on_no_answer", 0.12, "follow me on no answer", "users with the privilege who use follow me"),
        ("after_hours_forward", 0.05, "after-hours forward to a mobile", "users with the privilege who do so"),
        ("blocked_announcement", 0.10, "blocked callers hear a message", "users who play one to blocked callers"),
        ("missed_call_email", 0.30, "missed-call emails are opt-in", "users who get missed-call emails"),
        ("vm_operator", 0.20, "voicemail 0-out to the operator", "users whose voicemail offers the operator"),
    )
)

RATE: dict[str, float] = {p.name: p.value for p in (*PARAMETERS, *SETTINGS)}

#: Where each office is: its staff keep this zone's hours (SIM-8 local office hours).
OFFICE_TIME_ZONES: dict[str, str] = {
    "Ottawa": "America/Toronto",
    "Toronto": "America/Toronto",
    "Sunnyvale": "America/Los_Angeles",
    "Burnaby": "America/Vancouver",
}

#: Relative call intensity by local hour on a weekday: arrival ramp, lunch dip, leaving.
WEEKDAY_PROFILE = (
    *(0.02, 0.01, 0.01, 0.01, 0.02, 0.05, 0.12),  # 00-06
    *(0.35, 0.75, 1.0, 1.0, 0.9),  # 07-11
    0.6,  # 12 lunch
    *(0.85, 1.0, 0.95, 0.8, 0.45),  # 13-17
    *(0.2, 0.1, 0.07, 0.05, 0.04, 0.03),  # 18-23
)
#: Share of staff at their desk by local hour on a weekday (UOOMTEL's day shape).
PRESENCE_BY_HOUR = (
    *(RATE["night_presence"],) * 7,  # 00-06
    0.35,  # 07 arriving
    0.80,  # 08
    *(0.95, 0.95, 0.95),  # 09-11
    RATE["lunch_presence"],  # 12
    *(0.90, 0.95, 0.95, 0.90),  # 13-16
    0.50,  # 17 leaving
    0.20,  # 18
    0.08,  # 19
    *(RATE["night_presence"],) * 4,  # 20-23
)
#: Volume by local weekday (0 = Monday), relative to Wednesday.
WEEKDAY_VOLUME = (
    RATE["monday_volume"],
    1.04,
    1.0,
    0.98,
    RATE["friday_volume"],
    RATE["weekend_volume"],
    RATE["weekend_volume"],
)


def presence(weekday: np.ndarray, local_hour: np.ndarray) -> np.ndarray:
    """Return the share of staff at their desk at local weekdays and hours."""
    by_hour = np.asarray(PRESENCE_BY_HOUR)[local_hour]
    result: np.ndarray = np.where(weekday >= 5, RATE["night_presence"], by_hour)
    return result


def table_rows() -> list[dict[str, object]]:
    """Return the parameter table as rows, for notebooks and the realism report."""
    return [
        {"name": p.name, "value": p.value, "source": p.source, "published": p.published, "use": p.use}
        for p in (*PARAMETERS, *SETTINGS)
    ]
