"""The `sources` table (each spider's declared facts) and the `source_health` view that reads it."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from pipeline.store.schema import ensure_schema


def replace_sources(db: Database, facts: list[dict[str, Any]]) -> None:
    ensure_schema(db)
    with db.atomic():
        db["sources"].delete_where()
        db["sources"].insert_all(facts)


def source_health(db: Database) -> list[dict[str, Any]]:
    """One row per registered source: its facts, last success and failure, items, last change."""
    return list(db.query("SELECT * FROM source_health ORDER BY spider"))
