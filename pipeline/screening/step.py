"""The post-crawl step that screens what a crawl changed against every watchlist.

Kept apart from run.py so that a crawl with nothing to screen (no watchlists, or no
changed listings) never loads the matcher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from pipeline.report import Reporter, StepResult
from pipeline.store.changes import Changes


@dataclass
class ScreeningResult(StepResult):
    changed: int = 0  # changed listings screened
    watchlists: list[Any] = field(default_factory=list)  # a run.WatchlistScreening per watchlist


@dataclass
class ScreenChangedListings:
    private_db_path: Path
    name = "screening"

    def __call__(self, db: Database, changes: Changes, reporter: Reporter) -> ScreeningResult:
        result = ScreeningResult(self.name)
        if not changes.listings or not Path(self.private_db_path).exists():
            return result
        from pipeline.screening.run import screen_changed

        delta = screen_changed(db, changes, self.private_db_path)
        if delta is None:
            return result
        result.changed, result.watchlists = delta.changed, delta.watchlists
        for screened in delta.watchlists:
            counts = screened.counts
            reporter.note(
                f"  screening: {delta.changed:,} changed listing(s) against watchlist {screened.watchlist!r}: "
                f"{counts.new} new alert(s), {counts.suppressed} suppressed as reviewed "
                f"[receipt {screened.receipt_id}]"
            )
        return result
