"""The values a crawl passes along: what to crawl, what it changed, what came of it. No Scrapy here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from pipeline.report import Reporter, StepResult
from pipeline.store.changes import Changes
from pipeline.store.records import ApplyCounts

__all__ = ["Changes", "CrawlOutcome", "CrawlRequest", "Step", "StepResult"]


@dataclass
class CrawlRequest:
    spider: str
    url: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    expect: tuple[int, int] | None = None  # overrides the spider's declared ranges (small fixtures, demos)
    unavailable: str | None = None  # set when there is nothing to crawl (e.g. no recorded response): fails by name
    accept_removals: bool = False  # let a mass removal or rewrite the gate would stop through (recorded in the run)


# A post-crawl step: called with the published database, what the crawl changed, and the reporter.
Step = Callable[[Database, Changes, Reporter], StepResult]


@dataclass
class CrawlOutcome:
    spider: str
    kind: str  # "listings" (a complete snapshot) or "documents" (a stream)
    run_id: int
    status: str  # "succeeded" or "failed"
    items_seen: int = 0
    counts: ApplyCounts | None = None
    changes: Changes | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # the crawl's own, as recorded in crawl_runs
    seconds: float = 0.0  # fetching, parsing, checking and storing
    steps: list[StepResult] = field(default_factory=list)  # the post-crawl steps' results, in order
    after_seconds: float = 0.0  # the post-crawl steps, together

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"

    @property
    def all_warnings(self) -> list[str]:
        """The crawl's warnings, then those of its post-crawl steps."""
        return self.warnings + [warning for step in self.steps for warning in step.warnings]
