"""Who receives a digest, and what they follow: the `digest_subscriptions` table of the private database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pipeline.store.changes import ChangeFilter
from spiders.kit import clock


class UnknownSubscriber(LookupError):
    """No subscription for this address."""


@dataclass(frozen=True)
class Subscription:
    id: int
    email: str
    name: str | None
    filters: ChangeFilter
    watchlist: str | None
    confirm_empty: bool
    created: str
    start_change_id: int
    start_alert_id: int

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Subscription:
        filters = {key: tuple(values) for key, values in json.loads(row["filters"] or "{}").items()}
        return cls(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            filters=ChangeFilter(**filters),
            watchlist=row["watchlist"],
            confirm_empty=bool(row["confirm_empty"]),
            created=row["created"],
            start_change_id=row["start_change_id"],
            start_alert_id=row["start_alert_id"],
        )

    def describe(self) -> str:
        """What this subscriber follows, in one line."""
        parts = [f"{key} {', '.join(values)}" for key, values in self.filters.as_dict().items()]
        if self.watchlist:
            parts.append(f"watchlist {self.watchlist}")
        return "; ".join(parts) or "everything"


def subscribe(
    private: Database,
    email: str,
    *,
    name: str | None,
    filters: ChangeFilter,
    watchlist: str | None,
    confirm_empty: bool,
    latest_change_id: int,
    latest_alert_id: int,
) -> tuple[Subscription, bool]:
    """Subscribe `email`, or replace what an existing subscriber follows (their name, unless a new one is
    given, and their place in the log are kept). Returns the subscription and whether it is new.
    """
    now = clock.now()
    facts = {
        "filters": json.dumps(filters.as_dict(), sort_keys=True),
        "watchlist": watchlist,
        "confirm_empty": int(confirm_empty),
        "updated": now,
    }
    with private.atomic():
        existing = private.execute("SELECT id FROM digest_subscriptions WHERE email = ?", [email]).fetchone()
        if name is not None:
            facts["name"] = name
        if existing:
            private["digest_subscriptions"].update(existing[0], facts)
        else:
            private["digest_subscriptions"].insert(
                {
                    "email": email,
                    **facts,
                    "created": now,
                    "start_change_id": latest_change_id,
                    "start_alert_id": latest_alert_id,
                }
            )
    return find(private, email), not existing


def unsubscribe(private: Database, email: str) -> Subscription:
    """Remove a subscription; what was sent to it stays in the log."""
    subscription = find(private, email)
    with private.atomic():
        private.execute("DELETE FROM digest_subscriptions WHERE id = ?", [subscription.id])
    return subscription


def find(private: Database, email: str) -> Subscription:
    row = next(private.query("SELECT * FROM digest_subscriptions WHERE email = ?", [email]), None)
    if row is None:
        known = ", ".join(s.email for s in all_subscriptions(private)) or "none"
        raise UnknownSubscriber(f"no subscription for {email} (subscribers: {known})")
    return Subscription.from_row(row)


def all_subscriptions(private: Database) -> list[Subscription]:
    return [Subscription.from_row(row) for row in private.query("SELECT * FROM digest_subscriptions ORDER BY id")]
