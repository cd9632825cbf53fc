"""What one landed crawl changed, as the post-crawl steps (and a digest) see it.

Landing builds a `Changes` from what `apply_snapshot` and `apply_documents` report;
the rows behind it, each field's before and after, are in the `changes` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database


@dataclass(frozen=True)
class Changes:
    """A crawl's run id, the ids it added, modified or restored, per table, and the listings it marked removed."""

    run_id: int
    source: str
    listings: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    removed_listings: tuple[str, ...] = ()  # delisted parties: screening tells the watchlists that matched them

    def ids(self, table: str) -> tuple[str, ...]:
        return getattr(self, table)

    def __bool__(self) -> bool:
        return bool(self.listings or self.documents or self.removed_listings)


def recorded(db: Database, run_id: int) -> list[dict[str, Any]]:
    """The rows of the `changes` table one run wrote: additions, modifications, removals, restorations."""
    return list(db.query("SELECT * FROM changes WHERE run_id = ? ORDER BY id", [run_id]))
