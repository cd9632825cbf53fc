"""Serving the published database safely: immutable, one name, internal tables hidden, bounded, no local paths."""

import hashlib
import logging

from sqlite_utils import Database

from pipeline.site import DatabaseBusy, make_datasette
from pipeline.site.datasette import settle
from tests.site.conftest import fetch, get


def test_the_database_is_served_immutable_as_chokepoint(history_db):
    before = hashlib.sha256(history_db.read_bytes()).hexdigest()
    datasette = make_datasette(history_db)
    assert list(datasette.databases) == ["_internal", "chokepoint"]
    assert datasette.get_database("chokepoint").is_mutable is False
    (databases, listings, by_file_name) = fetch(
        history_db, "/-/databases.json", "/chokepoint/listings.json?_size=1", "/tracker/listings.json"
    )
    assert [(d["name"], d["is_mutable"]) for d in databases.json()] == [("chokepoint", False)]
    assert listings.status == 200 and by_file_name.status == 404  # tracker.db is still /chokepoint/
    assert hashlib.sha256(history_db.read_bytes()).hexdigest() == before


def test_internal_tables_are_hidden(demo_db):
    database = get(demo_db, "/chokepoint.json").json()
    tables = {t["name"]: t for t in database["tables"]}
    for internal in ("_sqlite_migrations", "search_index_version", "listing_citations", "listings_search"):
        assert tables[internal]["hidden"], internal
    for public in ("listings", "documents", "changes", "crawl_runs", "sources", "label_corrections"):
        assert not tables[public]["hidden"], public
    assert {"source_health", "listing_rules", "public_inspection_links"} <= {v["name"] for v in database["views"]}
    page = get(demo_db, "/chokepoint").text
    assert "_sqlite_migrations" not in page


def test_limits_are_set_and_suggestions_off(demo_db):
    settings = get(demo_db, "/-/settings.json").json()
    assert settings["sql_time_limit_ms"] == 3000 and settings["max_returned_rows"] == 1000
    assert settings["suggest_facets"] is False
    assert "suggested-facets" not in get(demo_db, "/chokepoint/listings").text


def test_no_local_path_is_published(history_db):
    dump = "\n".join(Database(history_db).iterdump())
    assert "/home/someone" not in dump
    runs = get(history_db, "/chokepoint/crawl_runs.json?_shape=objects").json()["rows"]
    assert {run["source_url"] for run in runs} == {
        "file://…/consolidated.csv",
        "file://…/documents.json",
        "file://sample",
    }


def test_a_404_is_a_page_and_leaves_no_traceback(demo_db, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    pages = fetch(demo_db, "/nope", "/chokepoint/nope", "/chokepoint/listings/nope", "/chokepoint/nope.json")
    assert [page.status for page in pages] == [404, 404, 404, 404]
    assert "<h1>Not found</h1>" in pages[1].text and "Table not found" in pages[1].text
    assert pages[3].json()["ok"] is False
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out + caplog.text


def test_a_database_a_crawl_is_still_writing_to_is_not_served_silently(tmp_path):
    path = tmp_path / "busy.db"
    writer = Database(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer["t"].insert({"a": 1})
    reader = Database(path)
    reader.conn.execute("BEGIN")
    reader.execute("SELECT * FROM t").fetchall()  # an open read keeps the log from being folded in
    writer["t"].insert({"a": 2})
    try:
        settle(path)
        raise AssertionError("settle did not refuse")
    except DatabaseBusy as error:
        assert "a crawl is running" in str(error)
    reader.conn.rollback()
    settle(path)
    assert not (tmp_path / "busy.db-wal").exists() or (tmp_path / "busy.db-wal").stat().st_size == 0
    assert Database(path)["t"].count == 2
