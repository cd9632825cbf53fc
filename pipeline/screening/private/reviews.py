"""Review decisions on alerts: who decided what, when, and on which version of the listing."""

from __future__ import annotations

from sqlite_utils import Database

from pipeline.screening.errors import UnknownAlert
from pipeline.screening.private.alerts import CONFIRMED, FALSE_POSITIVE
from spiders.kit import clock

DECISIONS = (FALSE_POSITIVE, CONFIRMED)


def review(private: Database, alert_id: int, decision: str, note: str, reviewer: str) -> int:
    """Record a decision on an alert and set the alert's status; returns the review's id."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    alert = (
        next(private.query("SELECT * FROM alerts WHERE id = ?", [alert_id]), None)
        if private["alerts"].exists()
        else None
    )
    if alert is None:
        raise UnknownAlert(f"no alert {alert_id} (list them with `chokepoint alerts`)")
    now = clock.now()
    with private.atomic():
        review_id = (
            private["reviews"]
            .insert(
                {
                    "alert_id": alert_id,
                    "decision": decision,
                    "note": note,
                    "reviewer": reviewer,
                    "decided_at": now,
                    "listing_material_hash": alert["listing_material_hash"],
                }
            )
            .last_pk
        )
        private["alerts"].update(alert_id, {"status": decision, "updated": now})
    return review_id


def reviews_of(private: Database, alert_id: int) -> list[dict]:
    return list(private.query("SELECT * FROM reviews WHERE alert_id = ? ORDER BY id", [alert_id]))
