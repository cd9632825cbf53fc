"""The sent log (`digest_log`): what each subscriber was sent, and where their next digest starts.

Exactly once: a digest is written here as `pending`, with the whole message, before the SMTP
server is asked; it becomes `sent` only once the server has accepted it, and only a `sent` (or
`empty`) row moves the subscriber's place on. A `failed` row moves nothing, so the next run
composes from the same place again and nothing is lost. A `pending` row left by a run that died
while sending is sent again byte for byte (same Message-ID) before anything new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pipeline.digest.subscriptions import Subscription
from spiders.kit import clock

PENDING, SENT, FAILED, EMPTY = "pending", "sent", "failed", "empty"


@dataclass(frozen=True)
class Place:
    """Where a subscriber's next digest starts: after these ids, and since when (for the reader)."""

    after_change_id: int
    after_alert_id: int
    since: str  # the previous digest's time, or when they subscribed
    first: bool  # no digest yet
    first_since: str | None = None  # a first digest that failed started at this time (--since): so does its retry


def place(private: Database, subscription: Subscription) -> Place:
    row = next(
        private.query(
            "SELECT upto_change_id, upto_alert_id, finished FROM digest_log "
            "WHERE subscription_id = ? AND status IN (?, ?) ORDER BY id DESC LIMIT 1",
            [subscription.id, SENT, EMPTY],
        ),
        None,
    )
    if row is None:
        earlier = private.execute(
            "SELECT min(since) FROM digest_log WHERE subscription_id = ? AND status IN (?, ?)",
            [subscription.id, FAILED, PENDING],
        ).fetchone()[0]
        return Place(subscription.start_change_id, subscription.start_alert_id, subscription.created, True, earlier)
    return Place(row["upto_change_id"], row["upto_alert_id"], row["finished"], False)


def pending(private: Database, subscription: Subscription) -> dict[str, Any] | None:
    """A digest whose sending was interrupted: the server may or may not have it."""
    return next(
        private.query(
            "SELECT * FROM digest_log WHERE subscription_id = ? AND status = ? ORDER BY id LIMIT 1",
            [subscription.id, PENDING],
        ),
        None,
    )


def sent_surges(private: Database, subscription: Subscription) -> dict[tuple[str, str], int]:
    """Each surge (series, week) already sent to this subscriber, with the largest count sent."""
    sent: dict[tuple[str, str], int] = {}
    for (summary,) in private.execute(
        "SELECT summary FROM digest_log WHERE subscription_id = ? AND status = ? AND summary LIKE '%\"surges\"%'",
        [subscription.id, SENT],
    ):
        for series, week, count in json.loads(summary).get("surges", []):
            sent[(series, week)] = max(sent.get((series, week), 0), count)
    return sent


def told_today(private: Database, subscription: Subscription) -> bool:
    """Whether this subscriber was sent a digest today (UTC): a digest with nothing new goes at most daily."""
    today = clock.today()
    return bool(
        private.execute(
            "SELECT 1 FROM digest_log WHERE subscription_id = ? AND status = ? AND substr(finished, 1, 10) = ?",
            [subscription.id, SENT, today],
        ).fetchone()
    )


def begin(
    private: Database,
    subscription: Subscription,
    *,
    status: str,
    after: Place,
    upto_change_id: int,
    upto_alert_id: int,
    since: str | None,
    summary: dict[str, Any],
    message_id: str | None = None,
    message: str | None = None,
) -> int:
    """Write a log row (`pending` before sending, `empty` for a window with nothing to send)."""
    now = clock.now()
    with private.atomic():
        return (
            private["digest_log"]
            .insert(
                {
                    "subscription_id": subscription.id,
                    "email": subscription.email,
                    "status": status,
                    "created": now,
                    "finished": now if status == EMPTY else None,
                    "message_id": message_id,
                    "after_change_id": after.after_change_id,
                    "upto_change_id": upto_change_id,
                    "after_alert_id": after.after_alert_id,
                    "upto_alert_id": upto_alert_id,
                    "since": since,
                    "summary": json.dumps(summary, sort_keys=True, ensure_ascii=False),
                    "message": message,
                    "attempts": 0,
                }
            )
            .last_pk
        )


def finish(private: Database, log_id: int, status: str, error: str | None = None) -> None:
    """Record how one attempt to send ended: `sent`, `failed`, or still `pending` (its outcome unknown).

    A failed message is not kept: nobody received it, and the next run composes its window afresh.
    """
    keep = "message" if status != FAILED else "NULL"
    with private.atomic():
        private.execute(
            f"UPDATE digest_log SET status = ?, finished = ?, error = ?, attempts = attempts + 1, message = {keep} "
            "WHERE id = ?",
            [status, clock.now(), error, log_id],
        )


def entries(private: Database, subscription_id: int | None = None) -> list[dict[str, Any]]:
    """The log, oldest first, without the messages themselves."""
    where, params = ("WHERE subscription_id = ?", [subscription_id]) if subscription_id is not None else ("", [])
    return list(
        private.query(
            "SELECT id, subscription_id, email, status, created, finished, message_id, after_change_id, "
            f"upto_change_id, after_alert_id, upto_alert_id, since, summary, attempts, error FROM digest_log {where} "
            "ORDER BY id",
            params,
        )
    )
