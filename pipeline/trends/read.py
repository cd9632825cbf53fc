"""Trends from the published database: the dated items, what the sources cover, and the checks that
stop an empty, never-crawled or stale database passing for a quiet one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlite_utils import Database

from pipeline.store import dated as store
from pipeline.store.registry import is_stale
from pipeline.trends.counts import Counts, count
from pipeline.trends.events import Dated, new_listings, new_measures
from pipeline.trends.periods import parse_day, period_start
from pipeline.trends.surge import DEFAULT, Scan, Settings, scan


class NothingToCount(ValueError):
    """The database was never crawled, or holds no documents or listings: no trend can be read from it."""


@dataclass
class Stored:
    """What a trend is read from: the dated items, and notes on what they cannot show."""

    dated: Dated
    list_since: dict[str, date] = field(default_factory=dict)  # per list, the day its source was first crawled
    warnings: list[str] = field(default_factory=list)  # sources never crawled, failing or stale


def open_database(path: Path) -> Database:
    """The published database, read-only (NothingToCount when it is missing or not ours)."""
    try:
        return store.open_read_only(path)
    except store.NoDatabase as error:
        raise NothingToCount(str(error)) from None


def read(db: Database, now: str) -> Stored:
    """Every stored item that counts, with warnings about the sources behind them."""
    sources = store.crawled_sources(db)
    if not any(source["last_success"] for source in sources.values()):
        raise NothingToCount("no source has ever been crawled successfully: there is nothing to count yet")
    dated = Dated()
    new_measures(store.documents(db), dated)
    first_runs = store.first_listing_runs(db)
    new_listings(store.listings(db), first_runs, dated)
    if not dated.events and not any(dated.not_counted.values()):
        raise NothingToCount("the database holds no documents and no listings: there is nothing to count")
    list_since: dict[str, date] = {}
    for code, source, first_seen in store.list_first_seen(db):
        day = parse_day(first_seen)
        if day:
            list_since[f"{source}:{code}"] = day
    return Stored(dated, list_since, _source_warnings(sources, now))


def _source_warnings(sources: dict[str, dict], now: str) -> list[str]:
    warnings = []
    never = sorted(name for name, source in sources.items() if not source["last_success"])
    if never:
        warnings.append(f"never crawled, so not counted: {', '.join(never)}")
    for name, source in sorted(sources.items()):
        if source["last_success"] and is_stale(source["schedule"], source["last_success"], now):
            warnings.append(
                f"{name}: last successful crawl {source['last_success']}, stale for its "
                f"{source['schedule'] or 'unknown'} schedule: its counts after that are incomplete"
            )
    return warnings


def trends(stored: Stored, by: str, period: str, since: date, until: date) -> Counts:
    return count(stored.dated.events, by, period, since, until)


def surges(db: Database, since: date, until: date, now: str, settings: Settings = DEFAULT) -> tuple[Scan, Stored]:
    """The surges in the weeks from the one holding `since` to the one holding `until` (for the digest,
    the site and the feed): each with its reason, and the weeks that could not be judged."""
    stored = read(db, now)
    return scan_weeks(stored, since, until, parse_day(now), settings), stored


def scan_weeks(stored: Stored, since: date, until: date, today: date | None, settings: Settings = DEFAULT) -> Scan:
    weeks, week = [], period_start(since, "week")
    while week <= until:
        weeks.append(week)
        week += timedelta(weeks=1)
    return scan(stored.dated.events, weeks, settings, stored.list_since, today)
