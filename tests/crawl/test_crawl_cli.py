"""End to end: `chokepoint crawl` through the real Scrapy engine into a real SQLite file.

The failure cases all start from a good crawl and check that a bad one changes
nothing already stored: no listing modified, none marked removed, no change rows.
"""

import json
import shutil

import pytest
from sqlite_utils import Database

from pipeline.crawl import engine
from pipeline.crawl.model import CrawlRequest
from pipeline.crawl.run import spider_args
from pipeline.store import apply_documents, ensure_schema, start_run
from spiders.eu.eu_trade_defence import EuTradeDefenceSpider
from spiders.federal_register.federal_register import FederalRegisterSpider
from spiders.kit.items import Document, as_record
from tests.kit.cli import run_cli
from tests.kit.files import FILES

CSL_SAMPLE = FILES / "csl" / "consolidated.csv"
FR_SAMPLE = FILES / "federal_register" / "documents_2024-01.json"


def crawl_csl(db_path, url=CSL_SAMPLE.as_uri(), *extra):
    return run_cli("crawl", "csl", "--url", url, "--db", str(db_path), "--expect", "1:100", *extra)


def snapshot(db_path):
    """Everything a failed crawl must leave alone."""
    db = Database(db_path)
    return (
        list(db.query("SELECT * FROM listings ORDER BY id")),
        list(db.query("SELECT * FROM documents ORDER BY id")),
        list(db.query("SELECT * FROM changes ORDER BY id")),
    )


def last_run(db_path):
    return list(Database(db_path).query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1"))[0]


def test_csl_crawl_stores_listings_and_a_second_run_changes_nothing(db_path):
    first = crawl_csl(db_path)
    assert first.returncode == 0, first.stderr
    assert "csl: ok, 70 items (1 duplicate merged): 69 added, 0 modified, 0 removed" in first.stdout
    assert "csl:CAP:15268 appears twice in one crawl: merged" in first.stderr
    db = Database(db_path)
    assert db["listings"].count == 69
    assert db["changes"].count == 69
    second = crawl_csl(db_path)
    assert "0 added, 0 modified, 0 removed, 0 restored, 69 unchanged" in second.stdout
    assert db["changes"].count == 69
    runs = list(db.query("SELECT status, added, duplicates_merged, list_counts FROM crawl_runs ORDER BY id"))
    assert [r["status"] for r in runs] == ["succeeded", "succeeded"]
    assert runs[0]["duplicates_merged"] == 1
    assert json.loads(runs[0]["list_counts"])["EL"] == 42


def test_the_declared_range_fails_a_crawl_that_is_far_too_small(db_path):
    result = run_cli("crawl", "csl", "--url", CSL_SAMPLE.as_uri(), "--db", str(db_path))
    assert result.returncode == 1
    assert "csl: item count out of range: 69 items, expected 5000..60000" in result.stderr
    assert Database(db_path)["listings"].count == 0
    assert last_run(db_path)["status"] == "failed"


@pytest.mark.parametrize(
    "name, reason",
    [
        ("missing.csv", "source unavailable: FileNotFoundError"),
        ("empty.csv", "source returned nothing"),
        ("truncated_mid_quote.csv", "source truncated"),
        ("truncated_mid_row.csv", "source truncated"),
        ("renamed_column.csv", "source changed shape: renamed_column.csv header lacks column(s): alt_names"),
        ("waf_challenge.html", "source blocked"),
    ],
)
def test_a_broken_source_fails_loudly_and_loses_nothing(db_path, name, reason):
    assert crawl_csl(db_path).returncode == 0
    before = snapshot(db_path)
    result = crawl_csl(db_path, (FILES / "csl" / name).as_uri())
    assert result.returncode == 1
    assert f"csl: FAILED [run 2]: csl: {reason}" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "Error: 1 of 1 crawl(s) failed: csl"
    run = last_run(db_path)
    assert run["status"] == "failed" and reason in run["error"]
    assert snapshot(db_path) == before


def test_a_list_that_shrank_by_half_is_a_broken_download_not_a_mass_delisting(db_path, tmp_path):
    assert crawl_csl(db_path).returncode == 0
    before = snapshot(db_path)
    lines = CSL_SAMPLE.read_text().splitlines(keepends=True)
    partial = tmp_path / "consolidated.csv"
    partial.write_text("".join(lines[:20]))  # the first rows only: the Entity List falls from 42 to 14
    result = crawl_csl(db_path, partial.as_uri())
    assert result.returncode == 1
    assert "csl: source shrank: would remove 28 of 42 EL listings (67%)" in result.stderr
    assert snapshot(db_path) == before


def test_a_party_gone_from_a_healthy_crawl_is_marked_removed(db_path, tmp_path):
    assert crawl_csl(db_path).returncode == 0
    lines = CSL_SAMPLE.read_text().splitlines(keepends=True)
    dahua = [i for i, line in enumerate(lines) if "DAHUA ELECTRONICS CORPORATION" in line]
    smaller = tmp_path / "consolidated.csv"
    smaller.write_text("".join(line for i, line in enumerate(lines) if i not in dahua))
    result = crawl_csl(db_path, smaller.as_uri(), "--expect", "1:100")
    assert "0 added, 0 modified, 1 removed" in result.stdout
    db = Database(db_path)
    (removed,) = db.query("SELECT name, removed_on FROM listings WHERE removed_on IS NOT NULL")
    assert removed == {"name": "DAHUA ELECTRONICS CORPORATION", "removed_on": "2026-11-28T12:00:00Z"}


@pytest.mark.parametrize(
    "path, reason",
    [
        ("status/404", "HTTP 404"),
        ("status/500", "HTTP 500"),
        ("slow/5/consolidated.csv", "TimeoutError"),
    ],
)
def test_http_errors_and_timeouts_fail_the_crawl(db_path, http_server, path, reason):
    base, root = http_server
    shutil.copy(CSL_SAMPLE, root / "consolidated.csv")
    assert crawl_csl(db_path, f"{base}/consolidated.csv").returncode == 0
    before = snapshot(db_path)
    result = crawl_csl(db_path, f"{base}/{path}", "--timeout", "1")
    assert result.returncode == 1
    assert reason in result.stderr
    assert snapshot(db_path) == before


def test_a_403_is_a_block_and_source_health_says_so(db_path, http_server):
    base, root = http_server
    shutil.copy(CSL_SAMPLE, root / "consolidated.csv")
    assert crawl_csl(db_path, f"{base}/consolidated.csv").returncode == 0
    before = snapshot(db_path)
    result = crawl_csl(db_path, f"{base}/status/403")
    assert result.returncode == 1
    assert "csl: FAILED [run 2]: csl: source blocked: HTTP 403 (forbidden) from " in result.stderr
    assert snapshot(db_path) == before
    health = run_cli("sources", "--db", str(db_path), "--format", "json")
    csl = next(row for row in map(json.loads, health.stdout.splitlines()) if row["spider"] == "csl")
    assert csl["status"] == "blocked" and "HTTP 403" in csl["last_error"]
    check = run_cli("sources", "--db", str(db_path), "--check")
    assert check.returncode == 1 and "csl" in check.stderr.splitlines()[-1]


def test_federal_register_crawl_and_rerun(db_path):
    first = run_cli("crawl", "federal_register", "--url", FR_SAMPLE.as_uri(), "--db", str(db_path))
    assert "federal_register: ok, 15 items: 15 added" in first.stdout
    second = run_cli("crawl", "federal_register", "--url", FR_SAMPLE.as_uri(), "--db", str(db_path))
    assert "0 added, 0 modified, 0 removed, 0 restored, 15 unchanged" in second.stdout
    assert Database(db_path)["documents"].count == 15


def test_federal_register_follows_pages_on_a_replay_server(db_path, http_server):
    base, root = http_server
    page = json.loads(FR_SAMPLE.read_text())
    first, second = dict(page), dict(page)
    first["results"], second["results"] = page["results"][:8], page["results"][8:]
    first["next_page_url"] = f"{base}/documents-page-2.json"
    (root / "documents.json").write_text(json.dumps(first))
    (root / "documents-page-2.json").write_text(json.dumps(second))
    result = run_cli("crawl", "federal_register", "--url", f"{base}/documents.json", "--db", str(db_path))
    assert "15 added" in result.stdout, result.stderr
    assert Database(db_path)["documents"].count == 15


def test_crawl_all_carries_on_past_a_failing_source_and_names_it(db_path, tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            [
                {"spider": "federal_register", "url": FR_SAMPLE.as_uri()},
                {"spider": "csl", "url": (FILES / "csl" / "truncated_mid_row.csv").as_uri()},
            ]
        )
    )
    result = run_cli("crawl", "--all", "--replay", str(manifest), "--db", str(db_path))
    assert result.returncode == 1
    assert "federal_register: ok, 15 items" in result.stdout
    failed = [name for name in engine.spider_names() if name != "federal_register"]
    assert f"crawl(s) failed: {', '.join(failed)}" in result.stderr
    assert "csl: FAILED" in result.stderr and "source truncated" in result.stderr
    assert Database(db_path)["documents"].count == 15


def test_unknown_spider_is_a_usage_error(db_path):
    result = run_cli("crawl", "nope", "--db", str(db_path))
    assert result.returncode == 2
    assert "no spider named 'nope'" in result.stderr


def test_a_live_document_stream_asks_only_from_what_it_already_has(db):
    ensure_schema(db)
    request = CrawlRequest("federal_register")
    assert "since" not in spider_args(db, FederalRegisterSpider, request)
    run_id = start_run(db, "federal_register", "documents", "x", "2026-11-28T12:00:00Z")
    apply_documents(
        db,
        run_id,
        [
            as_record(
                Document(
                    source="federal_register",
                    document_number="2024-00734",
                    title="Publication of Russian Harmful Foreign "
                    "Activities Sanctions Regulations Web General Licenses",
                    publication_date="2024-01-17",
                    jurisdiction="US",
                    publisher="Foreign Assets Control Office",
                )
            )
        ],
        "2026-11-28T12:00:00Z",
    )
    assert spider_args(db, FederalRegisterSpider, request)["since"] == "2024-01-17"
    replaying = CrawlRequest("federal_register", url=FR_SAMPLE.as_uri())
    assert "since" not in spider_args(db, FederalRegisterSpider, replaying)


def test_a_source_read_whole_on_every_crawl_refuses_since(db_path, db):
    result = run_cli("crawl", "eu_fsr", "--since", "2024-01-01", "--db", str(db_path))
    assert result.returncode == 2
    assert "eu_fsr reads its whole source on every crawl: it takes no --since" in result.stderr
    with pytest.raises(ValueError, match="eu_trade_defence reads its whole source on every crawl"):
        EuTradeDefenceSpider(since="2024-01-01")
    run_id = start_run(db, "eu_trade_defence", "documents", "x", "2026-11-28T12:00:00Z")
    apply_documents(
        db,
        run_id,
        [
            as_record(
                Document(
                    source="eu_trade_defence",
                    document_number="AS689",
                    title="AS689: New battery electric vehicles",
                    publication_date="2023-10-04",
                    jurisdiction="EU",
                    publisher="European Commission, DG Trade",
                )
            )
        ],
        "2026-11-28T12:00:00Z",
    )
    assert "since" not in spider_args(db, EuTradeDefenceSpider, CrawlRequest("eu_trade_defence"))
