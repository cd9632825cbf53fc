"""End-to-end crawl checks shared by spider tests: a real `chokepoint crawl` subprocess into a temporary database."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from tests.conftest import run_cli


def crawl(spider: str, url: str, db_path: Path, *extra: str):
    """`chokepoint crawl SPIDER --url URL` into db_path (the private database beside it)."""
    private = db_path.with_name("private.db")
    return run_cli("crawl", spider, "--url", url, "--db", str(db_path), "--private-db", str(private), *extra)


def last_run(db_path: Path) -> dict:
    return next(Database(db_path).query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))


def changes_in_run(db_path: Path, run_id: int) -> int:
    return Database(db_path).execute("SELECT count(*) FROM changes WHERE run_id = ?", [run_id]).fetchone()[0]


def stored(db_path: Path, table: str, source: str) -> list[dict]:
    db = Database(db_path)
    if not db[table].exists():
        return []
    return list(db.query(f"SELECT * FROM [{table}] WHERE source = ? ORDER BY id", [source]))


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


def assert_out_of_range_crawl_fails(spider: str, url: str, db_path: Path, *extra: str) -> None:
    """A crawl outside the declared range exits 1, records a failed run and stores nothing."""
    result = crawl(spider, url, db_path, *extra)
    assert result.returncode == 1
    assert "item count out of range" in result.stderr
    run = last_run(db_path)
    assert run["status"] == "failed"
    assert "item count out of range" in run["error"]
    assert stored(db_path, "listings", spider) == []
    assert stored(db_path, "documents", spider) == []
