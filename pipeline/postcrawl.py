"""What runs after a crawl has landed: each step sees only what that crawl added or changed."""

from __future__ import annotations

from pipeline.runner import AfterApplyFn


def steps() -> list[AfterApplyFn]:
    """The post-crawl steps, in order. Each takes (published db, CrawlOutcome)."""
    return []
