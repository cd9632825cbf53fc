"""Datasette on the published database, described by datasette_metadata.json (at the repository's top).

The database is always published as `chokepoint` (/chokepoint/listings...),
whatever its file is called, and opened immutable: Datasette reads it without
locks or change checks, and nothing served can write to it. Plugins are the
modules in `plugins/`; page templates are in `templates/`, the stylesheet in `static/`.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from pipeline.screening.private.database import private_tables

METADATA_FILE = Path(__file__).resolve().parents[2] / "datasette_metadata.json"
PLUGINS_DIR = Path(__file__).resolve().parent / "plugins"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
DATABASE = "chokepoint"
SETTINGS = {
    "default_page_size": 50,
    # A public site answers every query within these bounds; a bigger answer is one CSV/JSON export away.
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 1000,
    "facet_time_limit_ms": 500,
    # Datasette's suggestions cost about a hundred extra queries per page and fill the page (issue 16).
    "suggest_facets": False,
}


class DatabaseBusy(RuntimeError):
    """The database has writes not yet in its main file (a crawl is running): serving it immutable would hide them."""


class PrivateDatabase(ValueError):
    """The database holds private tables (watchlists, alerts...): the site never serves it."""


def refuse_private(db_path: Path) -> None:
    """PrivateDatabase when `db_path` holds any private table; the file is opened read-only to look."""
    connection = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = private_tables(Database(connection))
    finally:
        connection.close()
    if found:
        raise PrivateDatabase(
            f"{db_path} holds private data ({', '.join(found)}): the site serves only the published database "
            "(e.g. --db data/chokepoint.db)"
        )


def metadata() -> dict[str, Any]:
    return json.loads(METADATA_FILE.read_text())


def make_datasette(db_path: Path):
    """A Datasette serving `db_path` as the immutable database `chokepoint` (its write-ahead log folded in first).

    PrivateDatabase when it holds private tables; DatabaseBusy while a crawl is writing to it.
    """
    from datasette.app import Datasette
    from datasette.database import Database as DatasetteDatabase

    refuse_private(db_path)
    settle(db_path)

    datasette = Datasette(
        metadata=metadata(),
        settings=SETTINGS,
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        static_mounts=[("assets", str(STATIC_DIR))],
    )
    datasette.remove_database("_memory")  # Datasette adds a scratch database when given no file
    datasette.add_database(DatasetteDatabase(datasette, path=str(db_path), is_mutable=False), name=DATABASE)
    return datasette


def settle(db_path: Path) -> None:
    """Move a finished crawl's write-ahead log into the database file, or say that a crawl is still writing.

    An immutable reader never looks at the `-wal` file: what a crawl wrote there
    would be silently missing from the site.
    """
    wal = Path(f"{db_path}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return
    connection = sqlite3.connect(db_path)
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    if busy:
        raise DatabaseBusy(f"{db_path} is being written to (a crawl is running): serve it when the crawl has finished")


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    import uvicorn

    datasette = make_datasette(db_path)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
