"""Simulate an organisation and its traffic into a store (SIM-1..4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa

from fvkit.sim import org as org_gen
from fvkit.sim.compiled import PathTable
from fvkit.sim.engine import LineState, hours_for, route_batch, targets
from fvkit.sim.expand import expand
from fvkit.sim.people import build_people
from fvkit.sim.settings import load_settings
from fvkit.sim.traffic import Mix, arrivals, draw, to_micros
from fvkit.store import Store
from fvkit.store.org import get_state, has_organisation, organisation, save_organisation

CALL_TABLES = ("cdr", "flow_event", "voicemail", "recording", "fax")


@dataclass(frozen=True, slots=True)
class Summary:
    """What a simulation run added."""

    calls: int
    flow_events: int
    voicemails: int
    recordings: int
    faxes: int
    organisation_created: bool


@dataclass(frozen=True, slots=True)
class Options:
    """How much traffic, and how it behaves."""

    days: float = 30.0
    calls_per_user_day: float = 8.0
    flat: bool = False  # constant arrival rate round the clock (Erlang B checks)
    chunk_days: float = 7.0
    mix: Mix = field(default_factory=Mix)


def simulate(
    store: Store,
    start: datetime,
    *,
    seed: int = 1,
    extensions: int = 200,
    trunk_lines: int = 23,
    password: str | None = None,
    options: Options | None = None,
    progress: Callable[[str, float], None] = lambda _msg, _frac: None,
) -> Summary:
    """Build the organisation if the store has none, then add `options.days` of traffic from `start`.

    `start` is naive UTC. Same seed and start give identical tables.
    """
    opts = options or Options()
    created = False
    if not has_organisation(store):
        progress("generating the organisation", 0.0)
        generated = org_gen.generate(seed, extensions, trunk_lines, start, password, lambda m: progress(m, 0.0))
        save_organisation(store, generated.tables)
        created = True
    org_seed = int(organisation(store)["seed"])  # type: ignore[call-overload]
    settings = load_settings(store)
    tg = targets(settings)
    people = build_people(org_seed)
    pool = people.numbers[:4000]
    pool_names = np.asarray([people.name(i) if i % 10 < 7 else "" for i in range(len(pool))], dtype=object)
    names = {p.number: p.name for p in settings.org.parties.values()}
    rng = np.random.default_rng([seed, to_micros(start) // 1_000_000])
    table, memo = PathTable(), {}  # type: ignore[var-annotated]
    state = LineState([], [0] * len(tg.numbers))
    totals = dict.fromkeys(CALL_TABLES, 0)
    calls_per_day = opts.calls_per_user_day * len(settings.users)
    done = 0.0
    while done < opts.days - 1e-9:
        span = min(opts.chunk_days, opts.days - done)
        chunk_start = start + timedelta(days=done)
        times = arrivals(rng, chunk_start, span, settings.time_zone, calls_per_day, opts.flat)
        progress(f"routing {len(times):,} calls from {chunk_start:%Y-%m-%d}", done / opts.days)
        if len(times):
            d = draw(rng, len(times), len(settings.users), len(pool), opts.mix)
            hours = hours_for(settings, int(times[0]), span + 1)
            routed = route_batch(settings, tg, table, memo, state, times, d, opts.mix, rng, pool, hours)
            first_seq = get_state(store, "next_seq", 1)
            first_media = get_state(store, "last_media_id", 0)
            rows = expand(routed, table, settings, tg, names, pool_names, first_seq, first_media, seed)
            last_media = int(rows.pop("_next_media_id").column("id")[0].as_py())
            _write(
                store,
                rows,
                first_seq + len(times),
                last_media,
                to_micros(chunk_start + timedelta(days=span)),
            )
            for name in CALL_TABLES:
                totals[name] += rows[name].num_rows if name in rows else 0
            totals["cdr_calls"] = totals.get("cdr_calls", 0) + len(times)
        done += span
    progress("done", 1.0)
    return Summary(
        calls=totals.get("cdr_calls", 0),
        flow_events=totals["flow_event"],
        voicemails=totals["voicemail"],
        recordings=totals["recording"],
        faxes=totals["fax"],
        organisation_created=created,
    )


def _write(store: Store, rows: dict[str, pa.Table], next_seq: int, last_media: int, until_us: int) -> None:
    """Write one batch and the simulator's counters together."""
    with store.transaction() as cur:
        for name in CALL_TABLES:
            if name in rows and rows[name].num_rows:
                store.append(name, rows[name], cur)
        for key, value in (
            ("next_seq", next_seq),
            ("last_media_id", last_media),
            ("simulated_until", until_us),
        ):
            cur.execute(
                "INSERT INTO sim_state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
