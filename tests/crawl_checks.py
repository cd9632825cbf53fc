"""End-to-end checks through the real `chokepoint crawl` (a subprocess: Scrapy's reactor runs once per process)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from tests.conftest import run_cli


def crawl(spider: str, url: str, db_path: Path, *extra: str):
    return run_cli("crawl", spider, "--url", url, "--db", str(db_path), *extra)


def runs(db_path: Path) -> list[dict]:
    return list(Database(db_path).query("SELECT * FROM crawl_runs ORDER BY id"))


def stored(db_path: Path, spider: str) -> list[dict]:
    return list(Database(db_path).query("SELECT * FROM listings WHERE source = ? AND removed_on IS NULL ORDER BY id", [spider]))


def changes(db_path: Path, run_id: int) -> int:
    return Database(db_path).execute("SELECT count(*) FROM changes WHERE run_id = ?", [run_id]).fetchone()[0]


def assert_stores_then_changes_nothing(spider: str, url: str, db_path: Path, expected: int, *extra: str) -> list[dict]:
    """A first crawl stores `expected` listings; the same crawl again succeeds and records no change."""
    first = crawl(spider, url, db_path, *extra)
    assert first.returncode == 0, first.stderr
    rows = stored(db_path, spider)
    assert len(rows) == expected
    second = crawl(spider, url, db_path, *extra)
    assert second.returncode == 0, second.stderr
    last = runs(db_path)[-1]
    assert (last["status"], last["added"], last["modified"], last["removed"]) == ("succeeded", 0, 0, 0)
    assert changes(db_path, last["id"]) == 0
    return rows


def assert_out_of_range_fails(spider: str, url: str, db_path: Path) -> None:
    """A crawl outside the spider's declared range fails by name, is recorded as failed, and stores nothing."""
    result = crawl(spider, url, db_path)
    assert result.returncode == 1
    assert f"{spider}: FAILED" in result.stderr and "item count out of range" in result.stderr
    (run,) = runs(db_path)
    assert run["status"] == "failed" and "out of range" in run["error"]
    assert stored(db_path, spider) == []


def list_counts(db_path: Path) -> dict[str, int]:
    return json.loads(runs(db_path)[-1]["list_counts"])
