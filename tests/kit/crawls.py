"""End-to-end crawl checks every spider shares: a real `chokepoint crawl` subprocess into a temporary database."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from tests.kit.cli import run_cli


def crawl(spider: str, url: str, db_path: Path, *extra: str):
    """`chokepoint crawl SPIDER --url URL` into db_path (the private database beside it)."""
    private = db_path.with_name("private.db")
    return run_cli("crawl", spider, "--url", url, "--db", str(db_path), "--private-db", str(private), *extra)


def crawl_live(spider: str, stage, db_path: Path, *extra: str):
    """`chokepoint crawl SPIDER` from its live URLs, which a local server plays (tests/kit/live.py)."""
    private = db_path.with_name("private.db")
    return run_cli("crawl", spider, "--db", str(db_path), "--private-db", str(private), *extra, env=stage.env)


def runs(db_path: Path) -> list[dict]:
    return list(Database(db_path).query("SELECT * FROM crawl_runs ORDER BY id"))


def last_run(db_path: Path) -> dict:
    return runs(db_path)[-1]


def list_counts(db_path: Path) -> dict[str, int]:
    """Listings per list code in the last run, as the crawl recorded them."""
    return json.loads(last_run(db_path)["list_counts"])


def changes_in_run(db_path: Path, run_id: int) -> int:
    return Database(db_path).execute("SELECT count(*) FROM changes WHERE run_id = ?", [run_id]).fetchone()[0]


def stored(db_path: Path, source: str, table: str = "listings") -> list[dict]:
    """A source's stored rows by id: its documents, or its listings not marked removed."""
    db = Database(db_path)
    if not db[table].exists():
        return []
    active = " AND removed_on IS NULL" if table == "listings" else ""
    return list(db.query(f"SELECT * FROM [{table}] WHERE source = ?{active} ORDER BY id", [source]))


def assert_crawls_twice_without_changes(spider: str, url: str, db_path: Path, *extra: str) -> dict:
    """Crawl, check it stored something, crawl again, check the second run changed nothing. Returns the first run."""
    first = crawl(spider, url, db_path, *extra)
    assert first.returncode == 0, first.stderr
    first_run = last_run(db_path)
    assert first_run["status"] == "succeeded"
    assert first_run["added"] > 0
    second = crawl(spider, url, db_path, *extra)
    assert second.returncode == 0, second.stderr
    second_run = last_run(db_path)
    assert second_run["id"] != first_run["id"]
    assert (second_run["added"], second_run["modified"], second_run["removed"], second_run["restored"]) == (0, 0, 0, 0)
    assert changes_in_run(db_path, second_run["id"]) == 0
    return first_run


def assert_stores_then_changes_nothing(spider: str, url: str, db_path: Path, expected: int, *extra: str) -> list[dict]:
    """A first crawl stores `expected` listings; the same crawl again records no change."""
    assert_crawls_twice_without_changes(spider, url, db_path, *extra)
    rows = stored(db_path, spider)
    assert len(rows) == expected
    return rows


def assert_out_of_range_crawl_fails(spider: str, url: str, db_path: Path, *extra: str):
    """A crawl outside the declared range exits 1, records a failed run and stores nothing. Returns the run's output."""
    result = crawl(spider, url, db_path, *extra)
    assert result.returncode == 1
    assert "item count out of range" in result.stderr
    run = last_run(db_path)
    assert run["status"] == "failed"
    assert "item count out of range" in run["error"]
    assert stored(db_path, spider) == []
    assert stored(db_path, spider, "documents") == []
    return result
