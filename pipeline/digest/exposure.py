"""Section 1, "Your exposure": the alerts a digest reports, per counterparty, read through screening's own
`alerts.alert_groups` (the watchlist's own counterparty id, "listed" alerts and the "delisted" ones a crawl
raised when a matched listing was removed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from pipeline.screening.errors import UnknownWatchlist
from pipeline.screening.private import alerts, watchlists


@dataclass
class Exposure:
    groups: list[dict[str, Any]] = field(default_factory=list)  # AlertGroup.as_dict(), only the window's alerts
    note: str | None = None  # said in the section when it could not be read in full

    @property
    def alerts(self) -> list[dict[str, Any]]:
        return [alert for group in self.groups for alert in group["alerts"]]


def latest_alert_id(private: Database) -> int:
    """The newest alert's id (0 when there is none)."""
    return max((alert["id"] for alert in alerts.list_alerts(private)), default=0)


def exposure(
    private: Database, watchlist: str | None, after_alert_id: int, upto_alert_id: int, since: str | None = None
) -> Exposure:
    """Alerts raised in (after, upto] (and on or after `since`, when given), whatever their review status
    by now, per counterparty: of one watchlist, or of every watchlist still screened when `watchlist` is None.

    Each alert is the listing it matched (or, kind "delisted", the matched listing's removal), the score and
    the matcher's explanation, in the order they were raised.
    """
    if watchlist:
        try:
            watchlists.find(private, watchlist)
        except UnknownWatchlist:
            return Exposure(note=f"watchlist {watchlist!r} no longer exists: no counterparty was checked")
    found = Exposure()
    for group in alerts.alert_groups(private, since=since, status=None, watchlist=watchlist):
        shown = group.as_dict()
        shown["alerts"] = [alert for alert in shown["alerts"] if after_alert_id < alert["id"] <= upto_alert_id]
        if shown["alerts"]:
            found.groups.append(shown)
    return found
