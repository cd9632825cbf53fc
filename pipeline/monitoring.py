"""The monitoring report: how healthy each source's crawls are, judged against its schedule.

(The gate a single crawl must pass is `pipeline.crawl.gate`; this reads the record of many.
How long a schedule allows is `pipeline.store.registry`'s, which screening reads too.)
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from pipeline.store import registry
from pipeline.store.registry import STALE_AFTER_HOURS, hours_between

__all__ = ["STALE_AFTER_HOURS", "ago", "hours_between", "source_report"]


def source_report(db: Database, now: str) -> list[dict[str, Any]]:
    """One row per source: the source_health view plus staleness judged against its schedule.

    A source whose last crawl was turned away by a firewall is "blocked", not just failing:
    someone must change how it is fetched, not wait for it to come back.
    """
    rows = registry.source_health(db)
    for row in rows:
        row["status"] = registry.status_of(row)
        row["stale"] = registry.is_stale(row["schedule"], row["last_success"], now)
    return rows


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
