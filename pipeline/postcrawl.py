"""What runs after a crawl has landed: each step sees only what that crawl added or changed."""

from __future__ import annotations

import functools
from pathlib import Path

from pipeline import tagging
from pipeline.runner import AfterApplyFn
from pipeline.tagging import TagProgressFn
from pipeline.screening.step import post_crawl_step as screen_changed_listings


def steps(private_db_path: Path, progress: TagProgressFn | None = None) -> list[AfterApplyFn]:
    """The post-crawl steps, in order. Each is called with (published db, CrawlOutcome).

    `private_db_path` is the private database (watchlists, alerts): steps that
    need it open it themselves; the published database never holds private data.
    `progress(table, done, total)` hears how tagging a large crawl is going.
    """
    return [screen_changed_listings(private_db_path), functools.partial(tagging.tag_changed, progress=progress)]
