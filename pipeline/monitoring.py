"""The monitoring report: how healthy each source's crawls are, judged against its schedule.

(The gate a single crawl must pass is `pipeline.crawl.gate`; this reads the record of many.)
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlite_utils import Database

from pipeline.store import registry
from spiders.kit.errors import SourceBlocked

# How long a source may go without a successful crawl before it counts as stale.
STALE_AFTER_HOURS = {"hourly": 6, "daily": 48, "weekly": 24 * 8, "monthly": 24 * 35}


def source_report(db: Database, now: str) -> list[dict[str, Any]]:
    """One row per source: the source_health view plus staleness judged against its schedule.

    A source whose last crawl was turned away by a firewall is "blocked", not just failing:
    someone must change how it is fetched, not wait for it to come back.
    """
    rows = registry.source_health(db)
    for row in rows:
        if row["status"] == "failing" and is_block(row["spider"], row["last_error"]):
            row["status"] = "blocked"
        limit = STALE_AFTER_HOURS.get(row["schedule"], 48)
        age = hours_between(row["last_success"], now)
        row["stale"] = row["last_success"] is None or age > limit
    return rows


def is_block(spider: str, error: str | None) -> bool:
    """Errors are recorded as '<spider>: <reason>: <detail>' (spiders/kit/errors.py)."""
    return bool(error) and error.startswith(f"{spider}: {SourceBlocked.reason}: ")


def hours_between(earlier: str | None, later: str) -> float:
    if not earlier:
        return float("inf")
    return (_parse(later) - _parse(earlier)).total_seconds() / 3600


def ago(timestamp: str | None, now: str) -> str:
    """'3 h ago', '2 days ago', 'never'."""
    hours = hours_between(timestamp, now)
    if hours == float("inf"):
        return "never"
    if hours < 1:
        return f"{int(hours * 60)} min ago"
    if hours < 48:
        return f"{int(hours)} h ago"
    return f"{int(hours // 24)} days ago"


def _parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(timezone.utc)
