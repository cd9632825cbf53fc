"""Applying one complete, healthy snapshot of a source's lists to the `listings` table.

Only landing (pipeline.crawl.landing) calls this, and only after the crawl passed every health
check: this is the one place a listing can be marked removed.
"""

from __future__ import annotations

import re
from typing import Any

from sqlite_utils import Database

from pipeline.store.records import ApplyCounts, chunks, content_hash, diff, insert_rows, to_json, to_row, update_row

FR_CITATION = re.compile(r"(\d{1,3})\s*F\.?\s?R\.?\s*(\d{1,6})")


def listing_row(record: dict[str, Any], row_id: str, digest: str) -> dict[str, Any]:
    row = to_row(record)
    countries = record.get("countries") or []
    row.update(id=row_id, country=countries[0] if countries else None, content_hash=digest)
    return row


def apply_snapshot(db: Database, run_id: int, source: str, records: list[dict[str, Any]], now: str) -> ApplyCounts:
    """Upsert every listing of `source`, and mark removed what this complete snapshot lacks.

    Runs in one transaction: it all lands or none of it does. Rows are built only
    for what changed, so an unchanged re-run costs one hash per listing.
    """
    counts = ApplyCounts()
    with db.atomic():
        aliases = dict(
            db.execute(
                "SELECT alias_id, listing_id FROM listing_aliases WHERE listing_id LIKE ? || ':%'", [source]
            ).fetchall()
        )
        by_id = {aliases.get(record["id"], record["id"]): record for record in records}
        digests = {row_id: content_hash(record) for row_id, record in by_id.items()}
        existing = {
            row_id: (digest, removed_on)
            for row_id, digest, removed_on in db.execute(
                "SELECT id, content_hash, removed_on FROM listings WHERE source = ?", [source]
            )
        }

        new_ids = [row_id for row_id in by_id if row_id not in existing]
        changed_ids = [row_id for row_id in by_id if row_id in existing and existing[row_id][0] != digests[row_id]]
        restored_ids = [
            row_id
            for row_id in by_id
            if row_id in existing and existing[row_id][1] and existing[row_id][0] == digests[row_id]
        ]
        missing_ids = [row_id for row_id, (_, removed_on) in existing.items() if row_id not in by_id and not removed_on]
        incoming = {
            row_id: listing_row(by_id[row_id], row_id, digests[row_id])
            for row_id in new_ids + changed_ids + restored_ids
        }

        rekeyed = _match_rekeyed(db, missing_ids, [incoming[i] for i in new_ids])
        for old_id, new_id in rekeyed.items():
            row = incoming.pop(new_id)
            row["id"] = old_id
            incoming[old_id] = row
            db["listing_aliases"].insert(
                {"alias_id": new_id, "listing_id": old_id, "since_run_id": run_id}, replace=True
            )
        rekeyed_new_ids = set(rekeyed.values())
        new_ids = [i for i in new_ids if i not in rekeyed_new_ids]
        changed_ids += list(rekeyed)
        missing_ids = [i for i in missing_ids if i not in rekeyed]

        changes: list[dict[str, Any]] = []
        _insert_new(db, [incoming[i] for i in new_ids], run_id, now, changes)
        _update_changed(db, [incoming[i] for i in changed_ids], run_id, now, changes)
        _restore(db, [incoming[i] for i in restored_ids], run_id, now, changes)
        _mark_removed(db, missing_ids, run_id, now, changes)
        db.execute(
            "UPDATE listings SET last_seen = ?, last_run_id = ? WHERE source = ? AND removed_on IS NULL",
            [now, run_id, source],
        )
        for change in changes:
            change.update(run_id=run_id, at=now, item_type="listing")
        insert_rows(db, "changes", changes)
        _write_citations(db, [incoming[i] for i in new_ids + changed_ids])

        counts.added, counts.modified = len(new_ids), len(changed_ids)
        counts.restored, counts.removed = len(restored_ids), len(missing_ids)
        counts.unchanged = len(by_id) - counts.added - counts.modified - counts.restored
        counts.changed_ids = new_ids + changed_ids + restored_ids
        counts.removed_ids = missing_ids
    return counts


def _fingerprint(name: str, addresses: str | None, list_code: str) -> tuple[str, str, str]:
    return (list_code, " ".join(name.casefold().split()), " ".join((addresses or "").casefold().split()))


def _match_rekeyed(db: Database, missing_ids: list[str], new_rows: list[dict[str, Any]]) -> dict[str, str]:
    """Pair listings that vanished with new ones that are the same party under a new source id.

    A pair needs the same list, name and addresses, and must be unambiguous on both sides.
    """
    if not missing_ids or not new_rows:
        return {}
    missing_by_print: dict[tuple, list[str]] = {}
    for batch in chunks(missing_ids):
        marks = ",".join("?" * len(batch))
        for row_id, name, addresses, list_code in db.execute(
            f"SELECT id, name, addresses, list_code FROM listings WHERE id IN ({marks})", batch
        ):
            missing_by_print.setdefault(_fingerprint(name, addresses, list_code), []).append(row_id)
    new_by_print: dict[tuple, list[str]] = {}
    for row in new_rows:
        new_by_print.setdefault(_fingerprint(row["name"], row["addresses"], row["list_code"]), []).append(row["id"])
    return {
        old[0]: new_by_print[key][0]
        for key, old in missing_by_print.items()
        if len(old) == 1 and len(new_by_print.get(key, [])) == 1
    }


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {"item_id": row["id"], "source": row["source"], "list_code": row["list_code"], "name": row["name"]}


def _insert_new(db: Database, rows: list[dict[str, Any]], run_id: int, now: str, changes: list) -> None:
    for row in rows:
        row.update(
            first_seen=now, last_seen=now, last_changed=now, removed_on=None, first_run_id=run_id, last_run_id=run_id
        )
        changes.append({**_summary(row), "kind": "added", "fields": None})
    insert_rows(db, "listings", rows)


def _update_changed(db: Database, rows: list[dict[str, Any]], run_id: int, now: str, changes: list) -> None:
    for batch in chunks(rows):
        marks = ",".join("?" * len(batch))
        before = {
            row["id"]: row
            for row in db.query(f"SELECT * FROM listings WHERE id IN ({marks})", [r["id"] for r in batch])
        }
        for row in batch:
            old = before[row["id"]]
            kind = "restored" if old["removed_on"] else "modified"
            changes.append({**_summary(row), "kind": kind, "fields": to_json(diff(old, row))})
            row.update(last_seen=now, last_changed=now, removed_on=None, last_run_id=run_id)
            update_row(db, "listings", row)


def _restore(db: Database, rows: list[dict[str, Any]], run_id: int, now: str, changes: list) -> None:
    for row in rows:
        db.execute(
            "UPDATE listings SET removed_on = NULL, last_changed = ?, last_seen = ?, last_run_id = ? WHERE id = ?",
            [now, now, run_id, row["id"]],
        )
        changes.append({**_summary(row), "kind": "restored", "fields": None})


def _mark_removed(db: Database, ids: list[str], run_id: int, now: str, changes: list) -> None:
    for batch in chunks(ids):
        marks = ",".join("?" * len(batch))
        for row in db.query(f"SELECT id, source, list_code, name FROM listings WHERE id IN ({marks})", batch):
            changes.append(
                {
                    "item_id": row["id"],
                    "source": row["source"],
                    "list_code": row["list_code"],
                    "name": row["name"],
                    "kind": "removed",
                    "fields": None,
                }
            )
        db.execute(
            f"UPDATE listings SET removed_on = ?, last_changed = ?, last_run_id = ? WHERE id IN ({marks})",
            [now, now, run_id, *batch],
        )


def _write_citations(db: Database, rows: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in rows]
    for batch in chunks(ids):
        db.execute(f"DELETE FROM listing_citations WHERE listing_id IN ({','.join('?' * len(batch))})", batch)
    citations = []
    for row in rows:
        seen = set()
        for volume, page in FR_CITATION.findall(row.get("federal_register_notice") or ""):
            citation = f"{int(volume)} FR {int(page)}"
            if citation not in seen:
                seen.add(citation)
                citations.append(
                    {"listing_id": row["id"], "citation": citation, "volume": int(volume), "page": int(page)}
                )
    insert_rows(db, "listing_citations", citations)
