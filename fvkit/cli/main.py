"""The `fvkit` command: simulate an organisation, manage portal users, serve the portal."""

from __future__ import annotations

import importlib
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from fvkit.domain.prefs import DEFAULT_TIME_ZONE
from fvkit.media.mail import MailSettings, deliver
from fvkit.portal.welcome import welcome
from fvkit.sim.run import Options, simulate
from fvkit.store import Store, StoreLocked
from fvkit.store.accounts import get_extension, portal_users, set_password_hash
from fvkit.store.org import get_state
from fvkit.store.secrets import hash_secret

DEFAULT_DB = "data/fvkit.duckdb"
MIN_PASSWORD = 8
REPO = Path(__file__).resolve().parents[2]


def open_store(db: str, *, must_exist: bool = True, read_only: bool = False) -> Store:
    """Open the database, or fail in one line: no such file, or another process holds it."""
    if must_exist and not Path(db).exists():
        raise click.ClickException(f"{db} does not exist: build it first with `fvkit simulate --db {db}`")
    try:
        return Store(db, read_only=read_only)
    except StoreLocked as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(help=__doc__)
def main() -> None:
    """Top-level command group."""


@main.command(name="simulate")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to build or extend.")
@click.option("--seed", default=1, show_default=True, help="Same seed, same organisation and calls.")
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First day of traffic (organisation time). Default: where the last run ended, or DAYS days before today.",
)
@click.option("--days", default=30.0, show_default=True, help="Days of traffic to add.")
@click.option("--extensions", default=200, show_default=True, help="Extensions of a new organisation.")
@click.option(
    "--trunk-lines",
    type=int,
    default=None,
    help="Lines of the trunk (SIM-4). Default: sized by Erlang B so the busy hour blocks 0.5-2% of outside calls.",
)
@click.option("--password", default=None, help="Portal password for every generated user (demos, tests).")
@click.option("--calls-per-user-day", default=8.0, show_default=True, help="Weekday calls per user.")
def simulate_cmd(
    db: str,
    seed: int,
    start: datetime | None,
    days: float,
    extensions: int,
    trunk_lines: int | None,
    password: str | None,
    calls_per_user_day: float,
) -> None:
    """Build or extend a database with a seeded organisation and its call traffic."""
    if password is not None and len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters", param_hint="--password")
    store = open_store(db, must_exist=False)
    begun = time.perf_counter()
    if start is None:
        until = get_state(store, "simulated_until", 0)
        if until:
            first = datetime(1970, 1, 1) + timedelta(microseconds=until)
        else:
            first = _local_midnight(datetime.now(UTC).date() - timedelta(days=int(days)))
    else:
        first = _local_midnight(start.date())
    with click.progressbar(length=1000, label="simulating", file=sys.stderr) as bar:
        done = [0]

        def progress(message: str, fraction: float) -> None:
            bar.label = message[:40]
            step = int(fraction * 1000) - done[0]
            if step > 0:
                bar.update(step)
                done[0] += step

        summary = simulate(
            store,
            first,
            seed=seed,
            extensions=extensions,
            trunk_lines=trunk_lines,
            password=password,
            options=Options(days=days, calls_per_user_day=calls_per_user_day),
            progress=progress,
        )
    store.close()
    elapsed = time.perf_counter() - begun
    if summary.organisation_created:
        click.echo(f"organisation created: {extensions} extensions, {summary.trunk_lines} trunk lines (seed {seed})")
    click.echo(
        f"calls: {summary.calls:,}  flow events: {summary.flow_events:,}  voicemails: {summary.voicemails:,}  "
        f"faxes: {summary.faxes:,}  recordings: {summary.recordings:,}  seconds: {elapsed:.1f}"
    )
    if summary.organisation_created and password is None:
        click.echo(f"portal passwords are random: set one with `fvkit users set-password --db {db} EXT PASSWORD`")


def _local_midnight(day: date) -> datetime:
    """Return midnight of a day in the organisation's default time zone, as naive UTC."""
    local = datetime.combine(day, dtime(0), tzinfo=ZoneInfo(DEFAULT_TIME_ZONE))
    return local.astimezone(UTC).replace(tzinfo=None)


@main.group(invoke_without_command=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file.")
@click.pass_context
def users(ctx: click.Context, db: str) -> None:
    """List the extensions that may sign in to the portal."""
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(db)
    rows = portal_users(store).to_pylist()
    store.close()
    click.echo(f"{'extension':<10} {'name':<28} {'department':<12} {'access':<9} password")
    for r in rows:
        click.echo(
            f"{r['number']:<10} {r['display_name']:<28} {r['department']:<12} {r['access_level']:<9} "
            f"{'set' if r['has_password'] else 'not set'}"
        )
    click.echo(f"{len(rows)} users. Set a password: fvkit users set-password --db {db} EXT PASSWORD")


@users.command(name="set-password")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file.")
@click.argument("ext")
@click.argument("password")
def set_password(db: str, ext: str, password: str) -> None:
    """Set an extension's portal password (stored as an argon2id hash)."""
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters", param_hint="PASSWORD")
    store = open_store(db)
    if get_extension(store, ext) is None:
        store.close()
        raise click.ClickException(f"no extension {ext} in {db}")
    set_password_hash(store, ext, hash_secret(password))
    store.close()
    click.echo(f"password set for {ext}")


@users.command(name="welcome")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file.")
@click.option("--portal-url", default="http://localhost:8501", show_default=True, help="Link in the email.")
@click.argument("ext")
def send_welcome(db: str, portal_url: str, ext: str) -> None:
    """Email an extension its welcome (portal link, extension, a new password)."""
    store = open_store(db)
    try:
        msg = welcome(store, ext, portal_url, datetime.now(UTC).replace(tzinfo=None))
        where = deliver(msg, MailSettings.from_env())
    except (LookupError, PermissionError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    click.echo(f"welcome email for {ext} sent to {msg['To']} ({where})")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file the portal owns while it runs.")
@click.option("--port", default=8501, show_default=True)
@click.option("--live", is_flag=True, help="Keep calls arriving while the portal runs (SIM-5).")
@click.option("--speed", default=1.0, show_default=True, help="With --live: simulated seconds per real second.")
@click.option("--address", default="0.0.0.0", show_default=True)  # noqa: S104  # a web portal
def serve(db: str, port: int, live: bool, speed: float, address: str) -> None:
    """Start the web portal on a database."""
    open_store(db).close()  # fail here, in one line, if the file is missing or held
    env = {**os.environ, "FVKIT_DB": str(Path(db).resolve())}
    if live:
        if speed <= 0:
            raise click.BadParameter("must be above 0", param_hint="--speed")
        env["FVKIT_LIVE_SPEED"] = str(speed)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(REPO / "dashboards" / "app.py"),
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--theme.primaryColor",
        "#2e7d32",
    ]
    click.echo(f"portal on http://localhost:{port}  (database {db}; Ctrl-C stops it)", err=True)
    # NOTE: exec, not a child process: stopping `fvkit serve` must stop the portal itself
    os.execve(sys.executable, cmd, env)  # noqa: S606  # fixed argv, no shell


def _register() -> None:
    """Add the command groups that live in their own modules."""
    from fvkit.cli import calls, cdr, contacts, lake

    for module in (contacts, calls, cdr, lake):
        main.add_command(module.group)
    main.add_command(importlib.import_module("fvkit.cli.realism").command)  # issue 9: fvkit realism


_register()
