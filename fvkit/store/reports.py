"""The organisation reports (ANL-3/4): one SQL text per report, run here by DuckDB, by Spark in pipelines.

Each `report_sql/<name>.sql` is written in the SQL DuckDB and Spark SQL share; the few
functions spelled differently are rewritten by `DIALECTS` (a small table, applied to the
text). Period bounds enter as TIMESTAMP literals of UTC instants made from `date` objects,
never from user text. `finish` shapes the rows the same way whichever engine produced them,
so both give byte-identical CSVs.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from importlib import resources

import polars as pl
import pyarrow as pa

from fvkit.domain.reports import WEEKDAYS, Period, Report, change_pct, lines_needed, slot_start
from fvkit.store.db import Store

SQL_PACKAGE = "fvkit.store.report_sql"
#: engine -> (pattern, replacement) applied to the DuckDB-spelt text; arguments hold no parentheses
DIALECTS: dict[str, tuple[tuple[str, str], ...]] = {
    "duckdb": (),
    "spark": (
        (r"\bepoch_us\(([^()]*)\)", r"unix_micros(CAST(\1 AS TIMESTAMP))"),
        (r"\bisodow\(([^()]*)\)", r"extract(DOW_ISO FROM \1)"),
    ),
}
DATA_RANGE = "SELECT min(local_date) AS first, max(local_date) AS last FROM calls"


def sql_text(report: Report) -> str:
    """The report's one SQL definition, as written."""
    return resources.files(SQL_PACKAGE).joinpath(f"{report.file_stem}.sql").read_text(encoding="utf-8")


def _literal(instant: datetime) -> str:
    return f"TIMESTAMP '{instant:%Y-%m-%d %H:%M:%S}'"


def render(report: Report, period: Period, time_zone: str, engine: str = "duckdb") -> str:
    """The report's SQL for a period, in an engine's dialect."""
    first, end = period.utc_bounds(time_zone)
    compare_first, compare_end = period.before().utc_bounds(time_zone)
    sql = sql_text(report).format(
        first=_literal(first),
        end=_literal(end),
        compare_first=_literal(compare_first),
        compare_end=_literal(compare_end),
    )
    for pattern, replacement in DIALECTS[engine]:
        sql = re.sub(pattern, replacement, sql)
    return sql


def resolve_period(first: date | None, last: date | None, data_range: tuple[date | None, date | None]) -> Period:
    """Fill an open end of the period from the calls' local dates (today's data when there are none)."""
    lo, hi = data_range
    start = first or lo or last or hi
    stop = last or hi or start
    if start is None or stop is None:
        raise ValueError("there are no calls to report on; give --from and --to")
    return Period(start, stop)


def time_zone(store: Store) -> str:
    """The organisation's time zone (its days bound the reports)."""
    rows = store.execute("SELECT time_zone FROM organisation_info").fetchall()
    if not rows:
        raise ValueError("the database holds no organisation")
    return str(rows[0][0])


def run(store: Store, report: Report, first: date | None = None, last: date | None = None) -> pl.DataFrame:
    """Run a report on the store with DuckDB and return its finished rows."""
    zone = time_zone(store)
    lo, hi = store.execute(DATA_RANGE).fetchall()[0]
    period = resolve_period(first, last, (lo, hi))
    return finish(report, store.arrow(render(report, period, zone)), period)


def _normalise(raw: pa.Table) -> pl.DataFrame:
    """One set of types for both engines: whole numbers Int64, others Float64, times naive."""
    frame = pl.from_arrow(raw)
    assert isinstance(frame, pl.DataFrame)
    casts = []
    for name, dtype in frame.schema.items():
        if dtype.is_integer() or (isinstance(dtype, pl.Decimal) and (dtype.scale or 0) == 0):
            casts.append(pl.col(name).cast(pl.Int64))
        elif dtype.is_float() or isinstance(dtype, pl.Decimal):
            casts.append(pl.col(name).cast(pl.Float64))
        elif isinstance(dtype, pl.Datetime):
            casts.append(pl.col(name).dt.replace_time_zone(None).dt.cast_time_unit("us"))
        elif dtype == pl.Null:
            casts.append(pl.col(name).cast(pl.Float64))
    return frame.with_columns(casts) if casts else frame


def finish(report: Report, raw: pa.Table, period: Period) -> pl.DataFrame:
    """Shape a report's rows: averages to 0.1, derived columns, every hour and weekday listed."""
    frame = _normalise(raw)
    floats = [n for n, t in frame.schema.items() if t == pl.Float64]
    frame = frame.with_columns(pl.col(n).round(1) for n in floats)
    if report is Report.HOURLY:
        return _hourly(frame)
    if report is Report.CONCURRENCY:
        return _concurrency(frame)
    return frame


def _hourly(frame: pl.DataFrame) -> pl.DataFrame:
    keys = pl.DataFrame(
        {
            "dimension": ["hour"] * 24 + ["weekday"] * 7,
            "key": [*range(24), *range(1, 8)],
            "label": [f"{h:02d}:00" for h in range(24)] + list(WEEKDAYS),
        },
        schema={"dimension": pl.String, "key": pl.Int64, "label": pl.String},
    )
    counts = [c for c in frame.columns if c not in ("dimension", "key")]
    full = keys.join(frame, on=["dimension", "key"], how="left").with_columns(pl.col(counts).fill_null(0))
    change = [change_pct(n, b) for n, b in zip(full["calls"].to_list(), full["compare_calls"].to_list(), strict=True)]
    return full.with_columns(pl.Series("change_pct", change, dtype=pl.Float64))


def _concurrency(frame: pl.DataFrame) -> pl.DataFrame:
    starts = [slot_start(s) for s in frame["slot"].to_list()]
    needed = [lines_needed(s) for s in frame["trunk_seconds"].to_list()]
    lines = frame["trunk_lines"]
    return frame.select(
        pl.Series("interval_start", starts, dtype=pl.Datetime("us")),
        "calls_started",
        "peak_calls",
        "trunk_calls_started",
        "peak_trunk_calls",
        "trunk_lines",
        (pl.col("peak_trunk_calls") * 100 / lines).round(1).alias("trunk_use_pct"),
        (pl.col("trunk_seconds") / 3600).round(2).alias("trunk_erlangs"),
        pl.Series("lines_for_1pct_blocking", needed, dtype=pl.Int64),
    )


#: NB-2's busy hour: per local hour of the day, the traffic of outside calls (those that took a
#: trunk line) on weekdays, in erlangs = call-hours started in that hour / weekdays in the data
BUSY_HOUR_SQL = """
WITH weekdays AS (SELECT count(DISTINCT local_date) AS days FROM calls WHERE isodow(local_date) <= 5),
outside AS (
    SELECT hour(start_local) AS hour, duration FROM calls
    WHERE trunk <> '' AND disposition <> 'Failed' AND isodow(local_date) <= 5
)
SELECT hour, count(*) AS calls, sum(duration) / 3600 / (SELECT days FROM weekdays) AS erlangs
FROM outside GROUP BY hour ORDER BY hour
"""


def busy_hour(store: Store) -> tuple[int, int, float]:
    """The weekday busy hour of outside calls: (local hour, calls started in it, erlangs), by BUSY_HOUR_SQL."""
    rows = store.execute(BUSY_HOUR_SQL).fetchall()
    if not rows:
        raise ValueError("no outside calls on a weekday: no busy hour to measure")
    hour, calls, erlangs = max(rows, key=lambda r: (r[2], -r[0]))
    return int(hour), int(calls), float(erlangs)
