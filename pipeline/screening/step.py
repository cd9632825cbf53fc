"""The post-crawl step that screens what a crawl changed against every watchlist.

Kept apart from run.py so that a crawl with nothing to screen (no watchlists, or no
changed listings) never loads the matcher.
"""

from __future__ import annotations

import sys
from pathlib import Path


def post_crawl_step(private_db_path: Path):
    """screen_changed as a post-crawl step that says what it did on stderr."""
    def step(db, outcome) -> None:
        if not outcome.changed.get("listings") or not Path(private_db_path).exists():
            return
        from pipeline.screening.run import screen_changed

        result = screen_changed(db, outcome, private_db_path)
        for screened in result.watchlists if result else []:
            counts = screened.counts
            print(f"  screening: {result.changed:,} changed listing(s) against watchlist {screened.watchlist!r}: "
                  f"{counts.new} new alert(s), {counts.suppressed} suppressed as reviewed "
                  f"[receipt {screened.receipt_id}]", file=sys.stderr)
    return step
