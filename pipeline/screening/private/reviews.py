"""Review decisions on alerts: who decided what, when, and on which version of the listing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from pipeline.screening.errors import UnknownAlert, UnknownCounterparty
from pipeline.screening.private.alerts import CONFIRMED, FALSE_POSITIVE, OPEN
from spiders.kit import clock

DECISIONS = (FALSE_POSITIVE, CONFIRMED)


@dataclass
class BulkReview:
    watchlist: str
    counterparty_id: str | None
    counterparty: str
    review_ids: list[int]


def review(private: Database, alert_id: int, decision: str, note: str, reviewer: str) -> int:
    """Record a decision on an alert and set the alert's status; returns the review's id."""
    alert = (
        next(private.query("SELECT * FROM alerts WHERE id = ?", [alert_id]), None)
        if private["alerts"].exists()
        else None
    )
    if alert is None:
        raise UnknownAlert(f"no alert {alert_id} (list them with `chokepoint alerts`)")
    with private.atomic():
        return _decide(private, alert, decision, note, reviewer, clock.now())


def review_all_for(
    private: Database, counterparty: str, decision: str, note: str, reviewer: str, watchlist: str | None = None
) -> BulkReview:
    """One decision on every open alert of a counterparty, named by the firm's own id (or, when no
    alert carries that id, by its name as written in the watchlist)."""
    where = "a.status = ? AND (a.counterparty_id = ? OR (a.counterparty_id IS NULL AND a.counterparty = ?))"
    params: list = [OPEN, counterparty, counterparty]
    if watchlist is not None:
        where += " AND w.name = ?"
        params.append(watchlist)
    alerts = list(
        private.query(
            f"SELECT a.*, w.name AS watchlist FROM alerts a JOIN watchlists w ON w.id = a.watchlist_id "
            f"WHERE {where} ORDER BY a.id",
            params,
        )
    )
    if not alerts:
        within = f" in watchlist {watchlist!r}" if watchlist else ""
        raise UnknownCounterparty(f"no open alerts for counterparty {counterparty!r}{within} (`chokepoint alerts`)")
    watchlists = sorted({alert["watchlist"] for alert in alerts})
    if len(watchlists) > 1:
        raise UnknownCounterparty(
            f"counterparty {counterparty!r} has open alerts in {len(watchlists)} watchlists ({', '.join(watchlists)}): "
            "name one with --watchlist"
        )
    now = clock.now()
    with private.atomic():
        ids = [_decide(private, alert, decision, note, reviewer, now) for alert in alerts]
    first = alerts[0]
    return BulkReview(first["watchlist"], first["counterparty_id"], first["counterparty"], ids)


def _decide(private: Database, alert: dict, decision: str, note: str, reviewer: str, now: str) -> int:
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    review_id = (
        private["reviews"]
        .insert(
            {
                "alert_id": alert["id"],
                "decision": decision,
                "note": note,
                "reviewer": reviewer,
                "decided_at": now,
                "listing_material_hash": alert["listing_material_hash"],
            }
        )
        .last_pk
    )
    private["alerts"].update(alert["id"], {"status": decision, "updated": now})
    return review_id


def reviews_of(private: Database, alert_id: int) -> list[dict]:
    return list(private.query("SELECT * FROM reviews WHERE alert_id = ? ORDER BY id", [alert_id]))
