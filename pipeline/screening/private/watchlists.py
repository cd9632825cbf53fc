"""A firm's counterparty lists, kept in the private database only, with every version ever saved.

Nothing a team entered is lost: saving a watchlist adds a version (the earlier ones stay,
`history`), a version that would hold fewer counterparties than its file has rows (rows that
could not be read, or none at all) replaces a watchlist only when asked for, and removing a
watchlist marks it removed: its versions, alerts and reviews stay for auditors.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlite_utils import Database

from pipeline.screening.counterparties import CounterpartyFile
from pipeline.screening.errors import UnknownWatchlist, WatchlistNotReplaced
from pipeline.screening.match.screener import Query
from spiders.kit import clock


def entry_key(query: Query) -> str:
    """Who a counterparty is across re-uploads: its name, country and the firm's own id."""
    identity = "\t".join(" ".join((value or "").casefold().split()) for value in (query.name, query.country, query.id))
    return hashlib.sha1(identity.encode()).hexdigest()


def save(private: Database, name: str, parsed: CounterpartyFile, replace_with_fewer: bool = False) -> dict[str, Any]:
    """Save `parsed` as the current version of watchlist `name` (created, or brought back if removed).

    Returns the watchlist's row. A file identical to the current version adds no version. Raises
    WatchlistNotReplaced when the new version would hold fewer counterparties than the file has
    rows, or none, unless `replace_with_fewer`; a new watchlist with nothing readable is refused too.
    """
    existing = _row(private, name)
    current = version(private, existing["version_id"]) if existing else None
    if current and current["input_sha256"] == parsed.sha256:
        if existing["removed"]:
            private["watchlists"].update(existing["id"], {"removed": None, "updated": clock.now()})
        return find(private, name)
    _refuse_losing_rows(name, parsed, existing, current, replace_with_fewer)
    now = clock.now()
    facts = {
        "name": name,
        "updated": now,
        "source_file": str(parsed.path),
        "input_sha256": parsed.sha256,
        "entries": len(parsed.rows),
        "removed": None,
    }
    with private.atomic():
        if existing:
            watchlist_id = existing["id"]
        else:
            watchlist_id = private["watchlists"].insert({**facts, "created": now}).last_pk
        version_id = (
            private["watchlist_versions"]
            .insert(
                {
                    "watchlist_id": watchlist_id,
                    "version": (current["version"] if current else 0) + 1,
                    "saved": now,
                    "source_file": str(parsed.path),
                    "input_sha256": parsed.sha256,
                    "entries": len(parsed.rows),
                    "file_rows": parsed.file_rows,
                    "not_read": json.dumps(parsed.problems, ensure_ascii=False),
                }
            )
            .last_pk
        )
        private["watchlist_entries"].insert_all(
            (
                {
                    "watchlist_id": watchlist_id,
                    "version_id": version_id,
                    "row_number": row.row,
                    "entry_key": entry_key(row.query),
                    "name": row.query.name,
                    "country": row.query.country,
                    "counterparty_id": row.query.id,
                    "address": row.query.address,
                }
                for row in parsed.rows
            ),
            batch_size=1000,
        )
        private["watchlists"].update(watchlist_id, {**facts, "version_id": version_id})
    return find(private, name)


def _refuse_losing_rows(
    name: str, parsed: CounterpartyFile, existing: dict | None, current: dict | None, replace_with_fewer: bool
) -> None:
    read = f"{parsed.path} gives {len(parsed.rows):,} counterparties of its {parsed.file_rows:,} row(s)"
    if not existing:
        if not parsed.rows:
            raise WatchlistNotReplaced(
                f"watchlist {name!r} not created: {read} (see above); nothing to watch", parsed.problems
            )
        return
    if existing["removed"] or replace_with_fewer or (parsed.rows and not parsed.skipped):
        return
    raise WatchlistNotReplaced(
        f"watchlist {name!r} not replaced: it holds {existing['entries']:,} counterparties (version "
        f"{current['version']}) and {read} (see above); fix the file, or pass --replace-with-fewer to replace it "
        f"anyway (every version stays in `chokepoint watchlist history {name}`)",
        parsed.problems,
    )


def all_watchlists(private: Database, include_removed: bool = False) -> list[dict[str, Any]]:
    """The watchlists screened after every crawl (and, with `include_removed`, those removed)."""
    if not private["watchlists"].exists():
        return []
    where = "" if include_removed else "WHERE removed IS NULL"
    return list(private.query(f"SELECT * FROM watchlists {where} ORDER BY name"))


def find(private: Database, name: str) -> dict[str, Any]:
    """Watchlist `name`, removed or not."""
    row = _row(private, name)
    if row is None:
        known = ", ".join(w["name"] for w in all_watchlists(private, include_removed=True)) or "none"
        raise UnknownWatchlist(f"no watchlist named {name!r} (watchlists: {known})")
    return row


def _row(private: Database, name: str) -> dict[str, Any] | None:
    return next(private.query("SELECT * FROM watchlists WHERE name = ?", [name]), None)


def entries(private: Database, watchlist_id: int, version_id: int | None = None) -> list[tuple[int, Query]]:
    """The counterparties of a watchlist's current version (or of `version_id`), in file order."""
    if version_id is None:
        version_id = private.execute("SELECT version_id FROM watchlists WHERE id = ?", [watchlist_id]).fetchone()[0]
    return [
        (row["row_number"], Query(row["name"], row["country"], row["counterparty_id"], row["address"]))
        for row in private.query(
            "SELECT * FROM watchlist_entries WHERE watchlist_id = ? AND version_id = ? ORDER BY row_number",
            [watchlist_id, version_id],
        )
    ]


def version(private: Database, version_id: int) -> dict[str, Any]:
    return private["watchlist_versions"].get(version_id)


def history(private: Database, name: str) -> list[dict[str, Any]]:
    """Every version of watchlist `name`, oldest first, each marked `current` or not."""
    watchlist = find(private, name)
    rows = list(
        private.query("SELECT * FROM watchlist_versions WHERE watchlist_id = ? ORDER BY version", [watchlist["id"]])
    )
    for row in rows:
        row["not_read"] = json.loads(row["not_read"] or "[]")
        row["current"] = row["id"] == watchlist["version_id"]
    return rows


def version_entries(private: Database, name: str, number: int) -> list[tuple[int, Query]]:
    """The counterparties of version `number` of watchlist `name`."""
    watchlist = find(private, name)
    row = next(
        private.query(
            "SELECT id FROM watchlist_versions WHERE watchlist_id = ? AND version = ?", [watchlist["id"], number]
        ),
        None,
    )
    if row is None:
        raise UnknownWatchlist(f"watchlist {name!r} has no version {number} (`chokepoint watchlist history {name}`)")
    return entries(private, watchlist["id"], row["id"])


def audit_counts(private: Database, watchlist_id: int) -> dict[str, int]:
    """What removing a watchlist keeps for auditors: its counterparties, alerts and reviews."""
    alerts, reviews = private.execute(
        "SELECT count(*), (SELECT count(*) FROM reviews WHERE alert_id IN (SELECT id FROM alerts WHERE watchlist_id = ?)) "
        "FROM alerts WHERE watchlist_id = ?",
        [watchlist_id, watchlist_id],
    ).fetchone()
    return {"alerts": alerts, "reviews": reviews}


def remove(private: Database, name: str) -> dict[str, Any]:
    """Stop screening watchlist `name`; its versions, alerts and reviews stay, marked as belonging to
    a removed watchlist. Returns the watchlist as removed."""
    watchlist = find(private, name)
    if watchlist["removed"]:
        raise UnknownWatchlist(f"watchlist {name!r} was already removed on {watchlist['removed']}")
    private["watchlists"].update(watchlist["id"], {"removed": clock.now()})
    return find(private, name)
