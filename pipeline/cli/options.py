"""Options every command shares, declared once, and the default database locations."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_DB = Path("data/chokepoint.db")
# The private database sits in a directory of its own (created 0700), never beside the published one.
DEFAULT_PRIVATE_DB = Path("data/private/private.db")
DEMO_DB = Path("data/demo/chokepoint.db")
DEMO_PRIVATE_DB = Path("data/demo/private/private.db")


def db_option(default: Path = DEFAULT_DB, help: str = "SQLite database to use."):
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=default,
        show_default=True,
        help=help,
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
