"""The `sources` table (each spider's declared facts), the `source_health` view that reads it, and
how long each schedule lets a source go without a successful crawl before it counts as stale."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlite_utils import Database

from pipeline.store.schema import ensure_schema
from spiders.kit.errors import SourceBlocked

# How long a source may go without a successful crawl before it counts as stale. `sources`
# (monitoring) and screening (which refuses stale lists) judge it the same way.
STALE_AFTER_HOURS = {"hourly": 6, "daily": 48, "weekly": 24 * 8, "monthly": 24 * 35}
DEFAULT_STALE_AFTER_HOURS = 48


def replace_sources(db: Database, facts: list[dict[str, Any]]) -> None:
    ensure_schema(db)
    with db.atomic():
        db["sources"].delete_where()
        db["sources"].insert_all(facts)


def registered_sources(db: Database) -> list[dict[str, Any]]:
    """Every registered source's facts (`sources`), by spider."""
    return list(db.query("SELECT * FROM sources ORDER BY spider"))


def source_health(db: Database) -> list[dict[str, Any]]:
    """One row per registered source: its facts, last success and failure, items, last change."""
    return list(db.query("SELECT * FROM source_health ORDER BY spider"))


def status_of(row: dict[str, Any]) -> str:
    """A source's status in a word, as the CLI, the site and the digest all say it: a failing source whose
    last crawl a firewall turned away is "blocked" (someone must change how it is fetched, not wait)."""
    if row["status"] == "failing" and is_block(row["spider"], row["last_error"]):
        return "blocked"
    return row["status"]


def is_block(spider: str, error: str | None) -> bool:
    """Errors are recorded as '<spider>: <reason>: <detail>' (spiders/kit/errors.py)."""
    return bool(error) and error.startswith(f"{spider}: {SourceBlocked.reason}: ")


def stale_after_hours(schedule: str | None) -> int:
    return STALE_AFTER_HOURS.get(schedule or "", DEFAULT_STALE_AFTER_HOURS)


def is_stale(schedule: str | None, last_success: str | None, now: str) -> bool:
    """No successful crawl, or none within what the source's schedule allows."""
    return last_success is None or hours_between(last_success, now) > stale_after_hours(schedule)


def hours_between(earlier: str | None, later: str) -> float:
    if not earlier:
        return float("inf")
    return (_parse(later) - _parse(earlier)).total_seconds() / 3600


def _parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(timezone.utc)
