"""The only place a Scrapy process runs: spiders by name, one reactor, each crawl's items collected.

Scrapy fetches and parses; every item a spider yields is checked (`validate`) and
kept in a `Crawled`, with the first thing that went wrong. What happens to the
items is decided after the crawl has finished (`pipeline.crawl.run`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
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

from pipeline.report import Reporter
from spiders.kit.errors import SourceError
from spiders.kit.items import InvalidItem, Item, ItemBatch


def scrapy_settings() -> Settings:
    settings = Settings()
    settings.setmodule("spiders.kit.settings", priority="project")
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


@dataclass
class Crawled:
    """What one crawl saw: its checked items in order, the first error, how it ended, the spider's warnings."""

    items: list[Item] = field(default_factory=list)
    error: BaseException | None = None
    close_reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    def source_error(self, spider: str) -> SourceError | None:
        """Why nothing of this crawl may be stored, or None: a parser bug or a bad item fails it like a broken source."""
        if self.error is not None:
            if isinstance(self.error, SourceError):
                return self.error
            return SourceError(spider, f"{type(self.error).__name__}: {self.error}")
        if self.close_reason != "finished":
            return SourceError(spider, f"crawl ended early ({self.close_reason})")
        return None


class _Collector:
    """Keeps one crawl's items (each checked on arrival) and the first thing that went wrong."""

    def __init__(self, crawler, reporter: Reporter):
        self.crawler = crawler
        self.crawled = Crawled()
        self._reporter = reporter
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def item_scraped(self, item, response, spider):
        items = item.items if isinstance(item, ItemBatch) else [item]
        try:
            for one in items:
                if not hasattr(one, "validate"):
                    raise InvalidItem(f"{type(one).__name__} is not a chokepoint item")
                one.validate()
        except InvalidItem as error:
            self._failed(error)
            return
        self.crawled.items.extend(items)
        self._reporter.progress(spider.name, len(self.crawled.items), unit="items")

    def spider_error(self, failure, response, spider):
        self._failed(failure.value)

    def _failed(self, error: BaseException) -> None:
        """Keep the first error and stop the crawl: nothing it fetches after this may be stored anyway."""
        if self.crawled.error is None:
            self.crawled.error = error
            if self.crawler.engine is not None:
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="source_error"))

    def spider_closed(self, spider, reason):
        self.crawled.close_reason = reason


def crawl_all(
    plan: Iterable[tuple[type, dict[str, Any], Any]],
    on_crawled: Callable[[Any, Crawled], None],
    reporter: Reporter,
    verbose: bool = False,
) -> None:
    """Run the planned crawls one after another in one Scrapy process.

    `plan` yields (spider class, spider arguments, context) and is read lazily, so
    each crawl is planned after the one before it has been handled; `on_crawled`
    gets the context and what the crawl saw.
    """
    if not verbose:
        logging.getLogger("scrapy").setLevel(logging.CRITICAL)
        logging.getLogger("py.warnings").setLevel(logging.ERROR)
    settings = scrapy_settings()
    settings.set("LOG_INSTALL_ROOT_HANDLER", verbose)
    install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    process = CrawlerProcess(settings)
    from twisted.internet import defer, reactor  # only after the configured reactor is installed

    failures: list[BaseException] = []

    @defer.inlineCallbacks
    def run_all():
        try:
            for spider_cls, arguments, context in plan:
                crawler = process.create_crawler(spider_cls)
                collector = _Collector(crawler, reporter)
                if not verbose:
                    logging.getLogger(spider_cls.name).setLevel(logging.CRITICAL)
                yield process.crawl(crawler, **arguments)
                reporter.finish(spider_cls.name)
                collector.crawled.warnings = list(getattr(crawler.spider, "source_warnings", []))
                on_crawled(context, collector.crawled)
        except BaseException as error:  # a bug in our own code: surface it after the reactor stops
            failures.append(error)
        finally:
            reactor.stop()

    reactor.callWhenRunning(run_all)
    process.start(stop_after_crawl=False)
    if failures:
        raise failures[0]
