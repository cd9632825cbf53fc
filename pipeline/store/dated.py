"""What trends read of the published database: every stored document and listing with the dates and
tags that decide when and where it counts, and which sources have been crawled.

Trends only read. `open_read_only` opens the file with SQLite's `mode=ro`, so no
code path there can create or change a database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

DOCUMENT_FIELDS = "id, source, document_number, publication_date, jurisdiction, dimensions, industries, title"
LISTING_FIELDS = (
    "l.id, l.source, l.list_code, l.name, l.start_date, l.first_seen, l.first_run_id, l.dimensions, l.industries, "
    "s.jurisdiction AS jurisdiction"
)


class NoDatabase(ValueError):
    """The file is missing, or is not a chokepoint database."""


def open_read_only(path: Path) -> Database:
    """The published database at `path`, read-only; NoDatabase when there is none there."""
    if not Path(path).exists():
        raise NoDatabase(f"{path}: no such database; run `chokepoint crawl` or `chokepoint demo` first")
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    database = Database(connection)
    missing = [t for t in ("documents", "listings", "crawl_runs", "sources") if not database[t].exists()]
    if missing:
        raise NoDatabase(f"{path}: not a chokepoint database (no {', '.join(missing)} table)")
    return database


def documents(db: Database) -> Iterator[dict[str, Any]]:
    """Every stored document, in id order."""
    yield from db.query(f"SELECT {DOCUMENT_FIELDS} FROM documents ORDER BY id")


def listings(db: Database) -> Iterator[dict[str, Any]]:
    """Every stored listing (removed ones too: they were new once), with its source's jurisdiction, in id order."""
    yield from db.query(
        f"SELECT {LISTING_FIELDS} FROM listings l LEFT JOIN sources s ON s.spider = l.source ORDER BY l.id"
    )


def first_listing_runs(db: Database) -> dict[str, int]:
    """Per source, the run that first stored any of its listings: what came with it was already listed."""
    return dict(db.execute("SELECT source, min(first_run_id) FROM listings GROUP BY source").fetchall())


def crawled_sources(db: Database) -> dict[str, dict[str, Any]]:
    """Per registered or crawled source: its kind, jurisdiction and last successful crawl (None: never)."""
    sources: dict[str, dict[str, Any]] = {}
    for spider, kind, jurisdiction, schedule in db.execute("SELECT spider, kind, jurisdiction, schedule FROM sources"):
        sources[spider] = {"kind": kind, "jurisdiction": jurisdiction, "schedule": schedule, "last_success": None}
    for spider, kind, finished in db.execute(
        "SELECT spider, kind, max(finished) FROM crawl_runs WHERE status = 'succeeded' GROUP BY spider"
    ):
        sources.setdefault(spider, {"kind": kind, "jurisdiction": None, "schedule": None})["last_success"] = finished
    return sources


def list_first_seen(db: Database) -> list[tuple[str, str, str]]:
    """(list code, source, the day the list's first listing was first seen): from then on its additions are known."""
    return db.execute("SELECT list_code, source, min(first_seen) FROM listings GROUP BY source, list_code").fetchall()
