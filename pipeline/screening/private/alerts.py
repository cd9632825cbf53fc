"""Alerts: a watchlisted counterparty that matches a listing, kept until someone decides.

One alert per counterparty, listing and version of the listing's identity. A hit
already alerted is not alerted again; a hit dismissed as a false positive stays
quiet until the listing itself changes materially (MATERIAL_FIELDS), when it is
raised afresh.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pipeline.screening.match.screener import Match, Query
from pipeline.screening.private.watchlists import entry_key
from pipeline.store.listed import IDENTITY_FIELDS
from spiders.kit import clock

OPEN, CONFIRMED, FALSE_POSITIVE = "open", "confirmed", "false_positive"
# A change to who a listed party is (its name, aliases, addresses, ...) is a material change:
# a false positive dismissed before is shown again. A new remark or URL is not.
MATERIAL_FIELDS = IDENTITY_FIELDS


@dataclass
class AlertCounts:
    new: int = 0
    already_open: int = 0
    suppressed: int = 0


def material_hash(row: dict[str, Any]) -> str:
    identity = json.dumps([row.get(name) for name in MATERIAL_FIELDS], ensure_ascii=False)
    return hashlib.sha256(identity.encode()).hexdigest()


def record_hits(
    private: Database, watchlist_id: int, run_id: int, hits: list[tuple[Query, Match]], material: dict[str, str]
) -> AlertCounts:
    """Turn matches into alerts; `material` maps listing id to its material hash."""
    counts = AlertCounts()
    now = clock.now()
    with private.atomic():
        for query, match in hits:
            key = entry_key(query)
            latest = _latest(private, watchlist_id, key, match.listing_id)
            material_hash = material[match.listing_id]
            if latest and latest["listing_material_hash"] == material_hash:
                if latest["status"] == FALSE_POSITIVE:
                    counts.suppressed += 1
                else:
                    counts.already_open += 1
                    private["alerts"].update(
                        latest["id"],
                        {"last_run_id": run_id, "updated": now, "score": match.score, "explanation": match.explanation},
                    )
                continue
            explanation = match.explanation
            if latest and latest["status"] == FALSE_POSITIVE:
                explanation = f"listing changed since alert {latest['id']} was dismissed; {explanation}"
            private["alerts"].insert(
                {
                    "watchlist_id": watchlist_id,
                    "entry_key": key,
                    "counterparty": query.name,
                    "country": query.country,
                    "listing_id": match.listing_id,
                    "listed_name": match.name,
                    "alias": match.alias,
                    "source": match.source,
                    "list_code": match.list_code,
                    "score": match.score,
                    "explanation": explanation,
                    "listing_material_hash": material_hash,
                    "status": OPEN,
                    "created": now,
                    "updated": now,
                    "first_run_id": run_id,
                    "last_run_id": run_id,
                }
            )
            counts.new += 1
    return counts


def _latest(private: Database, watchlist_id: int, key: str, listing_id: str) -> dict[str, Any] | None:
    return next(
        private.query(
            "SELECT * FROM alerts WHERE watchlist_id = ? AND entry_key = ? AND listing_id = ? ORDER BY id DESC LIMIT 1",
            [watchlist_id, key, listing_id],
        ),
        None,
    )


def list_alerts(private: Database, status: str | None = None, watchlist_id: int | None = None) -> list[dict[str, Any]]:
    if not private["alerts"].exists():
        return []
    where, params = [], []
    if status:
        where.append("a.status = ?")
        params.append(status)
    if watchlist_id is not None:
        where.append("a.watchlist_id = ?")
        params.append(watchlist_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return list(
        private.query(
            f"SELECT a.*, w.name AS watchlist FROM alerts a JOIN watchlists w ON w.id = a.watchlist_id {clause} "
            "ORDER BY a.id",
            params,
        )
    )
