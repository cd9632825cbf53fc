"""Turning items into rows: JSON for nested values, a content hash, field-level diffs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from pipeline.store import search


@dataclass
class ApplyCounts:
    """What applying one crawl did to the stored rows."""

    added: int = 0
    modified: int = 0
    removed: int = 0
    restored: int = 0
    unchanged: int = 0
    changed_ids: list[str] = field(default_factory=list)  # added, modified or restored: what to classify and screen

    def __add__(self, other: "ApplyCounts") -> "ApplyCounts":
        return ApplyCounts(
            self.added + other.added,
            self.modified + other.modified,
            self.removed + other.removed,
            self.restored + other.restored,
            self.unchanged + other.unchanged,
            self.changed_ids + other.changed_ids,
        )


# Bookkeeping columns the store owns; they never count as a change in the source.
BOOKKEEPING = frozenset(
    {
        "id",
        "content_hash",
        "first_seen",
        "last_seen",
        "last_changed",
        "removed_on",
        "first_run_id",
        "last_run_id",
        "country",
    }
)


# One encoder built once: json.dumps() builds a new one per call, and a big list calls it 100,000 times.
to_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def to_row(record: dict[str, Any]) -> dict[str, Any]:
    """Lists and dicts become JSON text (Datasette shows and facets JSON arrays)."""
    return {key: to_json(value) if value.__class__ in (list, dict) else value for key, value in record.items()}


def content_hash(record: dict[str, Any]) -> str:
    """A hash of the source's fields (one JSON encoding per record: cheap enough to run on every item)."""
    tracked = {key: value for key, value in record.items() if key not in BOOKKEEPING}
    return hashlib.sha1(to_json(tracked).encode()).hexdigest()


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"before": old, "after": new}} for every tracked field that differs."""
    changed = {}
    for key in after:
        if key in BOOKKEEPING:
            continue
        old, new = before.get(key), after.get(key)
        if old != new:
            changed[key] = {"before": decoded(old), "after": decoded(new)}
    return changed


def decoded(value: Any) -> Any:
    """JSON text (a list or object) as the value it encodes, anything else as it is: how the changes table
    stores a field's before and after, and how the site reads a stored list."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def update_row(db, table: str, row: dict[str, Any]) -> None:
    """UPDATE every column of one row by id (never INSERT OR REPLACE: that would bypass the FTS triggers)."""
    columns = [key for key in row if key != "id"]
    assignments = ", ".join(f"[{key}] = ?" for key in columns)
    db.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?", [row[key] for key in columns] + [row["id"]])


def insert_rows(db, table: str, rows: list[dict[str, Any]]) -> None:
    """Plain INSERT of many rows through one prepared statement.

    sqlite-utils' insert_all inspects types and columns batch by batch; a
    14,000-row list pays seconds for that. Columns come from the table itself.
    A bulk load into a table with a search index indexes the new rows in one
    statement at the end instead of one trigger per row.
    """
    if not rows:
        return
    columns = [column.name for column in db[table].columns]
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" * len(columns))
    values = ([row.get(c) for c in columns] for row in rows)
    index = search.INDEXES.get(table)
    if index is None or len(rows) <= max(1000, db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]):
        db.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", values)
        return
    with search.index.paused(db, index):
        db.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", values)


def chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]
