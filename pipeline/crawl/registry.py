"""The source registry: every spider's declared facts, written to the `sources` table before crawls."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from pipeline.crawl import engine
from pipeline.store import registry


def declared_sources() -> list[dict[str, Any]]:
    """The facts each spider declares beside its code."""
    facts = []
    for name in engine.spider_names():
        spider = engine.spider_class(name)
        low, high = spider.expected_items
        facts.append(
            {
                "spider": name,
                "kind": spider.kind,
                "publisher": spider.publisher,
                "jurisdiction": spider.jurisdiction,
                "license": spider.license.text,
                "license_url": spider.license.url,
                "live_url": " ".join(spider.live_urls),
                "schedule": spider.schedule,
                "expected_min": low,
                "expected_max": high,
            }
        )
    return facts


def register_sources(db: Database) -> None:
    """Refresh the `sources` table, so health covers sources never crawled too."""
    registry.replace_sources(db, declared_sources())
