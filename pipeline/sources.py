"""Every source we watch, its declared facts, and how healthy its crawls are."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlite_utils import Database

from pipeline import runner, store

# How long a source may go without a successful crawl before it counts as stale.
STALE_AFTER_HOURS = {"hourly": 6, "daily": 48, "weekly": 24 * 8, "monthly": 24 * 35}


def declared_sources() -> list[dict[str, Any]]:
    """The facts each spider declares beside its code."""
    facts = []
    for name in runner.spider_names():
        spider = runner.spider_class(name)
        low, high = spider.expected_items
        facts.append({
            "spider": name, "kind": spider.kind, "publisher": spider.publisher,
            "jurisdiction": spider.jurisdiction, "live_url": " ".join(spider.live_urls),
            "schedule": spider.schedule, "expected_min": low, "expected_max": high,
        })
    return facts


def register_sources(db: Database) -> None:
    store.ensure_schema(db)
    with db.atomic():
        db["sources"].delete_where()
        db["sources"].insert_all(declared_sources())


def health(db: Database, now: str) -> list[dict[str, Any]]:
    """One row per source: the source_health view plus staleness judged against its schedule."""
    register_sources(db)
    rows = list(db.query("SELECT * FROM source_health ORDER BY spider"))
    for row in rows:
        limit = STALE_AFTER_HOURS.get(row["schedule"], 48)
        age = hours_between(row["last_success"], now)
        row["stale"] = row["last_success"] is None or age > limit
    return rows


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
