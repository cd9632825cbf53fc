"""Applying one complete, healthy snapshot of a source's lists to the `listings` table.

Only landing (pipeline.crawl.landing) calls this, and only after the crawl passed every health
check: this is the one place a listing can be marked removed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from pipeline.store.citations import parse_citations
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


def listing_row(record: dict[str, Any], row_id: str, digest: str) -> dict[str, Any]:
    row = to_row(record)
    countries = record.get("countries") or []
    row.update(id=row_id, country=countries[0] if countries else None, content_hash=digest)
    return row


@dataclass
class SnapshotPlan:
    """What applying one snapshot would do, worked out before anything is written (the gate checks it)."""

    source: str
    by_id: dict[str, dict[str, Any]]  # records by the id they are stored under (re-keyed aliases resolved)
    digests: dict[str, str]
    new_ids: list[str]
    changed_ids: list[str]  # modified, re-keyed or restored with changes
    restored_ids: list[str]  # marked removed, back unchanged
    missing_ids: list[str]  # active now, absent from the snapshot: to be marked removed
    rekeyed: dict[str, str]  # stored id -> the new id the source now gives it
    before: dict[str, dict[str, Any]]  # stored rows of the changed ids
    active: Counter = field(default_factory=Counter)  # active stored listings per list code
    removed: Counter = field(default_factory=Counter)  # per list code, listings the snapshot would mark removed
    lost: dict[str, Counter] = field(default_factory=dict)  # per list code, per field: rows losing a stored value
    holding: dict[str, Counter] = field(default_factory=dict)  # per list code, per field: active rows with a value
    seen_fields: set[str] = field(default_factory=set)  # fields (and extra.<key>s) some record of the snapshot has


def plan_snapshot(db: Database, source: str, records: list[dict[str, Any]]) -> SnapshotPlan:
    """Compare a complete snapshot with what is stored for `source`, without writing anything."""
    aliases = dict(
        db.execute("SELECT alias_id, listing_id FROM listing_aliases WHERE listing_id LIKE ? || ':%'", [source])
    )
    by_id = {aliases.get(record["id"], record["id"]): record for record in records}
    digests = {row_id: content_hash(record) for row_id, record in by_id.items()}
    existing: dict[str, tuple[str, str | None, str]] = {
        row_id: (digest, removed_on, list_code)
        for row_id, digest, removed_on, list_code in db.execute(
            "SELECT id, content_hash, removed_on, list_code FROM listings WHERE source = ?", [source]
        )
    }
    new_ids = [row_id for row_id in by_id if row_id not in existing]
    changed_ids = [row_id for row_id in by_id if row_id in existing and existing[row_id][0] != digests[row_id]]
    restored_ids = [
        row_id
        for row_id in by_id
        if row_id in existing and existing[row_id][1] and existing[row_id][0] == digests[row_id]
    ]
    missing_ids = [row_id for row_id, (_, removed_on, _) in existing.items() if row_id not in by_id and not removed_on]
    new_rows = [listing_row(by_id[row_id], row_id, digests[row_id]) for row_id in new_ids]
    rekeyed = _match_rekeyed(db, missing_ids, new_rows)
    rekeyed_new_ids = set(rekeyed.values())
    plan = SnapshotPlan(
        source=source,
        by_id=by_id,
        digests=digests,
        new_ids=[i for i in new_ids if i not in rekeyed_new_ids],
        changed_ids=changed_ids + list(rekeyed),
        restored_ids=restored_ids,
        missing_ids=[i for i in missing_ids if i not in rekeyed],
        rekeyed=rekeyed,
        before=_rows(db, changed_ids + list(rekeyed)),
    )
    plan.active.update(code for _, removed_on, code in existing.values() if not removed_on)
    plan.removed.update(existing[row_id][2] for row_id in plan.missing_ids)
    for row_id in plan.changed_ids:
        old = plan.before[row_id]
        if old["removed_on"]:
            continue  # a restoration: it had no active values to lose
        record_id = rekeyed.get(row_id, row_id)
        new = listing_row(by_id[record_id], row_id, digests[record_id])
        lost = lost_values(old, new)
        if row_id in rekeyed:
            lost = [name for name in lost if name != "entry_id"]  # the re-key itself is expected
        plan.lost.setdefault(old["list_code"], Counter()).update(lost)
    plan.holding, plan.seen_fields = value_losses(
        db, "listings", "list_code", "t.source = ? AND t.removed_on IS NULL", [source], plan.lost, records
    )
    return plan


def apply_snapshot(
    db: Database,
    run_id: int,
    source: str,
    records: list[dict[str, Any]],
    now: str,
    plan: SnapshotPlan | None = None,
) -> ApplyCounts:
    """Upsert every listing of `source`, and mark removed what this complete snapshot lacks.

    Runs in one transaction: it all lands or none of it does. Rows are built only
    for what changed, so an unchanged re-run costs one hash per listing. `plan` is
    the gate's `plan_snapshot` of the same records (worked out again when not given).
    """
    counts = ApplyCounts()
    with db.atomic():
        plan = plan or plan_snapshot(db, source, records)
        by_id, digests = plan.by_id, plan.digests
        incoming = {
            row_id: listing_row(by_id[row_id], row_id, digests[row_id])
            for row_id in plan.new_ids + plan.restored_ids + [i for i in plan.changed_ids if i not in plan.rekeyed]
        }
        for old_id, new_id in plan.rekeyed.items():
            incoming[old_id] = listing_row(by_id[new_id], old_id, digests[new_id])
            db["listing_aliases"].insert(
                {"alias_id": new_id, "listing_id": old_id, "since_run_id": run_id}, replace=True
            )

        changes: list[dict[str, Any]] = []
        _insert_new(db, [incoming[i] for i in plan.new_ids], run_id, now, changes)
        _update_changed(db, [incoming[i] for i in plan.changed_ids], plan.before, run_id, now, changes)
        _restore(db, [incoming[i] for i in plan.restored_ids], run_id, now, changes)
        _mark_removed(db, plan.missing_ids, run_id, now, changes)
        db.execute(
            "UPDATE listings SET last_seen = ?, last_run_id = ? WHERE source = ? AND removed_on IS NULL",
            [now, run_id, source],
        )
        for change in changes:
            change.update(run_id=run_id, at=now, item_type="listing")
        insert_rows(db, "changes", changes)
        _write_citations(db, [incoming[i] for i in plan.new_ids + plan.changed_ids])

        counts.added, counts.modified = len(plan.new_ids), len(plan.changed_ids)
        counts.restored, counts.removed = len(plan.restored_ids), len(plan.missing_ids)
        counts.unchanged = len(by_id) - counts.added - counts.modified - counts.restored
        counts.changed_ids = plan.new_ids + plan.changed_ids + plan.restored_ids
        counts.removed_ids = list(plan.missing_ids)
    return counts


def _rows(db: Database, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = {}
    for batch in chunks(ids):
        marks = ",".join("?" * len(batch))
        rows.update((row["id"], row) for row in db.query(f"SELECT * FROM listings WHERE id IN ({marks})", batch))
    return rows


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


def _update_changed(
    db: Database, rows: list[dict[str, Any]], before: dict[str, dict[str, Any]], run_id: int, now: str, changes: list
) -> None:
    for row in rows:
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
    citations = [
        {"listing_id": row["id"], "citation": str(c), "volume": c.volume, "page": c.page}
        for row in rows
        for c in parse_citations(row.get("federal_register_notice"))
    ]
    insert_rows(db, "listing_citations", citations)
