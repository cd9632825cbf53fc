"""Running crawls, in one visible path: engine → gate → landing → post-crawl steps.

A crawl that fails anywhere stores nothing but its row in `crawl_runs`; the
post-crawl steps run only after a crawl has landed, each on what it changed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from pipeline import store
from pipeline.crawl import engine, gate, landing
from pipeline.crawl.model import CrawlOutcome, CrawlRequest, Step
from pipeline.report import SILENT, Reporter, StepResult
from pipeline.store.changes import Changes
from spiders.kit import clock
from spiders.kit.errors import SourceError, SourceUnavailable


def run_crawls(
    db: Database,
    requests: Sequence[CrawlRequest],
    steps: Sequence[Step] = (),
    reporter: Reporter = SILENT,
    verbose: bool = False,
) -> list[CrawlOutcome]:
    """Run each crawl in turn in one Scrapy process; each lands (or fails) on its own, then the steps run on it."""
    store.ensure_schema(db)
    outcomes: list[CrawlOutcome] = []

    def plan():
        for request in requests:
            spider_cls = engine.spider_class(request.spider)
            if request.unavailable:
                outcomes.append(_record_unavailable(db, spider_cls, request))
                continue
            args = spider_args(db, spider_cls, request)
            source_url = request.url or " ".join(spider_cls.live_urls)
            run_id = store.start_run(db, spider_cls.name, spider_cls.kind, source_url, clock.now(), args.get("since"))
            yield spider_cls, {"url": request.url, **args}, (request, spider_cls, run_id, time.monotonic())

    def on_crawled(context, crawled: engine.Crawled) -> None:
        request, spider_cls, run_id, started = context
        outcome = _settle(db, request, spider_cls, run_id, crawled)
        outcome.seconds = time.monotonic() - started
        if outcome.ok:
            started = time.monotonic()
            outcome.steps = run_steps(db, outcome.changes, steps, reporter)
            outcome.after_seconds = time.monotonic() - started
        outcomes.append(outcome)

    engine.crawl_all(plan(), on_crawled, reporter, verbose)
    return outcomes


def spider_args(db: Database, spider_cls, request: CrawlRequest) -> dict[str, Any]:
    """Arguments for the spider: a live document stream asks only from the newest date it already has."""
    args = dict(request.args)
    if spider_cls.reads_since and request.url is None and "since" not in args:
        watermark = store.stream_watermark(db, spider_cls.name)
        if watermark:
            args["since"] = watermark
    return args


def run_steps(db: Database, changes: Changes, steps: Sequence[Step], reporter: Reporter) -> list[StepResult]:
    """Each post-crawl step in order, on what the crawl changed; each returns its own result."""
    results = []
    for step in steps:
        started = time.monotonic()
        result = step(db, changes, reporter)
        result.seconds = time.monotonic() - started
        results.append(result)
    return results


def _settle(db: Database, request: CrawlRequest, spider_cls, run_id: int, crawled: engine.Crawled) -> CrawlOutcome:
    """Pass the crawl through the gate and land it, or record why it failed."""
    warnings = list(crawled.warnings)
    outcome = CrawlOutcome(
        spider=spider_cls.name,
        kind=spider_cls.kind,
        run_id=run_id,
        status="failed",
        items_seen=len(crawled.items),
        warnings=warnings,
    )
    try:
        error = crawled.source_error(spider_cls.name)
        if error is not None:
            raise error
        passed = gate.check(db, spider_cls, crawled.items, warnings, request.expect)
        outcome.changes, outcome.counts = landing.land(db, run_id, spider_cls, passed)
        counts = outcome.counts
        store.finish_run(
            db,
            run_id,
            "succeeded",
            clock.now(),
            complete=1,
            items_seen=len(crawled.items),
            added=counts.added,
            modified=counts.modified,
            removed=counts.removed,
            restored=counts.restored,
            duplicates_merged=passed.duplicates_merged,
            list_counts=passed.list_counts,
            warnings=warnings,
        )
        outcome.status = "succeeded"
    except SourceError as error:
        outcome.error = str(error)
        store.finish_run(
            db, run_id, "failed", clock.now(), items_seen=len(crawled.items), error=outcome.error, warnings=warnings
        )
    return outcome


def _record_unavailable(db: Database, spider_cls, request: CrawlRequest) -> CrawlOutcome:
    """A crawl with nothing to fetch fails by name, logged like any other failed crawl."""
    run_id = store.start_run(db, spider_cls.name, spider_cls.kind, request.url or "", clock.now())
    error = str(SourceUnavailable(spider_cls.name, request.unavailable))
    store.finish_run(db, run_id, "failed", clock.now(), items_seen=0, error=error)
    return CrawlOutcome(spider=spider_cls.name, kind=spider_cls.kind, run_id=run_id, status="failed", error=error)
