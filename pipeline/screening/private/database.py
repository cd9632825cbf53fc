"""The private database: watchlists, alerts, reviews, screening receipts, and the digest's subscriptions and sent log.

Its own file (default data/private/private.db) with its own recorded migrations. The
published database and the Datasette site never see it; nothing here is ever
written into the published file. The file is readable by its owner only (0600,
and SQLite gives its -wal and -shm files the same mode), in a directory of its
own that only its owner can enter (0700) when this code creates it.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database, Migrations

from pipeline.screening.errors import NoPrivateDatabase

migrations = Migrations("chokepoint-private")
# The tables its migrations create; a database holding any of them is private (the site refuses it).
PRIVATE_TABLES = (
    "watchlists",
    "watchlist_entries",
    "screening_runs",
    "screening_results",
    "alerts",
    "reviews",
    "digest_subscriptions",
    "digest_log",
)


def private_tables(db: Database) -> list[str]:
    """The private tables `db` holds ([] for a published database): by name, or by its recorded migrations."""
    found = [name for name in PRIVATE_TABLES if db[name].exists()]
    if db[migrations.migrations_table].exists():
        applied = db.execute(
            f"SELECT count(*) FROM [{migrations.migrations_table}] WHERE migration_set = ?", [migrations.name]
        ).fetchone()[0]
        if applied and not found:
            found = [f"{migrations.name} migrations"]
    return found


def open_private(path: Path) -> Database:
    """The private database at `path`, created and brought up to date if needed."""
    path = Path(path)
    if not path.parent.exists():
        path.parent.mkdir(parents=True)
        path.parent.chmod(0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)  # also tightens a file an older version created world-readable
    db = Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    migrations.apply(db)
    return db


def open_existing(path: Path) -> Database:
    """The private database at `path` for a command that only reads or reviews: never created here."""
    if not Path(path).exists():
        raise NoPrivateDatabase(
            f"{path} does not exist: no watchlist or screening is recorded there yet "
            "(`chokepoint watchlist add NAME FILE`, or name the file with --private-db)"
        )
    return open_private(path)


@migrations()
def m001_screening(db: Database) -> None:
    db["watchlists"].create(
        {
            "id": int,
            "name": str,
            "created": str,
            "updated": str,
            "source_file": str,
            "input_sha256": str,
            "entries": int,
        },
        pk="id",
        not_null={"name"},
    )
    db["watchlists"].create_index(["name"], unique=True)
    # entry_key identifies a counterparty across re-uploads (name, country, the firm's own id),
    # so a reviewed alert stays reviewed when the firm sends its list again.
    db["watchlist_entries"].create(
        {
            "id": int,
            "watchlist_id": int,
            "row_number": int,
            "entry_key": str,
            "name": str,
            "country": str,
            "counterparty_id": str,
            "address": str,
        },
        pk="id",
        foreign_keys=[("watchlist_id", "watchlists", "id")],
    )
    db["watchlist_entries"].create_index(["watchlist_id"])
    db["screening_runs"].create(
        {
            "id": int,
            "kind": str,
            "started": str,
            "finished": str,
            "input_name": str,
            "input_sha256": str,
            "watchlist_id": int,
            "crawl_run_id": int,
            "matcher": str,
            "threshold": float,
            "lists": str,
            "list_versions": str,
            "queries": int,
            "matches": int,
            "skipped_rows": str,
            "results_sha256": str,
        },
        pk="id",
    )
    db["screening_results"].create(
        {
            "id": int,
            "run_id": int,
            "row_number": int,
            "query": str,
            "country": str,
            "counterparty_id": str,
            "listing_id": str,
            "listed_name": str,
            "alias": str,
            "source": str,
            "list_code": str,
            "score": float,
            "match": int,
            "explanation": str,
        },
        pk="id",
        foreign_keys=[("run_id", "screening_runs", "id")],
    )
    db["screening_results"].create_index(["run_id"])
    db["alerts"].create(
        {
            "id": int,
            "watchlist_id": int,
            "entry_key": str,
            "counterparty": str,
            "country": str,
            "listing_id": str,
            "listed_name": str,
            "alias": str,
            "source": str,
            "list_code": str,
            "score": float,
            "explanation": str,
            "listing_material_hash": str,
            "status": str,
            "created": str,
            "updated": str,
            "first_run_id": int,
            "last_run_id": int,
        },
        pk="id",
        foreign_keys=[("watchlist_id", "watchlists", "id")],
    )
    db["alerts"].create_index(["watchlist_id", "entry_key", "listing_id"])
    db["alerts"].create_index(["status"])
    db["reviews"].create(
        {
            "id": int,
            "alert_id": int,
            "decision": str,
            "note": str,
            "reviewer": str,
            "decided_at": str,
            "listing_material_hash": str,
        },
        pk="id",
        foreign_keys=[("alert_id", "alerts", "id")],
    )
    db["reviews"].create_index(["alert_id"])


@migrations()
def m002_watchlist_versions(db: Database) -> None:
    """Every version of a watchlist is kept (a replaced list can always be read back), and a
    removed watchlist is marked removed, not deleted: its alerts and reviews stay for auditors."""
    db["watchlist_versions"].create(
        {
            "id": int,
            "watchlist_id": int,
            "version": int,
            "saved": str,
            "source_file": str,
            "input_sha256": str,
            "entries": int,
            "file_rows": int,  # rows under the header, read or not
            "not_read": str,  # JSON: one line per row that could not be read
        },
        pk="id",
        foreign_keys=[("watchlist_id", "watchlists", "id")],
    )
    db["watchlist_versions"].create_index(["watchlist_id", "version"], unique=True)
    db["watchlist_entries"].add_column("version_id", int)
    db["watchlists"].add_column("version_id", int)
    db["watchlists"].add_column("removed", str)
    for watchlist in list(db.query("SELECT * FROM watchlists")):  # what was stored before versions: version 1
        version_id = (
            db["watchlist_versions"]
            .insert(
                {
                    "watchlist_id": watchlist["id"],
                    "version": 1,
                    "saved": watchlist["updated"],
                    "source_file": watchlist["source_file"],
                    "input_sha256": watchlist["input_sha256"],
                    "entries": watchlist["entries"],
                    "file_rows": watchlist["entries"],
                    "not_read": "[]",
                }
            )
            .last_pk
        )
        db.execute("UPDATE watchlist_entries SET version_id = ? WHERE watchlist_id = ?", [version_id, watchlist["id"]])
        db["watchlists"].update(watchlist["id"], {"version_id": version_id})
    db["watchlist_entries"].create_index(["version_id"])


@migrations()
def m003_alert_groups_and_delistings(db: Database) -> None:
    """Alerts carry the firm's own id for the counterparty (grouping), a kind ('listed', or
    'delisted' when a matched listing left its list) and, on a listed alert, when that happened."""
    db["alerts"].add_column("counterparty_id", str)
    db["alerts"].add_column("kind", str, not_null_default="listed")
    db["alerts"].add_column("delisted_on", str)
    db["alerts"].add_column("delisted_run_id", int)  # the crawl run (published database) that removed the listing
    db.execute(
        """
        UPDATE alerts SET counterparty_id = (
            SELECT e.counterparty_id FROM watchlist_entries e
            WHERE e.watchlist_id = alerts.watchlist_id AND e.entry_key = alerts.entry_key LIMIT 1)
        """
    )
    db["alerts"].create_index(["listing_id"])
    db["alerts"].create_index(["created"])


@migrations()
def m004_receipt_warnings(db: Database) -> None:
    """What a screening knew it could not vouch for (stale lists allowed, a file read as Windows-1252)."""
    db["screening_runs"].add_column("warnings", str)


@migrations()
def m005_digest_subscriptions_and_log(db: Database) -> None:
    """The digest's subscriptions (who gets what) and its sent log (what each subscriber received): private,
    like the watchlists they name (pipeline/digest/subscriptions.py and log.py read and write them)."""
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
