"""What is listed now, read for screening: the active listings, and the versions of the lists they are on.

Screening opens the published file read-only (SQLite's `mode=ro`), so no code path
there can change it, and nothing about a firm's counterparties can ever land in it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from spiders.kit.items import EQUIPMENT_CATEGORY

# The fields that say who a listed party is (a new remark or URL does not change who it is).
IDENTITY_FIELDS = (
    "list_code",
    "name",
    "alt_names",
    "entity_type",
    "addresses",
    "countries",
    "dates_of_birth",
    "nationalities",
    "ids",
)
LISTING_COLUMNS = ", ".join(dict.fromkeys(("id", "source", *IDENTITY_FIELDS, "content_hash")))


class NothingListed(ValueError):
    """The published database is missing, or holds no listings yet."""


def open_read_only(path: Path) -> Database:
    if not Path(path).exists():
        raise NothingListed(f"{path}: no such database; crawl a list first (`chokepoint crawl csl`)")
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    database = Database(connection)
    if not database["listings"].exists():
        raise NothingListed(f"{path}: has no listings table; crawl a list first (`chokepoint crawl csl`)")
    return database


def active_listings(
    db: Database, lists: list[str] | None = None, ids: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Listed parties not marked removed; `lists` keeps those whose list code or source is named.

    Rows that list a kind of equipment rather than a party (the FCC Covered List's
    foreign-produced drones and routers) are left out: no counterparty is one.
    """
    where, params = ["removed_on IS NULL", "coalesce(entity_type, '') != ?"], [EQUIPMENT_CATEGORY]
    if lists:
        marks = ",".join("?" * len(lists))
        where.append(f"(upper(list_code) IN ({marks}) OR upper(source) IN ({marks}))")
        params += [code.upper() for code in lists] * 2
    if ids is not None:
        if not ids:
            return
        where.append("id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(ids)))
    yield from db.query(f"SELECT {LISTING_COLUMNS} FROM listings WHERE {' AND '.join(where)} ORDER BY id", params)


def every_listing(db: Database) -> Iterator[dict[str, Any]]:
    """Every stored listing, removed ones included, in id order (what an export publishes)."""
    yield from db.query("SELECT * FROM listings ORDER BY id")


def list_versions(
    db: Database, lists: list[str] | None = None, rows: list[dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """Per source: its last successful crawl and a hash of every active listing's content.

    Two screenings with the same versions saw exactly the same listings. `rows`, when
    given, are the active listings already read (in id order), so they are not read twice.
    """
    versions: dict[str, dict[str, Any]] = {}
    digests: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for row in rows if rows is not None else active_listings(db, lists):
        source = row["source"]
        digest = digests.setdefault(source, hashlib.sha256())
        digest.update(f"{row['id']}\t{row['content_hash']}\n".encode())
        counts[source] = counts.get(source, 0) + 1
    for source, digest in sorted(digests.items()):
        run = (
            db.execute(
                "SELECT id, finished FROM crawl_runs WHERE spider = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1",
                [source],
            ).fetchone()
            if db["crawl_runs"].exists()
            else None
        )
        versions[source] = {
            "last_crawl_run": run[0] if run else None,
            "last_crawl_finished": run[1] if run else None,
            "listings": counts[source],
            "content_sha256": digest.hexdigest(),
        }
    return versions


def list_summary(db: Database) -> list[dict[str, Any]]:
    """Per source and list code: the list's name (as most of its entries give it) and its active parties.

    Counts what screening screens (`active_listings`), in source and code order.
    """
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for source, list_code, list_name, listings in db.execute(
        "SELECT source, list_code, coalesce(list_name, ''), count(*) FROM listings "
        "WHERE removed_on IS NULL AND coalesce(entity_type, '') != ? GROUP BY 1, 2, 3",
        [EQUIPMENT_CATEGORY],
    ):
        counts.setdefault((source, list_code), {})[list_name] = listings
    return [
        {
            "source": source,
            "list_code": list_code,
            "list_name": max(names, key=lambda name: (names[name], name)),
            "listings": sum(names.values()),
        }
        for (source, list_code), names in sorted(counts.items())
    ]


def source_crawls(db: Database) -> dict[str, dict[str, Any]]:
    """Per source ever crawled or registered: its kind and schedule (when registered), its last
    successful crawl, and its last finished crawl (which may have failed since)."""
    registered = db.execute("SELECT spider, kind, schedule FROM sources").fetchall() if db["sources"].exists() else []
    crawls: dict[str, dict[str, Any]] = {
        source: {
            "kind": kind,
            "schedule": schedule,
            "last_success": None,
            "last_success_run": None,
            "last_finished": None,
        }
        for source, kind, schedule in registered
    }
    if not db["crawl_runs"].exists():
        return crawls
    for spider, success_run, success, finished_run, finished, status, error in db.execute(
        """
        SELECT r.spider, ok.id, ok.finished, last.id, last.finished, last.status, last.error
        FROM (SELECT DISTINCT spider FROM crawl_runs) r
        LEFT JOIN crawl_runs ok ON ok.id = (
            SELECT max(id) FROM crawl_runs WHERE spider = r.spider AND status = 'succeeded')
        LEFT JOIN crawl_runs last ON last.id = (
            SELECT max(id) FROM crawl_runs WHERE spider = r.spider AND status != 'running')
        """
    ):
        crawl = crawls.setdefault(spider, {"kind": None, "schedule": None})
        crawl.update(
            last_success=success,
            last_success_run=success_run,
            last_finished={"run": finished_run, "finished": finished, "status": status, "error": error}
            if finished_run
            else None,
        )
    return crawls
