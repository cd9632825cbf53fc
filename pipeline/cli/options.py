"""Options every command shares, declared once, and the default database locations."""

from __future__ import annotations

import os
from pathlib import Path

import click

DEFAULT_DB = Path("data/chokepoint.db")
# The private database sits in a directory of its own (created 0700), never beside the published one.
DEFAULT_PRIVATE_DB = Path("data/private/private.db")
DEMO_DB = Path("data/demo/chokepoint.db")
DEMO_PRIVATE_DB = Path("data/demo/private/private.db")
PASSWORD_VARIABLE = "CHOKEPOINT_SMTP_PASSWORD"  # the SMTP password is read from here only, never from a flag


def db_option(default: Path = DEFAULT_DB, help: str = "SQLite database to use."):
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        show_default=True,
        help=help,
    )


def replay_option(help: str):
    return click.option(
        "--replay", "manifest", type=click.Path(dir_okay=False, path_type=Path), metavar="MANIFEST", help=help
    )


def private_db_option(default: Path = DEFAULT_PRIVATE_DB):
    return click.option(
        "--private-db",
        "private_db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        show_default=True,
        help="Private database (watchlists, alerts); never published.",
    )


lock_timeout_option = click.option(
    "--lock-timeout",
    type=float,
    default=600,
    show_default=True,
    help="Seconds to wait for another crawl, digest or daily run on the same database to finish.",
)


allow_stale_option = click.option(
    "--allow-stale",
    is_flag=True,
    help="Screen even when a list's last crawl failed or is older than its schedule allows: "
    "every result and the receipt then carry the warning.",
)


def open_db(path: Path):
    """The published database at `path`, its folder created if needed."""
    from sqlite_utils import Database

    from pipeline.store.schema import BUSY_TIMEOUT_MS

    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")  # wait for a writer instead of "database is locked"
    return db


def reviewer_name(given: str | None = None) -> str:
    """Who decided: --by, else $CHOKEPOINT_REVIEWER, else the operating system's user name."""
    import getpass

    if given and given.strip():
        return given.strip()
    if os.environ.get("CHOKEPOINT_REVIEWER", "").strip():
        return os.environ["CHOKEPOINT_REVIEWER"].strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        raise click.UsageError("say who decides: --by NAME, or set CHOKEPOINT_REVIEWER") from None


def existing_db(path: Path) -> Path:
    """`path`, or a one-line error when there is no database there yet."""
    if not path.exists():
        raise click.ClickException(f"{path} does not exist: run `chokepoint crawl` or `chokepoint demo` first")
    return path


def parse_expect(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        low, high = (int(part) for part in value.split(":"))
    except ValueError:
        raise click.BadParameter("use MIN:MAX, e.g. 10:50") from None
    return low, high


class When(click.ParamType):
    """A moment as the store records it (UTC, `YYYY-MM-DDTHH:MM:SSZ`): a date, a date and time, or a span
    back from now (`36h`, `7d`, `2w`)."""

    name = "WHEN"
    SPANS = {"h": "hours", "d": "days", "w": "weeks"}

    def convert(self, value, param, ctx):
        from datetime import datetime, timedelta, timezone

        from spiders.kit import clock

        text = value.strip()
        if text[:-1].isdigit() and text[-1:] in self.SPANS:
            moment = clock.current() - timedelta(**{self.SPANS[text[-1]]: int(text[:-1])})
        else:
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                self.fail(f"{value!r}: give a date (2024-01-31), a UTC time (2024-01-31T06:00:00Z) or 36h, 7d, 2w")
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


WHEN = When()


def _setting(flag: str, variable: str, help: str, **extra):
    """An option that a CHOKEPOINT_* environment variable can set instead (--help names it)."""
    return click.option(flag, envvar=variable, show_envvar=True, show_default="default" in extra, help=help, **extra)


def mail_options(command):
    """Where digests go: SMTP (flags or CHOKEPOINT_SMTP_* variables; the password only from a variable) or files."""
    for option in reversed(
        (
            _setting("--smtp-host", "CHOKEPOINT_SMTP_HOST", "SMTP server."),
            _setting("--smtp-port", "CHOKEPOINT_SMTP_PORT", "SMTP port.", type=int, default=25),
            _setting(
                "--smtp-user", "CHOKEPOINT_SMTP_USER", f"Log in as this user (password from {PASSWORD_VARIABLE})."
            ),
            _setting(
                "--smtp-starttls/--no-smtp-starttls",
                "CHOKEPOINT_SMTP_STARTTLS",
                "Upgrade the connection with STARTTLS.",
            ),
            _setting("--mail-from", "CHOKEPOINT_MAIL_FROM", "Sender address.", default="chokepoint@localhost"),
            _setting(
                "--site-url",
                "CHOKEPOINT_SITE_URL",
                "The published site every item links to.",
                default="http://127.0.0.1:8001",
            ),
            click.option(
                "--dry-run",
                "dry_run",
                type=click.Path(file_okay=False, path_type=Path),
                metavar="DIR",
                help="Write each digest to DIR as an .eml file; send nothing, record nothing.",
            ),
        )
    ):
        command = option(command)
    return command


def outbox_from(smtp_host, smtp_port, smtp_user, smtp_starttls, mail_from, dry_run):
    from pipeline.digest.send import DryRunOutbox, SmtpOutbox, SmtpSettings

    if dry_run:
        return DryRunOutbox(dry_run, mail_from)
    if not smtp_host:
        raise click.UsageError("no SMTP server: pass --smtp-host (or set CHOKEPOINT_SMTP_HOST), or --dry-run DIR")
    password = os.environ.get(PASSWORD_VARIABLE)
    if smtp_user and password is None:
        raise click.UsageError(f"--smtp-user is set but {PASSWORD_VARIABLE} is not")
    return SmtpOutbox(SmtpSettings(smtp_host, smtp_port, smtp_user, password, smtp_starttls, mail_from))


def site_from(site_url: str):
    """The site the digest links to, as `chokepoint serve` publishes it (the database under its site name)."""
    from pipeline.digest.links import Site
    from pipeline.site.datasette import DATABASE
    from pipeline.site.urls import safe_url

    if not safe_url(site_url):
        raise click.BadParameter(f"{site_url!r}: give the site's http(s) address", param_hint="--site-url")
    return Site(site_url, DATABASE)
