"""Datasette on the published database, described by datasette_metadata.json (at the repository's top).

Plugins are the modules in `plugins/`; page templates, when there are any, go in `templates/`.
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
SETTINGS = {
    "default_page_size": 50,
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
}


def metadata_for(db_path: Path) -> dict[str, Any]:
    """The site metadata, keyed to this database's name (Datasette names a database by its file stem)."""
    metadata = json.loads(METADATA_FILE.read_text())
    databases = metadata.get("databases", {})
    if "chokepoint" in databases and db_path.stem != "chokepoint":
        databases[db_path.stem] = databases.pop("chokepoint")
    return metadata


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


def make_datasette(db_path: Path):
    """Datasette on the published database (PrivateDatabase when it holds private tables)."""
    from datasette.app import Datasette

    refuse_private(db_path)

    templates = str(TEMPLATES_DIR) if TEMPLATES_DIR.is_dir() else None
    return Datasette(
        [str(db_path)],
        metadata=metadata_for(db_path),
        settings=SETTINGS,
        plugins_dir=str(PLUGINS_DIR),
        template_dir=templates,
    )


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    import uvicorn

    datasette = make_datasette(db_path)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
