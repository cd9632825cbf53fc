"""Alerts: a watchlisted counterparty that matches a listing, kept until someone decides.

One alert per counterparty, listing and version of the listing's identity. A hit
already alerted is not alerted again; a hit dismissed as a false positive stays
quiet until the listing itself changes materially (MATERIAL_FIELDS), when it is
raised afresh. When a matched listing leaves its list, the alert says so and a
"delisted" alert is raised: a delisting matters as much as a listing.

Alerts are worked through per counterparty (`alert_groups`): one vendor matching
24 affiliates of a listed group is one group of 24 alerts, under the firm's own id.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pipeline.screening.match.screener import Match, Query
from pipeline.screening.private.receipts import match_columns
from pipeline.screening.private.watchlists import entry_key
from pipeline.store.listed import IDENTITY_FIELDS
from spiders.kit import clock

OPEN, CONFIRMED, FALSE_POSITIVE = "open", "confirmed", "false_positive"
STATUSES = (OPEN, CONFIRMED, FALSE_POSITIVE)
LISTED, DELISTED = "listed", "delisted"  # an alert's kind: a match on a listing, or that listing's removal
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
            if latest and latest["listing_material_hash"] == material_hash and not latest["delisted_on"]:
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
            if latest and latest["delisted_on"]:
                explanation = f"listed again since alert {latest['id']} saw it removed; {explanation}"
            elif latest and latest["status"] == FALSE_POSITIVE:
                explanation = f"listing changed since alert {latest['id']} was dismissed; {explanation}"
            private["alerts"].insert(
                {
                    "watchlist_id": watchlist_id,
                    "entry_key": key,
                    "counterparty": query.name,
                    "counterparty_id": query.id,
                    "kind": LISTED,
                    "country": query.country,
                    **match_columns(match),
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
            "SELECT * FROM alerts WHERE watchlist_id = ? AND entry_key = ? AND listing_id = ? AND kind = 'listed' "
            "ORDER BY id DESC LIMIT 1",
            [watchlist_id, key, listing_id],
        ),
        None,
    )


def record_delistings(private: Database, removed_ids: list[str], crawl_run_id: int) -> dict[str, int]:
    """The listings a crawl marked removed: every open or confirmed alert on one of them (in a watchlist
    still screened) says so, and a "delisted" alert is raised beside it. Returns new alerts per watchlist."""
    if not removed_ids or not private["alerts"].exists():
        return {}
    now = clock.now()
    raised: dict[str, int] = {}
    with private.atomic():
        matched = list(
            private.query(
                """
                SELECT a.*, w.name AS watchlist FROM alerts a JOIN watchlists w ON w.id = a.watchlist_id
                WHERE a.kind = 'listed' AND a.delisted_on IS NULL AND a.status IN (?, ?) AND w.removed IS NULL
                  AND a.listing_id IN (SELECT value FROM json_each(?))
                ORDER BY a.id
                """,
                [OPEN, CONFIRMED, json.dumps(list(removed_ids))],
            )
        )
        for alert in matched:
            private["alerts"].update(alert["id"], {"delisted_on": now, "delisted_run_id": crawl_run_id, "updated": now})
            fields = {key: alert[key] for key in _PARTY_AND_LISTING}
            private["alerts"].insert(
                {
                    **fields,
                    "kind": DELISTED,
                    "explanation": f"{alert['listed_name']} was removed from {alert['list_code']} ({alert['source']}) "
                    f"by crawl run {crawl_run_id}; alert {alert['id']} ({alert['status']}) had matched it",
                    "status": OPEN,
                    "created": now,
                    "updated": now,
                    "delisted_run_id": crawl_run_id,
                }
            )
            raised[alert["watchlist"]] = raised.get(alert["watchlist"], 0) + 1
    return raised


# What a delisted alert repeats of the alert whose listing was removed.
_PARTY_AND_LISTING = (
    "watchlist_id",
    "entry_key",
    "counterparty",
    "counterparty_id",
    "country",
    "listing_id",
    "listed_name",
    "alias",
    "source",
    "list_code",
    "score",
    "listing_material_hash",
)


@dataclass
class AlertGroup:
    """One counterparty of one watchlist, with its alerts (oldest first)."""

    watchlist: str
    watchlist_removed: str | None
    counterparty_id: str | None
    counterparty: str
    country: str | None
    alerts: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "watchlist": self.watchlist,
            "counterparty_id": self.counterparty_id,
            "counterparty": self.counterparty,
            "country": self.country,
            "watchlist_removed": self.watchlist_removed,
            "alerts": [alert_fields(alert) for alert in self.alerts],
        }


def alert_fields(alert: dict[str, Any]) -> dict[str, Any]:
    """An alert as the commands (and a digest) show it."""
    return {
        "id": alert["id"],
        "kind": alert["kind"],
        "status": alert["status"],
        "score": alert["score"],
        "source": alert["source"],
        "list": alert["list_code"],
        "listed_name": alert["listed_name"],
        "alias": alert["alias"],
        "listing_id": alert["listing_id"],
        "raised": alert["created"],
        "updated": alert["updated"],
        "delisted_on": alert["delisted_on"],
        "delisted_run_id": alert["delisted_run_id"],
        "explanation": alert["explanation"],
    }


def alert_groups(
    private: Database,
    *,
    since: str | None = None,
    status: str | None = OPEN,
    watchlist: str | None = None,
    include_removed: bool = False,
) -> list[AlertGroup]:
    """Alerts grouped per counterparty (by watchlist, then the firm's id; those without one last, by name).

    `since` keeps alerts raised on or after that date or time (ISO 8601); `status` one status
    (None: all); `watchlist` one watchlist by name (removed or not); removed watchlists' alerts
    only with `include_removed` or when named.
    """
    groups: dict[tuple, AlertGroup] = {}
    chosen = _alerts(
        private,
        since=since,
        status=status,
        watchlist=watchlist,
        active_only=watchlist is None and not include_removed,
    )
    for alert in chosen:
        key = (alert["watchlist"], alert["entry_key"])
        if key not in groups:
            groups[key] = AlertGroup(
                alert["watchlist"],
                alert["watchlist_removed"],
                alert["counterparty_id"],
                alert["counterparty"],
                alert["country"],
                [],
            )
        groups[key].alerts.append(alert)
    return sorted(
        groups.values(),
        key=lambda group: (
            group.watchlist,
            group.counterparty_id is None,
            group.counterparty_id or "",
            group.counterparty.casefold(),
            group.alerts[0]["id"],
        ),
    )


def list_alerts(private: Database, status: str | None = None, watchlist_id: int | None = None) -> list[dict[str, Any]]:
    """Alerts one by one, oldest first (removed watchlists' too, marked by `watchlist_removed`)."""
    return _alerts(private, status=status, watchlist_id=watchlist_id)


def _alerts(
    private: Database,
    *,
    since: str | None = None,
    status: str | None = None,
    watchlist_id: int | None = None,
    watchlist: str | None = None,
    active_only: bool = False,
) -> list[dict[str, Any]]:
    if not private["alerts"].exists():
        return []
    filters = {
        "a.created >= ?": since,
        "a.status = ?": status,
        "a.watchlist_id = ?": watchlist_id,
        "w.name = ?": watchlist,
    }
    where = [condition for condition, value in filters.items() if value is not None]
    params = [value for value in filters.values() if value is not None]
    if active_only:
        where.append("w.removed IS NULL")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return list(
        private.query(
            f"SELECT a.*, w.name AS watchlist, w.removed AS watchlist_removed "
            f"FROM alerts a JOIN watchlists w ON w.id = a.watchlist_id {clause} ORDER BY a.id",
            params,
        )
    )
