"""A firm's counterparty lists, kept in the private database only."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlite_utils import Database

from pipeline.screening.counterparties import CounterpartyFile
from pipeline.screening.errors import UnknownWatchlist
from pipeline.screening.match.screener import Query
from spiders.kit import clock


def entry_key(query: Query) -> str:
    """Who a counterparty is across re-uploads: its name, country and the firm's own id."""
    identity = "\t".join(" ".join((value or "").casefold().split()) for value in (query.name, query.country, query.id))
    return hashlib.sha1(identity.encode()).hexdigest()


def save(private: Database, name: str, parsed: CounterpartyFile) -> int:
    """Create watchlist `name`, or replace its entries; returns its id."""
    now = clock.now()
    with private.atomic():
        existing = private.execute("SELECT id FROM watchlists WHERE name = ?", [name]).fetchone()
        facts = {
            "name": name,
            "updated": now,
            "source_file": str(parsed.path),
            "input_sha256": parsed.sha256,
            "entries": len(parsed.rows),
        }
        if existing:
            watchlist_id = existing[0]
            private["watchlists"].update(watchlist_id, facts)
            private.execute("DELETE FROM watchlist_entries WHERE watchlist_id = ?", [watchlist_id])
        else:
            watchlist_id = private["watchlists"].insert({**facts, "created": now}).last_pk
        private["watchlist_entries"].insert_all(
            (
                {
                    "watchlist_id": watchlist_id,
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
    return watchlist_id


def all_watchlists(private: Database) -> list[dict[str, Any]]:
    if not private["watchlists"].exists():
        return []
    return list(private.query("SELECT * FROM watchlists ORDER BY name"))


def find(private: Database, name: str) -> dict[str, Any]:
    row = next(private.query("SELECT * FROM watchlists WHERE name = ?", [name]), None)
    if row is None:
        known = ", ".join(w["name"] for w in all_watchlists(private)) or "none"
        raise UnknownWatchlist(f"no watchlist named {name!r} (watchlists: {known})")
    return row


def entries(private: Database, watchlist_id: int) -> list[tuple[int, Query]]:
    return [
        (row["row_number"], Query(row["name"], row["country"], row["counterparty_id"], row["address"]))
        for row in private.query(
            "SELECT * FROM watchlist_entries WHERE watchlist_id = ? ORDER BY row_number", [watchlist_id]
        )
    ]


def remove(private: Database, name: str) -> None:
    """Delete a watchlist, its entries, alerts and their reviews."""
    watchlist_id = find(private, name)["id"]
    with private.atomic():
        private.execute(
            "DELETE FROM reviews WHERE alert_id IN (SELECT id FROM alerts WHERE watchlist_id = ?)", [watchlist_id]
        )
        private.execute("DELETE FROM alerts WHERE watchlist_id = ?", [watchlist_id])
        private.execute("DELETE FROM watchlist_entries WHERE watchlist_id = ?", [watchlist_id])
        private.execute("DELETE FROM watchlists WHERE id = ?", [watchlist_id])
