"""Turning items into rows: JSON for nested values, a content hash, field-level diffs."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
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
    removed_ids: list[str] = field(default_factory=list)  # marked removed: a delisting screening must report

    def __add__(self, other: "ApplyCounts") -> "ApplyCounts":
        return ApplyCounts(
            self.added + other.added,
            self.modified + other.modified,
            self.removed + other.removed,
            self.restored + other.restored,
            self.unchanged + other.unchanged,
            self.changed_ids + other.changed_ids,
            self.removed_ids + other.removed_ids,
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


def lost_values(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The tracked fields whose stored value `after` drops or replaces; a value only added is no loss.

    Lists lose a value when one of theirs is missing after; `extra` is read key by key
    (`extra.<key>`), so a linked file or a column that disappears upstream is named.
    """
    lost = []
    for key, new in after.items():
        if key in BOOKKEEPING:
            continue
        old = before.get(key)
        if is_empty(old) or old == new:
            continue
        old_value, new_value = decoded(old), decoded(new)
        if isinstance(old_value, list):
            kept = {to_json(value) for value in new_value} if isinstance(new_value, list) else set()
            if any(to_json(value) not in kept for value in old_value):
                lost.append(key)
        elif isinstance(old_value, dict):
            now = new_value if isinstance(new_value, dict) else {}
            lost += [
                f"{key}.{name}" for name, value in old_value.items() if not is_empty(value) and now.get(name) != value
            ]
        else:
            lost.append(key)
    return lost


def is_empty(value: Any) -> bool:
    return value is None or value in ("", "[]", "{}") or value == [] or value == {}


def value_losses(
    db, table: str, group: str, where: str, params: list, lost: dict[str, Counter], records: list[dict[str, Any]]
) -> tuple[dict[str, Counter], set[str]]:
    """For the fields in `lost`: how many stored rows (selected by `where`) hold each, per `group`, and which of
    them some record of the crawl still has. What the gate needs to judge the losses."""
    fields = {name for counts in lost.values() for name in counts}
    return holding_counts(db, table, group, where, params, fields), present_fields(records, fields)


def present_fields(records: list[dict[str, Any]], fields: set[str]) -> set[str]:
    """Which of `fields` (plain, or `extra.<key>`) at least one record has a value in."""
    present = set()
    for record in records:
        for name in fields - present:
            column, _, key = name.partition(".")
            value = (record.get(column) or {}).get(key) if key else record.get(column)
            if not is_empty(value):
                present.add(name)
        if present == fields:
            break
    return present


def holding_counts(db, table: str, group: str, where: str, params: list, fields: set[str]) -> dict[str, Counter]:
    """Per value of `group`, how many rows have a value in each field (plain, or `extra.<key>`).

    `where` selects the rows, naming the table `t` ("t.source = ? AND t.removed_on IS NULL").
    """
    counts: dict[str, Counter] = {}
    columns = sorted(name for name in fields if "." not in name)
    if columns:
        sums = ", ".join(
            f"sum(CASE WHEN [{c}] IS NULL OR [{c}] IN ('', '[]', '{{}}') THEN 0 ELSE 1 END)" for c in columns
        )
        for row in db.execute(
            f"SELECT t.[{group}], {sums} FROM [{table}] t WHERE {where} GROUP BY t.[{group}]", params
        ):
            counts.setdefault(row[0], Counter()).update(dict(zip(columns, row[1:])))
    keys = sorted({name.partition(".")[2] for name in fields if name.startswith("extra.")})
    if keys:
        marks = ",".join("?" * len(keys))
        for value, key, count in db.execute(
            f"SELECT t.[{group}], e.key, count(*) FROM [{table}] t, json_each(t.extra) e "
            f"WHERE {where} "
            f"AND e.key IN ({marks}) AND e.value NOT IN ('', '[]', '{{}}') GROUP BY t.[{group}], e.key",
            [*params, *keys],
        ):
            counts.setdefault(value, Counter())[f"extra.{key}"] += count
    return counts


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
