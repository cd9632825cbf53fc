"""Running crawls through the Scrapy engine and landing their results in the store.

Scrapy fetches and parses; the items are held until the crawl has finished and
passed every health check, then applied in one transaction. A crawl that fails
anywhere stores nothing but its row in `crawl_runs`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Imported here, at a shallow stack, on purpose: importing it later, inside the
# reactor, runs Scrapy's deprecation shims' inspect.stack() on a deep stack and
# costs seconds per crawl.
import scrapy.core.downloader.handlers.http11  # noqa: F401
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.reactor import install_reactor
from sqlite_utils import Database

from spiders.kit import clock
from pipeline import health, store
from spiders.kit.errors import SourceError, SourceUnavailable
from spiders.kit.items import ItemBatch, Listing, as_record


@dataclass
class CrawlRequest:
    spider: str
    url: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    expect: tuple[int, int] | None = None  # overrides the spider's declared ranges (small fixtures, demos)
    unavailable: str | None = None  # set when there is nothing to crawl (e.g. no recorded response): fails by name


@dataclass
class CrawlOutcome:
    spider: str
    kind: str  # "listings" (a complete snapshot) or "documents" (a stream)
    run_id: int
    status: str  # "succeeded" or "failed"
    items_seen: int = 0
    counts: store.ApplyCounts | None = None
    # Ids this crawl added, modified or restored, per table: what post-crawl steps look at.
    changed: dict[str, list[str]] = field(default_factory=lambda: {"listings": [], "documents": []})
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0  # fetching, parsing, checking and storing
    after_seconds: float = 0.0  # the post-crawl steps (tagging, screening)

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"


ProgressFn = Callable[[str, int], None]
AfterApplyFn = Callable[[Database, CrawlOutcome], None]


def scrapy_settings() -> Settings:
    settings = Settings()
    settings.setmodule("spiders.kit.settings", priority="project")
    settings.set("ITEM_PIPELINES", {"pipeline.item_pipeline.ValidateItem": 100}, priority="project")
    return settings


def spider_class(name: str):
    """The spider class by name; KeyError names what exists."""
    loader = SpiderLoader.from_settings(scrapy_settings())
    try:
        return loader.load(name)
    except KeyError:
        raise KeyError(f"no spider named {name!r}; known: {', '.join(sorted(loader.list()))}") from None


def spider_names() -> list[str]:
    return sorted(SpiderLoader.from_settings(scrapy_settings()).list())


class _Collector:
    """Gathers one crawl's items and the first thing that went wrong."""

    def __init__(self, crawler, progress: ProgressFn | None):
        self.crawler = crawler
        self.items: list[Any] = []
        self.errors: list[BaseException] = []
        self.close_reason: str | None = None
        self._progress = progress
        self._last_report = time.monotonic()
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)
        crawler.signals.connect(self.item_error, signal=signals.item_error)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def item_scraped(self, item, response, spider):
        if isinstance(item, ItemBatch):
            self.items.extend(item.items)
        else:
            self.items.append(item)
        now = time.monotonic()
        if self._progress and now - self._last_report >= 1.0:
            self._last_report = now
            self._progress(spider.name, len(self.items))

    def spider_error(self, failure, response, spider):
        self._failed(failure.value)

    def item_error(self, item, response, spider, failure):
        self._failed(failure.value)

    def _failed(self, error: BaseException) -> None:
        """Keep the first error and stop the crawl: nothing it fetches after this may be stored anyway."""
        self.errors.append(error)
        if len(self.errors) == 1 and self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="source_error"))

    def spider_closed(self, spider, reason):
        self.close_reason = reason


def _as_source_error(spider: str, error: BaseException) -> SourceError:
    """A parser bug or a bad item fails the crawl like a broken source does, by name."""
    if isinstance(error, SourceError):
        return error
    return SourceError(spider, f"{type(error).__name__}: {error}")


def run_crawls(db: Database, requests: list[CrawlRequest], progress: ProgressFn | None = None,
               after_apply: list[AfterApplyFn] = (), verbose: bool = False) -> list[CrawlOutcome]:
    """Run each crawl in turn in one Scrapy process; each lands (or fails) on its own."""
    store.ensure_schema(db)
    if not verbose:
        logging.getLogger("scrapy").setLevel(logging.CRITICAL)
        logging.getLogger("py.warnings").setLevel(logging.ERROR)
    settings = scrapy_settings()
    settings.set("LOG_INSTALL_ROOT_HANDLER", verbose)
    install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    process = CrawlerProcess(settings)
    from twisted.internet import defer, reactor  # only after the configured reactor is installed

    outcomes: list[CrawlOutcome] = []
    failures: list[BaseException] = []

    @defer.inlineCallbacks
    def run_all():
        try:
            for request in requests:
                if request.unavailable:
                    outcomes.append(_record_unavailable(db, request))
                else:
                    outcomes.append((yield from _run_one(process, db, request, progress, after_apply, verbose)))
        except BaseException as error:  # a bug in our own code: surface it after the reactor stops
            failures.append(error)
        finally:
            reactor.stop()

    reactor.callWhenRunning(run_all)
    process.start(stop_after_crawl=False)
    if failures:
        raise failures[0]
    return outcomes


def spider_args(db: Database, spider_cls, request: CrawlRequest) -> dict[str, Any]:
    """Arguments for the spider: a live document stream asks only from the newest date it already has."""
    args = dict(request.args)
    if spider_cls.reads_since and request.url is None and "since" not in args:
        watermark = store.stream_watermark(db, spider_cls.name)
        if watermark:
            args["since"] = watermark
    return args


def _record_unavailable(db: Database, request: CrawlRequest) -> CrawlOutcome:
    """A crawl with nothing to fetch fails by name, logged like any other failed crawl."""
    spider_cls = spider_class(request.spider)
    run_id = store.start_run(db, spider_cls.name, spider_cls.kind, request.url or "", clock.now())
    error = str(SourceUnavailable(spider_cls.name, request.unavailable))
    store.finish_run(db, run_id, "failed", clock.now(), items_seen=0, error=error)
    return CrawlOutcome(spider=spider_cls.name, kind=spider_cls.kind, run_id=run_id, status="failed", error=error)


def _run_one(process, db, request: CrawlRequest, progress, after_apply, verbose):
    """Crawl one source (a generator for the reactor's inlineCallbacks), then land or reject what it saw."""
    spider_cls = spider_class(request.spider)
    args = spider_args(db, spider_cls, request)
    source_url = request.url or " ".join(spider_cls.live_urls)
    started = time.monotonic()
    run_id = store.start_run(db, spider_cls.name, spider_cls.kind, source_url, clock.now(), args.get("since"))

    crawler = process.create_crawler(spider_cls)
    collector = _Collector(crawler, progress)
    if not verbose:
        logging.getLogger(spider_cls.name).setLevel(logging.CRITICAL)
    yield process.crawl(crawler, url=request.url, **args)

    warnings = list(getattr(crawler.spider, "source_warnings", []))
    outcome = CrawlOutcome(spider=spider_cls.name, kind=spider_cls.kind, run_id=run_id, status="failed",
                           items_seen=len(collector.items), warnings=warnings)
    try:
        records = _healthy_records(db, spider_cls, collector, request, warnings)
        listings, documents = _split_by_table(records)
        outcome.counts, outcome.changed = _land(db, run_id, spider_cls, listings, documents)
        outcome.status = "succeeded"
        store.finish_run(db, run_id, "succeeded", clock.now(), complete=1, items_seen=len(collector.items),
                         added=outcome.counts.added, modified=outcome.counts.modified,
                         removed=outcome.counts.removed, restored=outcome.counts.restored,
                         duplicates_merged=len(collector.items) - len(records),
                         list_counts=health.list_counts(listings) if spider_cls.kind == "listings" else None,
                         warnings=warnings)
    except SourceError as error:
        outcome.error = str(error)
        store.finish_run(db, run_id, "failed", clock.now(), items_seen=len(collector.items),
                         error=outcome.error, warnings=warnings)
    outcome.seconds = time.monotonic() - started
    if outcome.ok and after_apply:
        started = time.monotonic()
        for hook in after_apply:
            hook(db, outcome)
        outcome.after_seconds = time.monotonic() - started
    return outcome


def _split_by_table(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    listings, documents = [], []
    for record in records:
        (listings if record.pop("_type") == "listing" else documents).append(record)
    return listings, documents


def _land(db: Database, run_id: int, spider_cls, listings, documents):
    """Apply one healthy crawl in one transaction: a source that yields both kinds lands both or neither."""
    counts = store.ApplyCounts()
    changed: dict[str, list[str]] = {"listings": [], "documents": []}
    now = clock.now()
    with db.atomic():
        if listings or spider_cls.kind == "listings":
            applied = store.apply_snapshot(db, run_id, spider_cls.name, listings, now)
            counts, changed["listings"] = counts + applied, applied.changed_ids
        if documents:
            applied = store.apply_documents(db, run_id, documents, now)
            counts, changed["documents"] = counts + applied, applied.changed_ids
    return counts, changed


def _healthy_records(db, spider_cls, collector: _Collector, request: CrawlRequest, warnings: list[str]):
    """The crawl's records, or a SourceError saying why none of them may be stored."""
    name = spider_cls.name
    if collector.errors:
        raise _as_source_error(name, collector.errors[0])
    if collector.close_reason != "finished":
        raise SourceError(name, f"crawl ended early ({collector.close_reason})")
    records, merge_warnings = health.merge_duplicates([_typed_record(item) for item in collector.items])
    warnings.extend(merge_warnings)
    # The declared range counts the spider's own kind (a list source may also yield its announcements).
    primary = "listing" if spider_cls.kind == "listings" else "document"
    count = sum(1 for record in records if record["_type"] == primary)
    if request.expect is not None:
        health.check_range(name, count, request.expect)
    else:
        health.check_range(name, count, spider_cls.expected_items)
    if spider_cls.kind == "listings":
        listings = [r for r in records if r["_type"] == "listing"]
        counts = health.list_counts(listings)
        if request.expect is None:
            health.check_lists(name, counts, spider_cls.expected_per_list)
            health.check_types(name, health.type_counts(listings), spider_cls.expected_per_type)
        health.check_shrinkage(name, counts, store.last_good_list_counts(db, name))
    return records


def _typed_record(item) -> dict[str, Any]:
    record = as_record(item)
    record["_type"] = "listing" if isinstance(item, Listing) else "document"
    return record

