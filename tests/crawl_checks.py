"""Listing counts on top of `tests.crawl_helpers` (the end-to-end `chokepoint crawl` checks every spider shares)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from tests.crawl_helpers import assert_crawls_twice_without_changes, assert_out_of_range_crawl_fails, crawl

__all__ = ["assert_out_of_range_fails", "assert_stores_then_changes_nothing", "crawl", "list_counts", "runs", "stored"]

assert_out_of_range_fails = assert_out_of_range_crawl_fails


def stored(db_path: Path, spider: str) -> list[dict]:
    """The spider's listings not marked removed."""
    return list(Database(db_path).query(
        "SELECT * FROM listings WHERE source = ? AND removed_on IS NULL ORDER BY id", [spider]))


def runs(db_path: Path) -> list[dict]:
    return list(Database(db_path).query("SELECT * FROM crawl_runs ORDER BY id"))


def list_counts(db_path: Path) -> dict[str, int]:
    """Listings per list code in the last run, as the runner recorded them."""
    return json.loads(runs(db_path)[-1]["list_counts"])


def assert_stores_then_changes_nothing(spider: str, url: str, db_path: Path, expected: int, *extra: str) -> list[dict]:
    """A first crawl stores `expected` listings; the same crawl again records no change."""
    assert_crawls_twice_without_changes(spider, url, db_path, *extra)
    rows = stored(db_path, spider)
    assert len(rows) == expected
    return rows
