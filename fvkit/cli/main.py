"""The `fvkit` command: simulate an organisation, manage portal users, serve the portal."""

from __future__ import annotations

import os
import sys
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from fvkit.cli import calls, cdr, contacts, lake, realism, report
from fvkit.cli.options import db_option, inherited_db_option, open_store, opened
from fvkit.media.mail import MailSettings, deliver
from fvkit.portal.preferences import BadPreference, check_password, reset_password
from fvkit.portal.welcome import welcome
from fvkit.sim.run import Options, first_start, simulate
from fvkit.sim.sizing import Study, simulate_sized
from fvkit.store import Store
from fvkit.store.accounts import portal_users

REPO = Path(__file__).resolve().parents[2]


@click.group(help=__doc__)
def main() -> None:
    """Top-level command group."""


@main.command(name="simulate")
@db_option("DuckDB file to build or extend.")
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
    help="Lines of the trunk (SIM-4). Default: sized by Erlang B so the expected busy hour blocks 2% of outside calls.",
)
@click.option(
    "--study-trunk",
    is_flag=True,
    help=(
        "New organisation only: check the Erlang B size on the simulated days' busy hour and run again with a"
        " line more (or less) until it blocks 0.5-2% of outside calls (at most 3 runs; `make demo` does)."
    ),
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
    study_trunk: bool,
    password: str | None,
    calls_per_user_day: float,
) -> None:
    """Build or extend a database with a seeded organisation and its call traffic."""
    if password is not None:
        try:
            check_password(password)
        except BadPreference as exc:
            raise click.BadParameter(str(exc), param_hint="--password") from exc
    created = not Path(db).exists()
    if study_trunk and (trunk_lines is not None or not created):
        why = "it sizes the trunk itself: leave out --trunk-lines" if created else f"{db} exists: its trunk stays"
        raise click.UsageError(f"--study-trunk is for a new organisation; {why}")
    store = open_store(db, must_exist=False)
    begun = time.perf_counter()
    studies: list[Study] = []
    options = Options(days=days, calls_per_user_day=calls_per_user_day)
    try:
        first = first_start(store, start.date() if start else None, days, datetime.now(UTC).date())
        if study_trunk:
            store.close()

            def fresh() -> Store:
                _remove(db)
                return open_store(db, must_exist=False)

            store, summary, studies = simulate_sized(
                fresh,
                first,
                seed=seed,
                extensions=extensions,
                password=password,
                options=options,
                progress=_progress_bar(),
            )
        else:
            summary = simulate(
                store,
                first,
                seed=seed,
                extensions=extensions,
                trunk_lines=trunk_lines,
                password=password,
                options=options,
                progress=_progress_bar(),
            )
    except ValueError as exc:  # e.g. too few extensions for a new organisation, refused before any write
        store.close()
        if created:  # leave no empty database behind
            _remove(db)
        raise click.ClickException(str(exc)) from exc
    store.close()
    elapsed = time.perf_counter() - begun
    if summary.organisation_created:
        click.echo(f"organisation created: {extensions} extensions, {summary.trunk_lines} trunk lines (seed {seed})")
    if studies:
        click.echo(
            "trunk sized by Erlang B, checked on the busy hour of the simulated days: " + "; ".join(map(str, studies))
        )
    click.echo(
        f"calls: {summary.calls:,}  flow events: {summary.flow_events:,}  voicemails: {summary.voicemails:,}  "
        f"faxes: {summary.faxes:,}  recordings: {summary.recordings:,}  seconds: {elapsed:.1f}"
    )
    if summary.organisation_created and password is None:
        click.echo(
            "portal passwords, voicemail PINs and personal codes are random and shown to no one: "
            f"`fvkit users welcome --db {db} EXT` mails a user a new password, "
            f"`fvkit users set-password --db {db} EXT PASSWORD` sets one"
        )


def _remove(db: str) -> None:
    """Delete a database file the command created, and its write-ahead log."""
    for leftover in (Path(db), Path(f"{db}.wal")):
        leftover.unlink(missing_ok=True)


def _progress_bar() -> Callable[[str, float], None]:
    """Return a progress callback for stderr that stays silent until there is progress to show.

    A terminal sees one line redrawn; a log gets a line per step (organisation, each week of calls).
    """
    shown, said = 0, ""
    tty = sys.stderr.isatty()

    def progress(message: str, fraction: float) -> None:
        nonlocal shown, said
        permille = int(fraction * 1000)
        if permille <= 0 or (permille <= shown and message == said):
            return  # nothing done yet (a failing start prints its error alone), or nothing new
        shown, said = max(permille, shown), message
        if tty:
            click.echo(f"\rsimulating: {message[:40]:<40} {permille / 10:5.1f}%", nl=permille >= 1000, err=True)
        else:
            click.echo(f"simulating: {message} ({permille / 10:.0f}%)", err=True)

    return progress


@main.group(invoke_without_command=True)
@db_option()
@click.pass_context
def users(ctx: click.Context, db: str) -> None:
    """List the extensions that may sign in to the portal."""
    if ctx.invoked_subcommand is not None:
        return
    with opened(db) as store:
        rows = portal_users(store).to_pylist()
    click.echo(f"{'extension':<10} {'name':<28} {'department':<12} {'access':<9} password")
    for r in rows:
        click.echo(
            f"{r['number']:<10} {r['display_name']:<28} {r['department']:<12} {r['access_level']:<9} "
            f"{'set' if r['has_password'] else 'not set'}"
        )
    click.echo(f"{len(rows)} users. Set a password: fvkit users set-password --db {db} EXT PASSWORD")


@users.command(name="set-password")
@inherited_db_option()
@click.argument("ext")
@click.argument("password")
def set_password(db: str, ext: str, password: str) -> None:
    """Set an extension's portal password (stored as an argon2id hash)."""
    try:
        check_password(password)
    except BadPreference as exc:
        raise click.BadParameter(str(exc), param_hint="PASSWORD") from exc
    with opened(db) as store:
        reset_password(store, ext, password)
    click.echo(f"password set for {ext} in {db}; its sessions and Remember-me tokens are ended")


@users.command(name="welcome")
@inherited_db_option()
@click.option("--portal-url", default="http://localhost:8501", show_default=True, help="Link in the email.")
@click.argument("ext")
def send_welcome(db: str, portal_url: str, ext: str) -> None:
    """Email an extension its welcome (portal link, extension, a new password)."""
    with opened(db, refused=(LookupError, PermissionError, ValueError)) as store:
        msg = welcome(store, ext, portal_url, datetime.now(UTC).replace(tzinfo=None))
        where = deliver(msg, MailSettings.from_env())
    click.echo(f"welcome email for {ext} sent to {msg['To']} ({where})")


@main.command()
@db_option("DuckDB file the portal owns while it runs.")
@click.option("--port", default=8501, show_default=True)
@click.option("--live", is_flag=True, help="Keep calls arriving while the portal runs (SIM-5).")
@click.option("--speed", default=1.0, show_default=True, help="With --live: simulated seconds per real second.")
@click.option(
    "--address",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; 0.0.0.0 for every one (put TLS in front: docs/SECURITY.md).",
)
def serve(db: str, port: int, live: bool, speed: float, address: str) -> None:
    """Start the web portal on a database."""
    open_store(db).close()  # fail here, in one line, if the file is missing or held
    env = {**os.environ, "FVKIT_DB": str(Path(db).resolve())}
    if live:
        if speed <= 0:
            raise click.BadParameter("must be above 0", param_hint="--speed")
        env["FVKIT_LIVE_SPEED"] = str(speed)
    cmd = streamlit_command(address, port)
    click.echo(f"portal on http://localhost:{port}  (database {db}; Ctrl-C stops it)", err=True)
    # NOTE: exec, not a child process: stopping `fvkit serve` must stop the portal itself
    os.execve(sys.executable, cmd, env)  # noqa: S606  # fixed argv, no shell


def project_config() -> list[str]:
    """Return the project's .streamlit/config.toml as command-line flags.

    Streamlit reads that file only from the working directory; flags apply it wherever `fvkit serve`
    is started from (no Deploy button, no tracebacks, the theme).
    """
    path = REPO / ".streamlit" / "config.toml"
    if not path.exists():
        return []
    flags: list[str] = []
    for section, options in tomllib.loads(path.read_text(encoding="utf-8")).items():
        for name, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags += [f"--{section}.{name}", text]
    return flags


def streamlit_command(address: str, port: int) -> list[str]:
    """Return the command that runs the portal: the project's config, then the serving options.

    `dashboards.launch` is `streamlit run` after importing what the pages import, so that no
    page's first visit after a start pays those imports (docs/PERFORMANCE-NOTES.md).
    """
    return [
        sys.executable,
        "-m",
        "dashboards.launch",
        "run",
        str(REPO / "dashboards" / "app.py"),
        *project_config(),
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
    ]


for _group in (contacts.group, calls.group, cdr.group, lake.group, report.group, realism.command):
    main.add_command(_group)
