"""Applying one crawl's documents to the `documents` table. Documents are never removed."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from pipeline.store.records import (
    ApplyCounts,
    chunks,
    content_hash,
    diff,
    insert_rows,
    lost_values,
    to_json,
    to_row,
    update_row,
    value_losses,
)


def document_row(record: dict[str, Any]) -> dict[str, Any]:
    row = to_row(record)
    row["content_hash"] = content_hash(record)
    return row


@dataclass
class DocumentsPlan:
    """What applying one crawl's documents would do, worked out before anything is written (the gate checks it)."""

    rows: dict[str, dict[str, Any]]  # the rows to write, by id (a stored full text kept when none was fetched)
    existing: dict[str, dict[str, Any]]  # the stored rows among them
    new_ids: list[str]
    changed_ids: list[str]
    seen_ids: list[str]  # stored and unchanged
    lost: dict[str, Counter] = field(default_factory=dict)  # per source, per field: documents losing a stored value
    holding: dict[str, Counter] = field(default_factory=dict)  # per source, per field: re-seen documents with a value
    seen_fields: set[str] = field(default_factory=set)  # fields some document of the crawl has


def plan_documents(db: Database, records: list[dict[str, Any]]) -> DocumentsPlan:
    """Compare a crawl's documents with the stored ones, without writing anything."""
    by_id = {record["id"]: record for record in records}
    existing: dict[str, dict[str, Any]] = {}
    for batch in chunks(list(by_id)):
        marks = ",".join("?" * len(batch))
        existing.update((row["id"], row) for row in db.query(f"SELECT * FROM documents WHERE id IN ({marks})", batch))
    plan = DocumentsPlan(rows={}, existing=existing, new_ids=[], changed_ids=[], seen_ids=[])
    for row_id, record in by_id.items():
        row = document_row(record)
        old = existing.get(row_id)
        if old is not None and old["content_hash"] != row["content_hash"]:
            if row.get("full_text") is None and old.get("full_text"):
                # A crawl without --full-text must not erase the text an earlier crawl fetched.
                row = document_row({**record, "full_text": old["full_text"]})
        plan.rows[row_id] = row
        if old is None:
            plan.new_ids.append(row_id)
        elif old["content_hash"] == row["content_hash"]:
            plan.seen_ids.append(row_id)
        else:
            plan.changed_ids.append(row_id)
            plan.lost.setdefault(old["source"], Counter()).update(lost_values(old, row))
    plan.holding, plan.seen_fields = value_losses(
        db,
        "documents",
        "source",
        "t.id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(existing))],
        plan.lost,
        records,
    )
    return plan


def apply_documents(
    db: Database, run_id: int, records: list[dict[str, Any]], now: str, plan: DocumentsPlan | None = None
) -> ApplyCounts:
    """Insert new documents, update changed ones (a corrected abstract, a fetched full text).

    `plan` is the gate's `plan_documents` of the same records (worked out again when not given).
    """
    counts = ApplyCounts()
    with db.atomic():
        plan = plan or plan_documents(db, records)
        changes = []
        new_rows = []
        for row_id in plan.new_ids:
            row = plan.rows[row_id]
            row.update(first_seen=now, last_seen=now, last_changed=now, first_run_id=run_id, last_run_id=run_id)
            new_rows.append(row)
            changes.append(_change(row, "added", None))
        for row_id in plan.changed_ids:
            row = plan.rows[row_id]
            changes.append(_change(row, "modified", to_json(diff(plan.existing[row_id], row))))
            row.update(last_seen=now, last_changed=now, last_run_id=run_id)
            update_row(db, "documents", row)
        insert_rows(db, "documents", new_rows)
        for batch in chunks(plan.seen_ids):
            db.execute(
                f"UPDATE documents SET last_seen = ?, last_run_id = ? WHERE id IN ({','.join('?' * len(batch))})",
                [now, run_id, *batch],
            )
        for change in changes:
            change.update(run_id=run_id, at=now, item_type="document")
        insert_rows(db, "changes", changes)
    counts.added = len(plan.new_ids)
    counts.modified = len(plan.changed_ids)
    counts.unchanged = len(plan.seen_ids)
    counts.changed_ids = plan.new_ids + plan.changed_ids
    return counts


def _change(row: dict[str, Any], kind: str, fields: str | None) -> dict[str, Any]:
    return {
        "item_id": row["id"],
        "source": row["source"],
        "list_code": None,
        "name": row["title"],
        "kind": kind,
        "fields": fields,
    }
