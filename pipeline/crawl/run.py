"""Running crawls, in one visible path: lock → finish owed work → engine → gate → landing → post-crawl steps.

A crawl that fails anywhere stores nothing but its row in `crawl_runs`; the
post-crawl steps run only after a crawl has landed, each on what it changed.
Landing records the steps a crawl owes in its own transaction, and every run
first finishes what an earlier, killed one still owed (`finish_pending`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from pipeline import store
from pipeline.crawl import engine, gate, landing
from pipeline.crawl.lock import DEFAULT_TIMEOUT, crawl_lock
from pipeline.crawl.model import CrawlOutcome, CrawlRequest, Step
from pipeline.report import SILENT, Reporter, StepResult
from pipeline.store import pending
from pipeline.store.changes import Changes
from pipeline.store.connection import database_file
from pipeline.store.runs import BACKFILL_SOURCE
from spiders.kit import clock
from spiders.kit.errors import SourceError, SourceUnavailable

log = logging.getLogger("chokepoint")
# A bug's traceback goes to the log (shown with -v, which installs Scrapy's root handler), never to a person's screen.
log.addHandler(logging.NullHandler())


def run_crawls(
    db: Database,
    requests: Sequence[CrawlRequest],
    steps: Sequence[Step] = (),
    reporter: Reporter = SILENT,
    verbose: bool = False,
    lock_timeout: float = DEFAULT_TIMEOUT,
) -> list[CrawlOutcome]:
    """Run each crawl in turn in one Scrapy process; each lands (or fails) on its own, then the steps run on it.

    Holds the crawl lock throughout (CrawlLocked when another process holds it past
    `lock_timeout`); first marks runs a dead process left `running` as failed and
    finishes the post-crawl steps earlier runs still owe.
    """
    store.ensure_schema(db)
    outcomes: list[CrawlOutcome] = []
    with crawl_lock(database_file(db), lock_timeout, reporter):
        store.mark_interrupted(db, clock.now())
        finish_pending(db, steps, reporter)

        def plan():
            for request in requests:
                spider_cls = engine.spider_class(request.spider)
                if request.unavailable:
                    outcomes.append(_record_unavailable(db, spider_cls, request))
                    continue
                args = spider_args(db, spider_cls, request)
                source_url = request.url or " ".join(spider_cls.live_urls)
                if "citations" in args:
                    source_url = BACKFILL_SOURCE + args["citations"]
                run_id = store.start_run(
                    db, spider_cls.name, spider_cls.kind, source_url, clock.now(), args.get("since")
                )
                yield spider_cls, {"url": request.url, **args}, (request, spider_cls, run_id, time.monotonic())

        def on_crawled(context, crawled: engine.Crawled) -> None:
            request, spider_cls, run_id, started = context
            outcome = _settle(db, request, spider_cls, run_id, crawled, [_step_name(step) for step in steps])
            outcome.seconds = time.monotonic() - started
            if outcome.ok:
                started = time.monotonic()
                outcome.steps = run_steps(db, outcome.changes, steps, reporter)
                outcome.after_seconds = time.monotonic() - started
            outcomes.append(outcome)

        engine.crawl_all(plan(), on_crawled, reporter, verbose)
    return outcomes


def finish_pending(db: Database, steps: Sequence[Step], reporter: Reporter = SILENT) -> list[tuple[Changes, list]]:
    """Run the post-crawl steps that earlier runs landed but never finished (their process was killed).

    Call while holding the crawl lock (`run_crawls` does; so can `chokepoint daily`).
    Returns each run's changes with the results of the steps it ran; a step this
    process does not run (not in `steps`) stays owed.
    """
    store.ensure_schema(db)
    by_name = {_step_name(step): step for step in steps}
    finished = []
    for changes, owed in pending.owed(db):
        todo = [by_name[name] for name in owed if name in by_name]
        if not todo:
            continue
        reporter.note(
            f"run {changes.run_id} ({changes.source}): finishing post-crawl step(s) an interrupted run left: "
            f"{', '.join(_step_name(step) for step in todo)}"
        )
        finished.append((changes, run_steps(db, changes, todo, reporter)))
    return finished


def spider_args(db: Database, spider_cls, request: CrawlRequest) -> dict[str, Any]:
    """Arguments for the spider: a live document stream asks only from the newest date it already has.

    A backfill of cited documents (`citations`) asks by citation, never from a date.
    """
    args = dict(request.args)
    if spider_cls.reads_since and request.url is None and "since" not in args and "citations" not in args:
        watermark = store.stream_watermark(db, spider_cls.name)
        if watermark:
            args["since"] = watermark
    return args


def run_steps(db: Database, changes: Changes, steps: Sequence[Step], reporter: Reporter) -> list[StepResult]:
    """Each post-crawl step in order, on what the crawl changed; each returns its own result.

    A step that has run is no longer owed. A step that raises is reported in its result
    and stays owed, so the next run tries it again; the steps after it still run.
    """
    results = []
    for step in steps:
        name = _step_name(step)
        started = time.monotonic()
        try:
            result = step(db, changes, reporter)
        except Exception as error:  # a bug or a broken model: the crawl stands, the step is owed
            log.exception("post-crawl step %s failed", name)
            result = StepResult(name, warnings=[f"{name} failed ({type(error).__name__}: {error}); retried next run"])
        else:
            pending.done(db, changes.run_id, name)
        result.seconds = time.monotonic() - started
        results.append(result)
    return results


def _settle(
    db: Database, request: CrawlRequest, spider_cls, run_id: int, crawled: engine.Crawled, step_names: list[str]
) -> CrawlOutcome:
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
        passed = gate.check(db, spider_cls, crawled.items, warnings, request.expect, request.accept_removals)
        outcome.changes, outcome.counts = landing.land(
            db, run_id, spider_cls, passed, len(crawled.items), warnings, step_names, request.accept_removals
        )
        outcome.status = "succeeded"
    except (SourceError, Exception) as error:
        if not isinstance(error, SourceError):  # our own bug: the crawl fails by name, the next one still runs
            log.exception("crawl of %s failed", spider_cls.name)
            error = SourceError(spider_cls.name, f"internal error: {type(error).__name__}: {error}")
        outcome.error = str(error)
        store.finish_run(
            db,
            run_id,
            "failed",
            clock.now(),
            items_seen=len(crawled.items),
            error=outcome.error,
            warnings=warnings,
            accepted_removals=int(request.accept_removals),
        )
    return outcome


def _record_unavailable(db: Database, spider_cls, request: CrawlRequest) -> CrawlOutcome:
    """A crawl with nothing to fetch fails by name, logged like any other failed crawl."""
    run_id = store.start_run(db, spider_cls.name, spider_cls.kind, request.url or "", clock.now())
    error = str(SourceUnavailable(spider_cls.name, request.unavailable))
    store.finish_run(db, run_id, "failed", clock.now(), items_seen=0, error=error)
    return CrawlOutcome(spider=spider_cls.name, kind=spider_cls.kind, run_id=run_id, status="failed", error=error)


def _step_name(step: Step) -> str:
    return getattr(step, "name", type(step).__name__)
