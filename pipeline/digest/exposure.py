"""Section 1, "Your exposure": the alerts a digest reports, read through screening's own functions.

`exposure` is the one place the digest reads alerts. Issue 10 regroups alerts per counterparty
(with the watchlist's own counterparty id) and adds "delisted" alerts; switching the digest to
them is a change to this function only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from pipeline.screening.errors import UnknownWatchlist
from pipeline.screening.private import alerts, watchlists


@dataclass
class Exposure:
    alerts: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None  # said in the section when it could not be read in full


def latest_alert_id(private: Database) -> int:
    """The newest alert's id (0 when there is none)."""
    return max((alert["id"] for alert in alerts.list_alerts(private)), default=0)


def exposure(private: Database, watchlist: str | None, after_alert_id: int, upto_alert_id: int) -> Exposure:
    """Alerts raised in (after, upto]: of one watchlist, or of every one when `watchlist` is None.

    Each alert is the counterparty (with the firm's own id for it), the listing it matched, the score
    and the matcher's explanation, in the order they were raised.
    """
    watchlist_id = None
    if watchlist:
        try:
            watchlist_id = watchlists.find(private, watchlist)["id"]
        except UnknownWatchlist:
            return Exposure(note=f"watchlist {watchlist!r} no longer exists: no counterparty was checked")
    raised = [
        a for a in alerts.list_alerts(private, watchlist_id=watchlist_id) if after_alert_id < a["id"] <= upto_alert_id
    ]
    own_ids: dict[tuple[int, str], str | None] = {}
    for watchlist_id_ in sorted({a["watchlist_id"] for a in raised}):
        for _, query in watchlists.entries(private, watchlist_id_):
            own_ids[(watchlist_id_, watchlists.entry_key(query))] = query.id
    for alert in raised:
        alert["counterparty_id"] = own_ids.get((alert["watchlist_id"], alert["entry_key"]))
    return Exposure(alerts=raised)
