"""Datasette's table pages as people read them: the columns read first, in that order.

A table page shows these columns unless the reader chooses (`_col`, `_nocol`) or
asks for every column (`_all_columns=1`); CSV and JSON exports always carry every
column.
"""

from __future__ import annotations

from typing import Any

READING_ORDER = {
    "listings": (
        "name",
        "alt_names",
        "list_code",
        "country",
        "entity_type",
        "programs",
        "start_date",
        "removed_on",
        "dimensions",
        "industries",
        "source",
    ),
    "documents": (
        "title",
        "publication_date",
        "type",
        "jurisdiction",
        "publisher",
        "citation",
        "dimensions",
        "industries",
        "source",
    ),
    "changes": ("at", "kind", "item_type", "name", "list_code", "source", "fields", "run_id"),
    "crawl_runs": (
        "id",
        "spider",
        "status",
        "started",
        "finished",
        "items_seen",
        "added",
        "modified",
        "removed",
        "restored",
        "source_url",
        "warnings",
        "error",
    ),
    "source_health": (
        "spider",
        "status",
        "last_success",
        "last_failure",
        "last_error",
        "item_count",
        "last_changed",
        "publisher",
        "jurisdiction",
        "schedule",
        "live_url",
    ),
    "sources": ("spider", "publisher", "jurisdiction", "license", "license_url", "live_url", "kind", "schedule"),
}
CHOOSING = ("_col", "_nocol", "_all_columns")


def column_order(table: str | None, display_columns: list[Any], request: Any) -> list[int]:
    """Indexes into `display_columns` to show, in reading order."""
    names = [column["name"] if isinstance(column, dict) else column.name for column in display_columns]
    order = READING_ORDER.get(table or "")
    if order is None or (request is not None and any(key in request.args for key in CHOOSING)):
        return list(range(len(names)))
    return [names.index(name) for name in order if name in names]


def all_columns_url(request: Any) -> str:
    """This page with every column shown."""
    query = request.query_string
    return f"{request.path}?{query + '&' if query else ''}_all_columns=1"
