"""Asterisk Master.csv: export the organisation's calls in cdr_csv's format, and import such files.

The format is what Asterisk's cdr_csv module writes (asterisk/asterisk, cdr/cdr_csv.c:
`build_csv_record`, `append_string`, `append_int`, `append_date`):

- no header row; one line per call, ended by `\\n`;
- columns accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata,
  start, answer, end, duration, billsec, disposition, amaflags, then uniqueid and userfield
  when cdr.conf's `loguniqueid` / `loguserfield` are on (16, 17 or 18 columns);
- every string is written in double quotes with each `"` inside doubled (`append_string`);
  duration and billsec are bare integers (`append_int`);
- times are `%Y-%m-%d %T` in the server's local time zone (`append_date` calls
  `ast_localtime`; `usegmtime=yes` writes UTC instead), cut to whole seconds, and a time
  that is not set - the answer of an unanswered call - is an empty field with no quotes
  at all (`append_date` writes just the comma);
- clid is `"<name>" <<number>>` (main/cdr.c merges it with `ast_callerid_merge`, which
  puts the name in quotes even when it is empty: `"" <7101>`).

fvkit's dispositions fold onto Asterisk's five with `TO_ASTERISK`; a call that failed for
want of a free trunk line (its flow says `status: CONGESTION`) is written CONGESTION, and a
call with an answer time is never FAILED (`Other`, answered by an auto attendant or an
announcement, is ANSWERED). docs/SCHEMA.md lists what a round trip through the file loses.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl
import pyarrow as pa

from fvkit.domain.calls import TO_ASTERISK, AmaFlags, AsteriskDisposition, CallType, Direction, Disposition
from fvkit.store import Store
from fvkit.store.cdr_exchange import extension_directory, insert_calls, primary_calls
from fvkit.store.org import organisation

#: Master.csv's columns in cdr_csv's order; the last two are optional (cdr.conf)
COLUMNS = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "uniqueid",
    "userfield",
)
#: column counts cdr_csv writes: without, with uniqueid, with uniqueid and userfield
COLUMN_COUNTS = (16, 17, 18)
#: cdr_csv's DATE_FORMAT "%Y-%m-%d %T"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
#: a file with more bad rows than this share is not taken for a Master.csv at all
MAX_BAD_SHARE = 0.10
#: dcontext of calls placed by the organisation's own phones (fvkit/sim/expand.py)
INTERNAL_CONTEXT = "from-internal"
#: Asterisk applications that carry a fax rather than a voice call
FAX_APPS = ("receivefax", "sendfax")
#: the one flow line an imported call gets (it has no FortiVoice call flow)
FLOW_LINE = "imported from Asterisk Master.csv: lastapp:{}({})"

FROM_ASTERISK: dict[AsteriskDisposition, Disposition] = {
    AsteriskDisposition.ANSWERED: Disposition.ANSWERED,
    AsteriskDisposition.NO_ANSWER: Disposition.NO_ANSWER,
    AsteriskDisposition.BUSY: Disposition.BUSY,
    AsteriskDisposition.FAILED: Disposition.FAILED,
    AsteriskDisposition.CONGESTION: Disposition.FAILED,
}
#: AMA flag names of Asterisk before 1.8 (cdr_csv.c's comment: "DOCUMENTATION, BILL, IGNORE")
LEGACY_AMAFLAGS = {"BILL": AmaFlags.BILLING.value, "IGNORE": AmaFlags.OMIT.value}


#: dispositions that fold onto FAILED, which an answered call must not be written as
_NEVER_FAILED_WHEN_ANSWERED = [d.value for d, a in TO_ASTERISK.items() if a is AsteriskDisposition.FAILED]
#: the reason a row gets when neither party is an extension of the importing organisation
_STRANGER = "is an extension of this organisation"


class NotMasterCsv(ValueError):
    """The file is not an Asterisk Master.csv (too many bad rows); nothing was imported."""


@dataclass(frozen=True, slots=True)
class BadRow:
    """A line of the file that could not be read as a call record."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    imported: int
    skipped: int  # uniqueid already in the store (or earlier in the same file)
    bad: tuple[BadRow, ...]

    def summary(self) -> str:
        """Return the one-line report the CLI prints."""
        return f"{self.imported} calls imported, {self.skipped} skipped (already present), {len(self.bad)} bad rows"


# --- export -------------------------------------------------------------------------


def _quoted(expr: pl.Expr) -> pl.Expr:
    """cdr_csv's append_string: the value in double quotes, each quote inside doubled."""
    return pl.lit('"') + expr.str.replace_all('"', '""', literal=True) + pl.lit('"')


def _time(name: str, zone: str) -> pl.Expr:
    """cdr_csv's append_date: local `%Y-%m-%d %T` in quotes, or an empty field when unset."""
    local = pl.col(name).dt.replace_time_zone("UTC").dt.convert_time_zone(zone).dt.strftime(DATE_FORMAT)
    return pl.when(pl.col(name).is_null()).then(pl.lit("")).otherwise(_quoted(local))


def _lines(batch: pa.RecordBatch, zone: str) -> str:
    """Return a batch of calls as Master.csv lines, each ended by a newline."""
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    disposition = (
        pl.when(pl.col("congestion"))
        .then(pl.lit(AsteriskDisposition.CONGESTION.value))
        .when(pl.col("answer_time").is_not_null() & pl.col("disposition").is_in(_NEVER_FAILED_WHEN_ANSWERED))
        .then(pl.lit(AsteriskDisposition.ANSWERED.value))
        .otherwise(
            pl.col("disposition").replace_strict(
                {d.value: a.value for d, a in TO_ASTERISK.items()}, return_dtype=pl.String
            )
        )
    )
    clid = pl.lit('"') + pl.col("from_name") + pl.lit('" <') + pl.col("src") + pl.lit(">")
    fields = [
        _quoted(pl.col("account_code")),
        _quoted(pl.col("src")),
        _quoted(pl.col("dst")),
        _quoted(pl.col("dcontext")),
        _quoted(clid),
        _quoted(pl.col("channel")),
        _quoted(pl.col("dstchannel")),
        _quoted(pl.col("lastapp")),
        _quoted(pl.col("lastdata")),
        _time("start_time", zone),
        _time("answer_time", zone),
        _time("end_time", zone),
        pl.col("duration").cast(pl.String),
        pl.col("billsec").cast(pl.String),
        _quoted(disposition),
        _quoted(pl.col("amaflags")),
        _quoted(pl.col("uniqueid")),
        _quoted(pl.col("userfield")),
    ]
    lines = frame.select(pl.concat_str(fields, separator=",").alias("line")).to_series()
    return "".join(line + "\n" for line in lines.to_list())


def export_master_csv(store: Store, out: Path | BinaryIO, *, utc: bool = False) -> int:
    """Write every call as Asterisk's Master.csv (18 columns, cdr_csv's quoting); return how many.

    Calls come in start order. Times are written in the organisation's time zone, as
    Asterisk writes its server's local time - so an hour that repeats when daylight saving
    time ends is ambiguous, as it is in Asterisk's own files; `utc=True` writes UTC instead,
    like cdr.conf's `usegmtime=yes`.
    """
    zone = "UTC" if utc else str(organisation(store)["time_zone"])
    if isinstance(out, Path):
        with out.open("wb") as sink:
            return _write(store, sink, zone)
    return _write(store, out, zone)


def _write(store: Store, sink: BinaryIO, zone: str) -> int:
    written = 0
    for batch in primary_calls(store):
        sink.write(_lines(batch, zone).encode("utf-8"))
        written += batch.num_rows
    return written


# --- import -------------------------------------------------------------------------


def _records(text: str) -> tuple[list[tuple[int, list[str]]], list[BadRow]]:
    """Split a file into (first line number, fields) records and rows of the wrong width."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    bad: list[BadRow] = []
    while True:
        first = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad.append(BadRow(first, f"not CSV: {exc}"))
            continue
        if not row or row == [""]:
            continue  # a blank line
        if len(row) not in COLUMN_COUNTS:
            bad.append(BadRow(first, f"expected 16, 17 or 18 columns, found {len(row)}"))
            continue
        records.append((first, row))
    return records, bad


def _frame(records: list[tuple[int, list[str]]]) -> pl.DataFrame:
    """The records as a string frame with all 18 columns (uniqueid null when the row has none)."""
    width = len(COLUMNS)
    padded = [row + [""] * (width - len(row)) for _, row in records]
    columns = list(zip(*padded, strict=True)) if padded else [()] * width
    table = pa.table(
        {
            "line": pa.array([line for line, _ in records], pa.int64()),
            **{name: pa.array(col, pa.string()) for name, col in zip(COLUMNS, columns, strict=True)},
        }
    )
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(uniqueid=pl.when(pl.col("uniqueid") != "").then(pl.col("uniqueid")))


def _parse_time(name: str, zone: str) -> pl.Expr:
    """A local Master.csv time as naive UTC; null when it is not one (or falls in a DST gap)."""
    return (
        pl.col(name)
        .str.strptime(pl.Datetime("us"), DATE_FORMAT, strict=False)
        .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None)
    )


def _seconds(name: str) -> pl.Expr:
    return pl.col(name).str.to_integer(strict=False)


def _resource(expr: pl.Expr) -> pl.Expr:
    """`PJSIP/fve126-00000001` -> `fve126`: a channel's peer without technology and sequence."""
    return expr.str.replace(r"^[^/]*/", "").str.replace(r"-[0-9a-fA-F]+$", "")


def _validated(frame: pl.DataFrame, zone: str, directory: pl.DataFrame) -> pl.DataFrame:
    """Parse times and seconds, and say per row what (if anything) is wrong with it."""
    numbers = directory.get_column("number")
    dids = directory.filter(pl.col("did") != "").get_column("did")
    parsed = frame.with_columns(
        start_time=_parse_time("start", zone),
        answer_time=_parse_time("answer", zone),
        end_time=_parse_time("end", zone),
        duration_s=_seconds("duration"),
        billsec_s=_seconds("billsec"),
    )
    time_hint = f"is not a YYYY-MM-DD HH:MM:SS time in {zone}"
    known = [d.value for d in AsteriskDisposition]
    reason = (
        pl.when(pl.col("start_time").is_null())
        .then(pl.format(f'start "{{}}" {time_hint}', "start"))
        .when((pl.col("answer") != "") & pl.col("answer_time").is_null())
        .then(pl.format(f'answer "{{}}" {time_hint}', "answer"))
        .when(pl.col("end_time").is_null())
        .then(pl.format(f'end "{{}}" {time_hint}', "end"))
        .when(pl.col("duration_s").is_null() | (pl.col("duration_s") < 0))
        .then(pl.format('duration "{}" is not a whole number of seconds', "duration"))
        .when(pl.col("billsec_s").is_null() | (pl.col("billsec_s") < 0))
        .then(pl.format('billsec "{}" is not a whole number of seconds', "billsec"))
        .when(~pl.col("disposition").is_in(known))
        .then(pl.format('unknown disposition "{}" (Asterisk writes {})', "disposition", pl.lit(", ".join(known))))
        .when(~pl.col("src").is_in(numbers.implode()) & ~pl.col("dst").is_in(pl.concat([numbers, dids]).implode()))
        .then(pl.format("neither src {} nor dst {} is an extension of this organisation", "src", "dst"))
    )
    return parsed.with_columns(reason=reason)


def _uniqueid(start: int, fields: tuple[str, ...]) -> str:
    """An Asterisk-shaped uniqueid for a row without one: `<start epoch>.<digest of the row>`.

    Deterministic, so importing the same file twice skips its calls the second time.
    """
    digest = hashlib.blake2b("\x1f".join(fields).encode("utf-8"), digest_size=4).digest()
    return f"{start}.{int.from_bytes(digest, 'big')}"


def _calls(good: pl.DataFrame, directory: pl.DataFrame) -> pl.DataFrame:
    """Map validated Master.csv rows onto the store's call columns."""
    if good.get_column("uniqueid").null_count():
        keys = list(COLUMNS[: COLUMN_COUNTS[0]])
        epoch = good.get_column("start_time").dt.epoch("s").to_list()
        rows = good.select(keys).rows()
        generated = [_uniqueid(e, r) for e, r in zip(epoch, rows, strict=True)]
        good = good.with_columns(pl.col("uniqueid").fill_null(pl.Series(generated, dtype=pl.String)))
    by_number = directory.select(
        dst="number", callee_name="display_name", callee_department="department", callee_did="did"
    )
    by_did = directory.filter(pl.col("did") != "").group_by("did").agg(pl.all().sort_by("number").first())
    by_did = by_did.select(dst="did", did_name="display_name", did_department="department")
    callers = directory.select(src="number", caller_department="department")
    frame = (
        good.join(by_number, on="dst", how="left")
        .join(by_did, on="dst", how="left")
        .join(callers, on="src", how="left")
    )
    dst_is_ext = pl.col("callee_name").is_not_null()
    internal = pl.col("dcontext") == INTERNAL_CONTEXT
    direction = (
        pl.when(internal & dst_is_ext)
        .then(pl.lit(Direction.INTERNAL.value))
        .when(internal)
        .then(pl.lit(Direction.OUTGOING.value))
        .otherwise(pl.lit(Direction.INCOMING.value))
    )
    clid_name = (
        pl.col("clid")
        .str.extract(r'^\s*"(.*)"\s*<[^>]*>\s*$', 1)
        .fill_null(pl.col("clid").str.extract(r"^\s*(.*?)\s*<[^>]*>\s*$", 1))
        .fill_null(pl.when(pl.col("clid") == pl.col("src")).then(pl.lit("")).otherwise(pl.col("clid")))
    )
    failed = pl.col("disposition").is_in([AsteriskDisposition.FAILED.value, AsteriskDisposition.CONGESTION.value])
    lastapp = pl.col("lastapp").str.to_lowercase()
    return frame.with_columns(direction=direction).select(
        "uniqueid",
        linkedid=pl.col("uniqueid"),
        start_time="start_time",
        answer_time="answer_time",
        end_time="end_time",
        duration=pl.col("duration_s").cast(pl.Int32),
        billsec=pl.col("billsec_s").cast(pl.Int32),
        src="src",
        dst="dst",
        from_name=clid_name,
        to_name=pl.coalesce("callee_name", "did_name", pl.lit("")),
        direction="direction",
        disposition=pl.col("disposition").replace_strict(
            {a.value: d.value for a, d in FROM_ASTERISK.items()}, return_dtype=pl.String
        ),
        call_type=pl.when(lastapp.is_in(FAX_APPS))
        .then(pl.lit(CallType.FAX.value))
        .otherwise(pl.lit(CallType.VOICE.value)),
        trunk=pl.when(pl.col("direction") == Direction.INTERNAL.value)
        .then(pl.lit(""))
        .when(pl.col("direction") == Direction.OUTGOING.value)
        .then(
            pl.when(pl.col("dstchannel") != "")
            .then(_resource(pl.col("dstchannel")))
            .otherwise(pl.col("lastdata").str.extract(r"@([^,]+)", 1).fill_null(""))
        )
        .otherwise(_resource(pl.col("channel"))),
        dnis=pl.when((pl.col("direction") == Direction.INCOMING.value) & dst_is_ext)
        .then(pl.col("callee_did"))
        .otherwise(pl.col("dst")),
        destination=pl.when(pl.col("direction") == Direction.OUTGOING.value)
        .then(pl.col("dst"))
        .when(failed)
        .then(pl.lit(""))
        .when(lastapp == "voicemail")
        .then(pl.col("lastdata").str.split(",").list.first())
        .when(pl.col("dstchannel") != "")
        .then(_resource(pl.col("dstchannel")))
        .otherwise(pl.col("dst")),
        department=pl.when(pl.col("caller_department").is_not_null())
        .then(pl.col("caller_department"))
        .otherwise(pl.coalesce("callee_department", "did_department", pl.lit(""))),
        account_code="accountcode",
        dcontext="dcontext",
        channel="channel",
        dstchannel="dstchannel",
        lastapp="lastapp",
        lastdata="lastdata",
        amaflags=pl.col("amaflags").replace(LEGACY_AMAFLAGS),
        userfield="userfield",
        flow_description=pl.format(FLOW_LINE, "lastapp", "lastdata"),
    )


def _decode(data: bytes | Path) -> str:
    raw = data.read_bytes() if isinstance(data, Path) else data
    # NOTE: Asterisk writes whatever bytes the caller ID carried; a stray one must not lose the row.
    return raw.decode("utf-8-sig", errors="replace")


def import_master_csv(store: Store, data: bytes | Path, *, utc: bool = False) -> ImportResult:
    """Import an Asterisk Master.csv: new calls in one transaction, calls already held skipped.

    Rows may have 16, 17 or 18 columns (uniqueid and userfield are optional in cdr_csv). A
    row without a uniqueid gets one derived from its content. Times are read as the
    organisation's local time (`utc=True`: as UTC, cdr.conf's `usegmtime`); a time in the
    hour that repeats when daylight saving time ends is taken as the first. Rows that are
    not call records are listed in the result by line; if no row is good, or more than 10%
    are bad, the file is not taken for a Master.csv: NotMasterCsv, and nothing is written.
    """
    zone = "UTC" if utc else str(organisation(store)["time_zone"])
    records, bad = _records(_decode(data))
    directory = pl.from_arrow(extension_directory(store))
    assert isinstance(directory, pl.DataFrame)
    checked = _validated(_frame(records), zone, directory)
    bad += [
        BadRow(line, reason)
        for line, reason in checked.filter(pl.col("reason").is_not_null()).select("line", "reason").rows()
    ]
    bad.sort(key=lambda b: b.line)
    good = checked.filter(pl.col("reason").is_null())
    total = good.height + len(bad)
    if good.height == 0 or len(bad) > MAX_BAD_SHARE * total:
        raise NotMasterCsv(_refusal(good.height, bad))
    calls = _calls(good, directory)
    unique = calls.unique(subset="uniqueid", keep="first", maintain_order=True)
    imported = insert_calls(store, unique.to_arrow())
    return ImportResult(imported=imported, skipped=good.height - imported, bad=tuple(bad))


def _refusal(good: int, bad: list[BadRow]) -> str:
    total = good + len(bad)
    if total == 0:
        return "not an Asterisk Master.csv: the file holds no rows; nothing imported"
    strangers = [b for b in bad if b.reason.endswith(_STRANGER)]
    if strangers and len(strangers) == len(bad):
        example = strangers[0].reason.removeprefix("neither ").removesuffix(f" {_STRANGER}").replace(" nor ", ", ")
        return (
            f"the calls are another organisation's: {len(strangers)} of {total} rows have no extension of this "
            f"one on either side (first, line {strangers[0].line}: {example}); nothing imported"
        )
    why = "no good row" if good == 0 else f"more than {MAX_BAD_SHARE:.0%}"
    first = "; ".join(f"line {b.line}: {b.reason}" for b in bad[:3])
    return f"not an Asterisk Master.csv: {len(bad)} of {total} rows are bad, {why}; nothing imported. First: {first}"
