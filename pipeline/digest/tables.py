"""The digest's tables in the private database: subscriptions and the sent log.

They are entries of their own in the private database's migration set (named `digest_...`, kept
here rather than in screening's migrations, so each part adds its tables without touching the
other's). `open_private` applies them once this module is imported; `open_digest_db` makes sure.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from pipeline.screening.private.database import migrations, open_private


def open_digest_db(path: Path) -> Database:
    """The private database with the digest's tables."""
    return open_private(path)


@migrations(name="digest_m001_subscriptions_and_log")
def digest_m001_subscriptions_and_log(db: Database) -> None:
    # One subscription per address. start_* is where a first digest starts: the newest change and
    # alert when the address subscribed (a first digest with --since starts at that time instead).
    db["digest_subscriptions"].create(
        {
            "id": int,
            "email": str,
            "name": str,
            "filters": str,  # JSON: sources, lists, jurisdictions, dimensions, industries
            "watchlist": str,  # exposure from this watchlist only; NULL: every watchlist
            "confirm_empty": int,  # 1: a daily "nothing changed" message naming the sources checked
            "created": str,
            "updated": str,
            "start_change_id": int,
            "start_alert_id": int,
        },
        pk="id",
        not_null={"email"},
    )
    db["digest_subscriptions"].create_index(["email"], unique=True)
    # One row per digest composed for a subscriber: `pending` is written (with the message) before
    # the SMTP server is asked, then becomes `sent` or `failed`; `empty` marks a window that held
    # nothing for them. A subscriber's next window starts after the last `sent` or `empty` row.
    db["digest_log"].create(
        {
            "id": int,
            "subscription_id": int,
            "email": str,
            "status": str,
            "created": str,
            "finished": str,
            "message_id": str,
            "after_change_id": int,
            "upto_change_id": int,
            "after_alert_id": int,
            "upto_alert_id": int,
            "since": str,
            "summary": str,  # JSON: what the digest held, and the sources it named as failing or stale
            "message": str,  # the message as sent (RFC 5322 text): what the subscriber received
            "attempts": int,
            "error": str,
        },
        pk="id",
    )
    db["digest_log"].create_index(["subscription_id", "status"])
