"""The realism report (SIM-7, SIM-8): each statistic of a database against the band it must fall in.

`realism(store)` measures a simulated (or any) database and returns one row per statistic:
what is measured, the band, the value and where the band comes from. `fvkit realism --db`
prints it; a test asserts every band on a 30-day simulated organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from fvkit.sim import behaviour as b
from fvkit.store import Store
from fvkit.store import realism as measure


@dataclass(frozen=True, slots=True)
class Statistic:
    """One measured statistic and the band it must fall in (inclusive)."""

    name: str
    low: float
    high: float
    value: float | None  # None: nothing to measure (no such calls in the database)
    source: str

    @property
    def ok(self) -> bool:
        """Return whether the value was measured and falls in its band."""
        return self.value is not None and self.low <= self.value <= self.high


def realism(store: Store) -> list[Statistic]:
    """Return every realism statistic of the store's calls, with its band and source."""
    zones = b.OFFICE_TIME_ZONES
    day = measure.answer_rate_by_local_hours(store, zones, 9, 17)
    night = measure.answer_rate_by_local_hours(store, zones, 20, 7)
    unanswered_transfers, colleagues = measure.transfer_stats(store)
    after_missed, after_answered = measure.follow_up_shares(store)
    rows = [
        Statistic(
            "users on more answered calls at once than allowed (1, or 2 with call waiting)",
            0,
            0,
            measure.over_limit_owners(store),
            "SIM-7: a person talks on one call at a time; a second only held under call waiting (PREF-6)",
        ),
        Statistic(
            "operator answer rate (main-number calls passed to the operator)",
            0.60,
            0.95,
            measure.operator_answer_rate(store),
            f"behaviour operator_answer {b.RATE['operator_answer']:.2f} x presence; issue 9: below 95%",
        ),
        Statistic(
            "answer rate of weekday calls to users, 09:00-17:00 local",
            0.55,
            0.90,
            day,
            f"behaviour answer_when_present {b.RATE['answer_when_present']:.2f} x presence by hour, less busy",
        ),
        Statistic(
            "answer rate of weekday calls to users, 20:00-07:00 local",
            0.0,
            0.40,
            night,
            f"behaviour night_presence {b.RATE['night_presence']:.2f}: almost nobody at the desk",
        ),
        Statistic(
            "day minus night answer rate (points)",
            15,
            100,
            None if day is None or night is None else round(100 * (day - night), 1),
            "issue 9: night at least 15 points below office hours",
        ),
        Statistic(
            "voicemail leave rate (callers reaching a box who leave a message)",
            0.20,
            0.45,
            measure.voicemail_leave_rate(store),
            f"{b.BIA_KELSEY}; {b.SELLCELL}: 67-80% leave none",
        ),
        Statistic(
            "Monday / Friday call volume",
            1.05,
            1.40,
            measure.weekday_volume_ratio(store, 1, 5),
            f"{b.RUBY}; {b.TURNELLA}",
        ),
        Statistic(
            "outside calls blocked in the busy hour (CONGESTION)",
            0.005,
            0.02,
            measure.busy_hour_blocking(store),
            "issue 9: the demo trunk blocks 0.5-2% in the busy hour (Erlang B, checked by --study-trunk)",
        ),
        Statistic(
            "ring-group calls taken by a member other than the first listed",
            0.20,
            0.95,
            measure.group_not_first_member(store),
            f"behaviour group_answer {b.RATE['group_answer']:.2f}; members rung from a varying start, busy skipped",
        ),
        Statistic(
            "transfers nobody took (busy, no answer, DND)",
            0.03,
            0.60,
            unanswered_transfers,
            "behaviour transfer_blind / transfer_attended; colleagues obey presence and busy state",
        ),
        Statistic(
            "distinct colleagues per user who transferred 3+ calls",
            1.5,
            10,
            colleagues,
            "behaviour: transfers go to varied colleagues of the same department",
        ),
        Statistic(
            "share of one-page faxes",
            0.25,
            0.60,
            measure.fax_one_page_share(store),
            f"behaviour fax_pages_mean {b.RATE['fax_pages_mean']}: geometric page counts",
        ),
        Statistic(
            "calls by the busiest outside number per 30 days",
            1,
            80,
            measure.busiest_outside_caller_per_30_days(store),
            "behaviour contacts_per_caller: an outside number calls a few people, no single number dominates",
        ),
        Statistic(
            "missed outside calls followed within 2 h by a redial or a call back",
            0.30,
            0.80,
            after_missed,
            "behaviour redial_after_missed + callback_after_missed (assumption)",
        ),
        Statistic(
            "answered outside calls followed within 2 h by the same number",
            0.0,
            0.15,
            after_answered,
            "relationships: a number calls its few contacts now and then, not in bursts",
        ),
        Statistic(
            "median talk time of answered incoming calls (s)",
            90,
            240,
            measure.median_talk_seconds(store, "Incoming"),
            f"{b.LIVEAGENT}: about 4 minutes on average",
        ),
        Statistic(
            "median talk time of answered internal calls (s)",
            30,
            120,
            measure.median_talk_seconds(store, "Internal"),
            "behaviour talk_internal_median_s (assumption)",
        ),
        Statistic(
            "callers who hang up in the auto attendant",
            0.02,
            0.12,
            measure.auto_attendant_abandon_rate(store),
            f"{b.UNIPHORE}: 5-8% abandonment",
        ),
    ]
    for location, hour in measure.peak_local_hours(store, dict(zones)).items():
        rows.append(
            Statistic(
                f"local hour when {location} staff's calls peak",
                9,
                16,
                hour,
                "SIM-8: each office keeps its own local hours",
            )
        )
    return rows


def as_table(rows: list[Statistic]) -> str:
    """Return the report as aligned text columns: statistic, band, value, verdict, source."""
    lines = [("statistic", "band", "measured", "", "source")]
    for r in rows:
        value = "-" if r.value is None else _fmt(r.value)
        lines.append((r.name, f"{_fmt(r.low)} - {_fmt(r.high)}", value, "ok" if r.ok else "OUT", r.source))
    widths = [max(len(line[k]) for line in lines) for k in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(widths[k]) if k < 4 else cell for k, cell in enumerate(line)).rstrip() for line in lines
    )


def _fmt(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.3f}"
