"""Case 2 of the screening issue: read-only commands never create a database, and screening
against an empty database or a list whose last crawl failed or is stale is an error (or, with
--allow-stale, a warning on every result and in the receipt)."""

import csv
import io
import json

import pytest
from sqlite_utils import Database

from pipeline import store
from pipeline.crawl.registry import register_sources
from tests.kit.cli import FROZEN_NOW, run_cli
from tests.kit.published import build_published

VENDORS = "name,country,id\nHuawei Technologies Co Ltd,CN,V0001\nRosneft Trading SA,CH,V0002\n"
THREE_DAYS_LATER = "2026-12-01T12:00:00Z"


@pytest.fixture
def vendors(tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_text(VENDORS, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["sources"],
        ["sources", "--lists"],
        ["lists"],
        ["screen", "VENDORS"],
        ["alerts"],
        ["receipt"],
        ["receipt", "1"],
        ["watchlist", "list"],
        ["watchlist", "history", "vendors"],
        ["watchlist", "remove", "vendors", "--yes"],
        ["review", "1", "--confirmed", "--note", "checked"],
        ["serve"],
    ],
)
def test_a_read_only_command_never_creates_a_database(tmp_path, vendors, command):
    db_path, private_path = tmp_path / "data" / "chokepoint.db", tmp_path / "data" / "private.db"
    args = [str(vendors) if part == "VENDORS" else part for part in command]
    options = (
        ["--db", str(db_path)] if command[0] in ("sources", "lists", "serve") else ["--private-db", str(private_path)]
    )
    if command[0] == "screen":
        options = ["--db", str(db_path), "--private-db", str(private_path)]
    result = run_cli(*args, *options)
    assert not (tmp_path / "data").exists(), result.stderr
    if command == ["sources"]:  # the declared sources, none crawled yet
        assert result.returncode == 0, result.stderr
        assert "csl " in result.stdout and "never crawled" in result.stdout
        assert f"no database at {db_path} yet" in result.stderr
    else:
        assert result.returncode == 1, result.stdout
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "does not exist" in result.stderr or "no such database" in result.stderr


def test_screening_an_empty_database_is_an_error(tmp_path, vendors):
    db_path = tmp_path / "chokepoint.db"
    store.ensure_schema(Database(db_path))  # what `chokepoint sources` used to leave behind
    result = run_cli("screen", str(vendors), "--db", str(db_path), "--private-db", str(tmp_path / "private.db"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"{db_path}: no listings yet; crawl a list first" in result.stderr
    assert not (tmp_path / "private.db").exists()


@pytest.fixture
def published(tmp_path):
    db_path = tmp_path / "chokepoint.db"
    db, _ = build_published(db_path)
    register_sources(db)  # the csl is crawled daily: stale after 48 h without a successful crawl
    return db, db_path


def failed_crawl(db, error="csl: source truncated: consolidated.csv line 4233: unexpected end of data"):
    run_id = store.start_run(db, "csl", "listings", "file://sample", "2026-11-28T13:00:00Z")
    store.finish_run(db, run_id, "failed", "2026-11-28T13:00:05Z", error=error)


def screen(tmp_path, db_path, vendors, *args, now=FROZEN_NOW):
    private = tmp_path / "private.db"
    return run_cli("screen", str(vendors), "--db", str(db_path), "--private-db", str(private), *args, now=now)


def test_screening_against_a_list_whose_last_crawl_failed_is_an_error(tmp_path, published, vendors):
    db, db_path = published
    failed_crawl(db)
    result = screen(tmp_path, db_path, vendors)
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: csl: its last crawl failed (2026-11-28T13:00:05Z: csl: source truncated: ")
    assert "the listings are those of the crawl of 2026-11-28T12:00:00Z" in line
    assert "--allow-stale" in line
    assert not (tmp_path / "private.db").exists()


def test_screening_against_a_stale_list_is_an_error(tmp_path, published, vendors):
    _, db_path = published
    assert screen(tmp_path, db_path, vendors, now="2026-11-30T11:00:00Z").returncode == 0  # 47 h: still fresh
    result = screen(tmp_path, db_path, vendors, now=THREE_DAYS_LATER)
    assert result.returncode == 1
    assert (
        "csl: stale: last successful crawl 2026-11-28T12:00:00Z, 72 h ago; crawled daily, so stale after 48 h"
        in result.stderr
    )


def test_allow_stale_warns_on_every_result_and_in_the_receipt(tmp_path, published, vendors):
    db, db_path = published
    failed_crawl(db)
    result = screen(tmp_path, db_path, vendors, "--allow-stale", now=THREE_DAYS_LATER)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2
    for row in rows:
        [warning] = row["warnings"]
        assert warning.startswith("csl: its last crawl failed")
        assert "stale: last successful crawl 2026-11-28T12:00:00Z, 72 h ago" in warning
    assert "Warning: csl: its last crawl failed" in result.stderr
    receipt = json.loads(run_cli("receipt", "1", "--private-db", str(tmp_path / "private.db"), check=True).stdout)
    assert receipt["warnings"] == rows[0]["warnings"]

    as_csv = screen(tmp_path, db_path, vendors, "--allow-stale", "--format", "csv", now=THREE_DAYS_LATER)
    lines = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert lines and all(line["warnings"] == rows[0]["warnings"][0] for line in lines)


def test_a_fresh_screening_has_no_warnings(tmp_path, published, vendors):
    _, db_path = published
    result = screen(tmp_path, db_path, vendors)
    assert result.returncode == 0, result.stderr
    assert all("warnings" not in json.loads(line) for line in result.stdout.splitlines())
    assert "Warning" not in result.stderr


def test_a_watchlist_is_not_screened_against_a_failing_list_unless_allowed(tmp_path, published, vendors):
    db, db_path = published
    failed_crawl(db)
    private = tmp_path / "private.db"
    add = ["watchlist", "add", "vendors", str(vendors), "--db", str(db_path), "--private-db", str(private)]
    refused = run_cli(*add)
    assert refused.returncode == 1 and "csl: its last crawl failed" in refused.stderr
    assert not private.exists()  # refused before anything was saved
    allowed = run_cli(*add, "--allow-stale", check=True)
    assert "Warning: csl: its last crawl failed" in allowed.stderr
    receipt = json.loads(run_cli("receipt", "1", "--private-db", str(private), check=True).stdout)
    assert receipt["kind"] == "watchlist" and receipt["warnings"][0].startswith("csl: its last crawl failed")
