"""Landing a healthy crawl: one transaction in the store, and the `Changes` it made.

The transaction holds everything a landing means: the rows, the run's row marked
succeeded, and the post-crawl steps it owes (`store.pending`). A process killed at
any point either landed all of it or none of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from pipeline import store
from pipeline.crawl.gate import Passed
from pipeline.crawl.model import Changes
from pipeline.linkage import parties, why_listed
from pipeline.store import links, pending
from pipeline.store.connection import write_transaction
from spiders.kit import clock


def land(
    db: Database,
    run_id: int,
    spider_cls,
    passed: Passed,
    items_seen: int,
    warnings: list[str],
    steps: Sequence[str] = (),
    accept_removals: bool = False,
) -> tuple[Changes, store.ApplyCounts]:
    """Apply a healthy crawl, finish its run and owe `steps` its changes, in one transaction.

    A source that yields both kinds lands both or neither.
    """
    counts = store.ApplyCounts()
    changed: dict[str, list[str]] = {"listings": [], "documents": []}
    removed: list[str] = []
    now = clock.now()
    with write_transaction(db):
        if passed.listings or spider_cls.kind == "listings":
            applied = store.apply_snapshot(db, run_id, spider_cls.name, passed.listings, now, passed.snapshot)
            counts, changed["listings"], removed = counts + applied, applied.changed_ids, applied.removed_ids
            # The party graph follows the listings it is read from, in the same transaction.
            links.replace_links(db, parties.compute_links(links.link_inputs(db)))
        if passed.documents:
            applied = store.apply_documents(db, run_id, passed.documents, now, passed.documents_plan)
            counts, changed["documents"] = counts + applied, applied.changed_ids
        # Why each party was listed follows the listings and rule texts it is read from, likewise.
        why_listed.refresh(db, [*changed["listings"], *removed], changed["documents"])
        changes = Changes(
            run_id, spider_cls.name, tuple(changed["listings"]), tuple(changed["documents"]), tuple(removed)
        )
        store.finish_run(
            db,
            run_id,
            "succeeded",
            now,
            complete=1,
            items_seen=items_seen,
            added=counts.added,
            modified=counts.modified,
            removed=counts.removed,
            restored=counts.restored,
            duplicates_merged=passed.duplicates_merged,
            list_counts=passed.list_counts,
            warnings=warnings,
            accepted_removals=int(accept_removals),
        )
        pending.record(db, changes, steps, now)
    return changes, counts
