"""Running the site's statements through Datasette: rows as dicts."""

from __future__ import annotations

from typing import Any

from pipeline.store.registry import is_stale, status_of
from spiders.kit import clock


async def rows(db, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    results = await db.execute(sql, params or {})
    return [dict(row) for row in results.rows]


async def first(db, sql: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
    found = await rows(db, sql, params)
    return found[0] if found else None


async def value(db, sql: str, params: dict[str, Any] | None = None) -> Any:
    """The first column of the first row, or None when there is no row."""
    results = await db.execute(sql, params or {})
    return results.rows[0][0] if results.rows else None


async def credits(db) -> dict[str, dict[str, Any]]:
    """Each source's credit: publisher, where it publishes, and the terms it publishes under.

    Read once per served database (it is immutable): a table page credits every row.
    """
    cached = getattr(db, "chokepoint_credits", None)
    if cached is None:
        sources = await rows(db, "SELECT spider, publisher, live_url, license, license_url, jurisdiction FROM sources")
        cached = {row["spider"]: {**row, "home": (row["live_url"] or "").split(" ")[0]} for row in sources}
        db.chokepoint_credits = cached
    return cached


async def source_health(db) -> list[dict[str, Any]]:
    """Each source's health, with `stale` judged against its schedule and `state` in a word."""
    now = clock.now()
    health = await rows(db, "SELECT * FROM source_health ORDER BY spider")
    for source in health:
        source["status"] = status_of(source)  # "blocked", as the CLI says it, not just "failing"
        source["stale"] = is_stale(source["schedule"], source["last_success"], now)
        source["state"] = source["status"] if source["status"] != "ok" else ("stale" if source["stale"] else "ok")
    return health


async def unhealthy_sources(db) -> list[dict[str, Any]]:
    return [source for source in await source_health(db) if source["state"] != "ok"]
