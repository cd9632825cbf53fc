"""Applying one crawl's documents to the `documents` table. Documents are never removed."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from pipeline.store.records import ApplyCounts, chunks, content_hash, diff, insert_rows, to_json, to_row, update_row


def document_row(record: dict[str, Any]) -> dict[str, Any]:
    row = to_row(record)
    row["content_hash"] = content_hash(record)
    return row


def apply_documents(db: Database, run_id: int, records: list[dict[str, Any]], now: str) -> ApplyCounts:
    """Insert new documents, update changed ones (a corrected abstract, a fetched full text)."""
    counts = ApplyCounts()
    by_id = {record["id"]: record for record in records}
    rows = {row_id: document_row(record) for row_id, record in by_id.items()}
    with db.atomic():
        existing: dict[str, dict[str, Any]] = {}
        for batch in chunks(list(rows)):
            marks = ",".join("?" * len(batch))
            existing.update(
                (row["id"], row) for row in db.query(f"SELECT * FROM documents WHERE id IN ({marks})", batch)
            )
        changes = []
        new_rows, seen_ids = [], []
        for row_id, row in rows.items():
            old = existing.get(row_id)
            if old is None:
                row.update(first_seen=now, last_seen=now, last_changed=now, first_run_id=run_id, last_run_id=run_id)
                new_rows.append(row)
                changes.append(_change(row, "added", None))
            elif old["content_hash"] != row["content_hash"]:
                if row.get("full_text") is None and old.get("full_text"):
                    # A crawl without --full-text must not erase the text an earlier crawl fetched.
                    row = document_row({**by_id[row_id], "full_text": old["full_text"]})
                    if row["content_hash"] == old["content_hash"]:
                        seen_ids.append(row_id)
                        continue
                changes.append(_change(row, "modified", to_json(diff(old, row))))
                row.update(last_seen=now, last_changed=now, last_run_id=run_id)
                update_row(db, "documents", row)
                counts.changed_ids.append(row_id)
            else:
                seen_ids.append(row_id)
        insert_rows(db, "documents", new_rows)
        for batch in chunks(seen_ids):
            db.execute(
                f"UPDATE documents SET last_seen = ?, last_run_id = ? WHERE id IN ({','.join('?' * len(batch))})",
                [now, run_id, *batch],
            )
        for change in changes:
            change.update(run_id=run_id, at=now, item_type="document")
        insert_rows(db, "changes", changes)
    counts.added = len(new_rows)
    counts.modified = len(counts.changed_ids)
    counts.unchanged = len(seen_ids)
    counts.changed_ids = [row["id"] for row in new_rows] + counts.changed_ids
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
