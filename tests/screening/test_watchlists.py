"""Watchlists live only in the private database; after a crawl only changed listings are
screened; reviewed false positives stay quiet until the listing changes materially; every
run leaves a receipt."""

import asyncio
import csv
import dataclasses
import hashlib
import io
import json

import pytest
from sqlite_utils import Database

from pipeline import store
from pipeline.screening import run
from pipeline.screening.private import alerts, reviews
from pipeline.screening.private.database import open_private
from pipeline.site import make_datasette
from pipeline.store.changes import Changes
from spiders.kit.items import as_record
from tests.kit.cli import FROZEN_NOW, run_cli
from tests.kit.files import FILES, edited
from tests.kit.published import build_published, sample_listings

COUNTERPARTIES = b"name,country,id\nHuawei Technologies Co Ltd,CN,V-001\nAcme Widgets Secret Supplier,US,V-002\nRosneft Trading SA,CH,V-003\n"


@pytest.fixture
def setup(tmp_path):
    db_path, private_path = tmp_path / "chokepoint.db", tmp_path / "private.db"
    db, _ = build_published(db_path)
    watchlist = tmp_path / "vendors.csv"
    watchlist.write_bytes(COUNTERPARTIES)
    return db, db_path, private_path, watchlist


def recrawl(db, listings, now="2026-11-29T12:00:00Z"):
    """Apply a new complete snapshot, as a crawl would; returns the run id and changed ids."""
    run_id = store.start_run(db, "csl", "listings", "file://sample", now)
    counts = store.apply_snapshot(db, run_id, "csl", [as_record(item) for item in listings], now)
    store.finish_run(db, run_id, "succeeded", now, complete=1)
    return Changes(run_id, "csl", listings=tuple(counts.changed_ids))


def test_a_watchlist_never_reaches_the_published_database_or_site(setup):
    db, db_path, private_path, watchlist = setup
    added = run.add_watchlist(db_path, private_path, "vendors", watchlist)
    assert not added.parsed.problems and added.screened.queries == 3
    private = open_private(private_path)
    assert private["watchlist_entries"].count == 3
    assert {"watchlists", "watchlist_entries", "alerts", "reviews", "screening_runs"}.isdisjoint(db.table_names())
    db.conn.close()
    for suffix in ("", "-wal"):
        path = db_path.with_name(db_path.name + suffix)
        if path.exists():
            assert b"Acme Widgets Secret Supplier" not in path.read_bytes()

    async def site():
        datasette = make_datasette(db_path)
        databases = (await datasette.client.get("/-/databases.json")).json()
        search = await datasette.client.get(f"/{db_path.stem}/listings.json?_search=Acme+Widgets")
        private_page = await datasette.client.get("/private")
        return databases, search.json(), private_page.status_code

    databases, search, private_status = asyncio.run(site())
    assert [database["name"] for database in databases] == ["chokepoint"]
    assert search["rows"] == []
    assert private_status == 404


def test_adding_a_watchlist_screens_it_and_raises_alerts_for_matches_only(setup):
    _, db_path, private_path, watchlist = setup
    screened = run.add_watchlist(db_path, private_path, "vendors", watchlist).screened
    raised = alerts.list_alerts(open_private(private_path))
    assert screened.counts.new == len(raised) > 0
    assert {alert["counterparty"] for alert in raised} == {"Huawei Technologies Co Ltd", "Rosneft Trading SA"}
    assert all(alert["status"] == "open" for alert in raised)


def test_after_a_crawl_only_new_or_changed_listings_are_screened(setup):
    db, db_path, private_path, watchlist = setup
    run.add_watchlist(db_path, private_path, "vendors", watchlist)
    before = len(alerts.list_alerts(open_private(private_path)))
    listings = sample_listings()
    # ACME WIDGETS is invented for this test: a listing that appears in the next crawl.
    added = dataclasses.replace(
        listings[-1], entry_id="test-added", name="ACME WIDGETS SECRET SUPPLIER", alt_names=[], countries=["US"]
    )
    outcome = recrawl(db, listings + [added])
    assert outcome.listings == (added.id,)

    result = run.screen_changed(db, outcome, private_path)
    private = open_private(private_path)
    receipt = private["screening_runs"].get(result.watchlists[0].receipt_id)
    assert (receipt["kind"], receipt["crawl_run_id"]) == ("delta", outcome.run_id)
    screened_ids = {
        row["listing_id"]
        for row in private.query("SELECT listing_id FROM screening_results WHERE run_id = ?", [receipt["id"]])
    }
    assert screened_ids == {added.id}  # Huawei and Rosneft were not screened again
    new = alerts.list_alerts(private)[before:]
    assert [(a["counterparty"], a["listing_id"]) for a in new] == [("Acme Widgets Secret Supplier", added.id)]


def test_a_crawl_without_watchlists_or_changes_does_nothing(setup, tmp_path):
    db, *_ = setup
    assert run.screen_changed(db, Changes(1, "csl", listings=("csl:X:1",)), tmp_path / "none.db") is None
    assert not (tmp_path / "none.db").exists()


def test_a_false_positive_stays_suppressed_until_the_listing_changes_materially(setup):
    db, db_path, private_path, watchlist = setup
    run.add_watchlist(db_path, private_path, "vendors", watchlist)
    private = open_private(private_path)
    rosneft = next(a for a in alerts.list_alerts(private) if a["listing_id"] == "csl:SSI:18299")
    reviews.review(private, rosneft["id"], "false_positive", "our Rosneft Trading is a different Swiss firm", "anna")
    assert reviews.reviews_of(private, rosneft["id"])[0]["reviewer"] == "anna"

    listings = sample_listings()
    index = next(i for i, item in enumerate(listings) if item.id == "csl:SSI:18299")
    listings[index] = dataclasses.replace(listings[index], remarks="A new remark is not a material change.")
    result = run.screen_changed(db, recrawl(db, listings), private_path)
    assert result.watchlists[0].counts.suppressed == 1 and result.watchlists[0].counts.new == 0

    listings[index] = dataclasses.replace(listings[index], alt_names=["ROSNEFT TRADING SWITZERLAND"])
    result = run.screen_changed(db, recrawl(db, listings, "2026-11-30T12:00:00Z"), private_path)
    assert result.watchlists[0].counts.new == 1
    raised = [a for a in alerts.list_alerts(open_private(private_path), "open") if a["listing_id"] == "csl:SSI:18299"]
    assert len(raised) == 1 and raised[0]["id"] != rosneft["id"]
    assert raised[0]["explanation"].startswith(f"listing changed since alert {rosneft['id']} was dismissed")


def test_a_screening_receipt_records_list_versions_input_hash_and_results(setup, tmp_path):
    db, db_path, private_path, _ = setup
    path = tmp_path / "check.csv"
    path.write_bytes(COUNTERPARTIES)
    result = run.screen_file(db_path, private_path, path)
    receipt = open_private(private_path)["screening_runs"].get(result.receipt_id)
    assert receipt["input_sha256"] == hashlib.sha256(COUNTERPARTIES).hexdigest()
    versions = json.loads(receipt["list_versions"])
    assert versions["csl"]["last_crawl_run"] == 1 and versions["csl"]["last_crawl_finished"] == FROZEN_NOW
    assert versions["csl"]["listings"] == db["listings"].count
    assert len(versions["csl"]["content_sha256"]) == 64
    stored = list(
        open_private(private_path).query(
            "SELECT query, listing_id, match FROM screening_results WHERE run_id = ?", [result.receipt_id]
        )
    )
    assert {row["query"] for row in stored if row["match"]} == {"Huawei Technologies Co Ltd", "Rosneft Trading SA"}
    assert receipt["results_sha256"] == run.receipts.results_sha256(result.rows)
    # The same lists give the same content hash; a changed listing gives another.
    listings = sample_listings()
    listings[0] = dataclasses.replace(listings[0], remarks="changed")
    recrawl(db, listings)
    again = run.screen_file(db_path, private_path, path)
    later = json.loads(open_private(private_path)["screening_runs"].get(again.receipt_id)["list_versions"])
    assert later["csl"]["content_sha256"] != versions["csl"]["content_sha256"]
    assert later["csl"]["last_crawl_run"] == 2


def test_the_commands_end_to_end(setup, tmp_path):
    db, db_path, private_path, watchlist = setup
    db.conn.close()
    common = ["--private-db", str(private_path)]
    added = run_cli("watchlist", "add", "vendors", str(watchlist), "--db", str(db_path), *common, check=True)
    assert "3 counterparties saved and screened" in added.stdout
    assert "vendors" in run_cli("watchlist", "list", *common, check=True).stdout
    listed = run_cli("alerts", "--format", "json", *common, check=True)
    first = json.loads(listed.stdout.splitlines()[0])["alerts"][0]
    reviewed = run_cli(
        "review",
        str(first["id"]),
        "--false-positive",
        "--note",
        "different firm",
        "--reviewer",
        "anna",
        *common,
        check=True,
    )
    assert "false positive by anna" in reviewed.stdout
    assert first["id"] not in [
        alert["id"]
        for line in run_cli("alerts", "--format", "json", *common, check=True).stdout.splitlines()
        for alert in json.loads(line)["alerts"]
    ]
    receipt = json.loads(run_cli("receipt", "1", *common, check=True).stdout)
    assert receipt["kind"] == "watchlist" and receipt["list_versions"]["csl"]["listings"] > 0
    missing = run_cli("review", "999", "--confirmed", "--note", "x", *common)
    assert missing.returncode == 1 and "no alert 999" in missing.stderr
    run_cli("watchlist", "remove", "vendors", "--yes", *common, check=True)
    assert Database(private_path).execute("SELECT removed FROM watchlists").fetchone()[0] == FROZEN_NOW


def test_screening_some_lists_only_as_csv(setup, tmp_path):
    db, db_path, private_path, _ = setup
    db.conn.close()
    path = tmp_path / "check.csv"
    path.write_bytes(COUNTERPARTIES)
    result = run_cli(
        "screen",
        str(path),
        "--db",
        str(db_path),
        "--private-db",
        str(private_path),
        "--lists",
        "SDN,SSI",
        "--format",
        "csv",
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "row",
        "query",
        "country",
        "id",
        "name",
        "alias",
        "source",
        "list",
        "listed_country",
        "score",
        "match",
        "explanation",
        "listing_id",
        "not_screened",
        "warnings",
    ]
    assert {row["list"] for row in rows if row["list"]} <= {"SDN", "SSI"}
    rosneft = [row for row in rows if row["query"] == "Rosneft Trading SA" and row["match"] == "true"]
    assert {row["list"] for row in rosneft} == {"SDN", "SSI"}
    assert not any("HUAWEI" in row["name"].upper() for row in rows)  # Huawei is on CMIC and EL only
    receipt = json.loads(run_cli("receipt", "1", "--private-db", str(private_path), check=True).stdout)
    assert receipt["lists"] == ["SDN", "SSI"] and receipt["kind"] == "file"


def test_a_real_crawl_screens_what_it_changed(tmp_path):
    """Through the Scrapy engine: the post-crawl step is registered and sees only the crawl's changes."""
    db_path, private_path = tmp_path / "chokepoint.db", tmp_path / "private.db"
    common = ["--db", str(db_path), "--private-db", str(private_path), "--expect", "50:100"]
    first = edited(
        tmp_path,
        FILES / "csl" / "consolidated.csv",
        "Megvii Technology",
        "Megvii Tech Holdings",
        count=-1,
        name="first.csv",
    )  # a name the next crawl fixes
    run_cli("crawl", "csl", "--url", first.as_uri(), *common, check=True)
    watchlist = tmp_path / "vendors.csv"
    watchlist.write_text("name,country\nMegvii Technology,CN\n")
    run_cli(
        "watchlist",
        "add",
        "vendors",
        str(watchlist),
        "--db",
        str(db_path),
        "--private-db",
        str(private_path),
        check=True,
    )
    before = Database(private_path)["alerts"].count
    second = run_cli("crawl", "csl", "--url", (FILES / "csl" / "consolidated.csv").as_uri(), *common, check=True)
    assert "screening: 1 changed listing(s) against watchlist 'vendors': 1 new alert(s)" in second.stderr
    private = Database(private_path)
    assert private["alerts"].count == before + 1
    assert private.execute("SELECT kind FROM screening_runs ORDER BY id DESC LIMIT 1").fetchone()[0] == "delta"


def test_equipment_categories_are_tracked_but_never_screened(tmp_path):
    """The FCC Covered List names kinds of equipment as well as producers: only producers are parties."""
    from pipeline.store.listed import active_listings
    from spiders.kit.items import EQUIPMENT_CATEGORY, Listing

    db = Database(tmp_path / "chokepoint.db")
    store.ensure_schema(db)
    run_id = store.start_run(db, "fcc_covered", "listings", "file://sample", FROZEN_NOW)
    covered = [
        Listing(
            source="fcc_covered",
            list_code="FCC",
            list_name="FCC Covered List",
            entry_id="h1",
            name="Huawei Technologies Company",
            entity_type="Entity",
        ),
        Listing(
            source="fcc_covered",
            list_code="FCC",
            list_name="FCC Covered List",
            entry_id="h2",
            name="Uncrewed aircraft systems (UAS) and UAS critical components produced in a foreign country",
            entity_type=EQUIPMENT_CATEGORY,
        ),
    ]
    store.apply_snapshot(db, run_id, "fcc_covered", [as_record(item) for item in covered], FROZEN_NOW)
    assert db["listings"].count == 2
    assert [row["name"] for row in active_listings(db)] == ["Huawei Technologies Company"]
