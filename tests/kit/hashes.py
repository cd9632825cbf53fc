"""A content hash of every published table, to tell a crawl that changed nothing from one that did."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

# The run log is checked row by row; the registry is rewritten (identically) before every crawl.
NOT_HASHED = {"crawl_runs", "sources"}
# What every successful crawl touches without changing what a listing or document says.
BOOKKEEPING = {"last_seen", "last_run_id"}


def table_hashes(db_path: Path, content_only: bool = False) -> dict[str, str]:
    """{table: sha256 of its rows in rowid order}; `content_only` leaves out the columns a no-change crawl touches."""
    connection = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if name not in NOT_HASHED and not name.startswith("sqlite_")
        ]
        hashes = {}
        for table in tables:
            try:
                cursor = connection.execute(f"SELECT * FROM [{table}] ORDER BY rowid")
            except sqlite3.OperationalError:  # a WITHOUT ROWID table (FTS5's config) reads in key order
                cursor = connection.execute(f"SELECT * FROM [{table}]")
            columns = [d[0] for d in cursor.description]
            keep = [i for i, c in enumerate(columns) if not (content_only and c in BOOKKEEPING)]
            digest = hashlib.sha256()
            for row in cursor:
                digest.update(repr([row[i] for i in keep]).encode())
            hashes[table] = digest.hexdigest()
        return hashes
    finally:
        connection.close()


def runs(db_path: Path) -> list[dict]:
    connection = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute("SELECT * FROM crawl_runs ORDER BY id")]
    finally:
        connection.close()
