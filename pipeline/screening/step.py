"""The post-crawl step that screens what a crawl changed against every watchlist, and raises
"delisted" alerts for the watched parties a crawl removed from a list.

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
    removed: int = 0  # listings the crawl removed, checked against the alerts
    watchlists: list[Any] = field(default_factory=list)  # a run.WatchlistScreening per watchlist
    delisted: dict[str, int] = field(default_factory=dict)  # watchlist -> delisted alerts raised


@dataclass
class ScreenChangedListings:
    private_db_path: Path
    name = "screening"

    def __call__(self, db: Database, changes: Changes, reporter: Reporter) -> ScreeningResult:
        result = ScreeningResult(self.name)
        if not (changes.listings or changes.removed_listings) or not Path(self.private_db_path).exists():
            return result
        from pipeline.screening.run import screen_changed

        delta = screen_changed(db, changes, self.private_db_path)
        if delta is None:
            return result
        result.changed, result.watchlists = delta.changed, delta.watchlists
        result.removed, result.delisted = delta.removed, delta.delisted
        for watchlist, raised in delta.delisted.items():
            reporter.note(
                f"  screening: {delta.removed:,} listing(s) removed from the lists: "
                f"{raised} delisted alert(s) for watchlist {watchlist!r}"
            )
        for screened in delta.watchlists:
            counts = screened.counts
            reporter.note(
                f"  screening: {delta.changed:,} changed listing(s) against watchlist {screened.watchlist!r}: "
                f"{counts.new} new alert(s), {counts.suppressed} suppressed as reviewed "
                f"[receipt {screened.receipt_id}]"
            )
        return result
