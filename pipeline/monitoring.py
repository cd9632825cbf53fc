"""The monitoring report: how healthy each source's crawls are, judged against its schedule.

(The gate a single crawl must pass is `pipeline.crawl.gate`; this reads the record of many.)
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from pipeline.store import registry
from pipeline.store.registry import hours_between, is_stale


def source_report(db: Database, now: str) -> list[dict[str, Any]]:
    """One row per source: the source_health view plus staleness judged against its schedule."""
    rows = registry.source_health(db)
    for row in rows:
        row["stale"] = is_stale(row["last_success"], row["schedule"], now)
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
