"""The post-crawl steps, in order: each sees only what its crawl added, modified or restored.

A step is called with (published db, Changes, reporter) and returns its own
result (`pipeline.crawl.model.StepResult` or a subclass); none changes the crawl's
outcome or another step's. A new step is one more entry in `post_crawl_steps`.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.crawl.model import Step
from pipeline.screening.step import ScreenChangedListings
from pipeline.tagging import TagChanged


def post_crawl_steps(private_db_path: Path) -> list[Step]:
    """Screen changed listings against every watchlist, then tag what changed.

    `private_db_path` is the private database (watchlists, alerts): the published
    database never holds private data.
    """
    return [ScreenChangedListings(private_db_path), TagChanged()]
