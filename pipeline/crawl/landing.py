"""Landing a healthy crawl: one transaction in the store, and the `Changes` it made."""

from __future__ import annotations

from sqlite_utils import Database

from pipeline import store
from pipeline.crawl.gate import Passed
from pipeline.crawl.model import Changes
from spiders.kit import clock


def land(db: Database, run_id: int, spider_cls, passed: Passed) -> tuple[Changes, store.ApplyCounts]:
    """Apply a healthy crawl in one transaction: a source that yields both kinds lands both or neither."""
    counts = store.ApplyCounts()
    changed: dict[str, list[str]] = {"listings": [], "documents": []}
    removed: list[str] = []
    now = clock.now()
    with db.atomic():
        if passed.listings or spider_cls.kind == "listings":
            applied = store.apply_snapshot(db, run_id, spider_cls.name, passed.listings, now)
            counts, changed["listings"], removed = counts + applied, applied.changed_ids, applied.removed_ids
        if passed.documents:
            applied = store.apply_documents(db, run_id, passed.documents, now)
            counts, changed["documents"] = counts + applied, applied.changed_ids
    changes = Changes(run_id, spider_cls.name, tuple(changed["listings"]), tuple(changed["documents"]), tuple(removed))
    return changes, counts
