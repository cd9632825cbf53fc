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
    db.executescript("""
        -- One subscription per address. start_* is where a first digest starts: the newest change and
        -- alert when the address subscribed (a first digest with --since starts at that time instead).
        CREATE TABLE digest_subscriptions (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            name TEXT,
            filters TEXT,           -- JSON: sources, lists, jurisdictions, dimensions, industries
            watchlist TEXT,         -- exposure from this watchlist only; NULL: from every watchlist
            confirm_empty INTEGER,  -- 1: a daily "nothing changed" message naming the sources checked
            created TEXT,
            updated TEXT,
            start_change_id INTEGER,
            start_alert_id INTEGER
        );
        -- One row per digest composed for a subscriber: `pending` is written (with the message) before
        -- the SMTP server is asked, then becomes `sent` or `failed`; `empty` marks a window that held
        -- nothing for them. A subscriber's next window starts after the last `sent` or `empty` row.
        CREATE TABLE digest_log (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER,
            email TEXT,
            status TEXT,
            created TEXT,
            finished TEXT,
            message_id TEXT,
            after_change_id INTEGER,
            upto_change_id INTEGER,
            after_alert_id INTEGER,
            upto_alert_id INTEGER,
            since TEXT,
            summary TEXT,           -- JSON: what the digest held, and the sources it named as failing or stale
            message TEXT,           -- the message as sent (RFC 5322 text): what the subscriber received
            attempts INTEGER,
            error TEXT
        );
        CREATE INDEX digest_log_subscription_status ON digest_log (subscription_id, status);
    """)
