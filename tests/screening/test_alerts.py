"""Alerts a team can work through: grouped per counterparty under the firm's own id, filtered by
date and status, exported as text, CSV or JSON; a delisting raises an alert of its own."""

import csv
import dataclasses
import io
import json

import pytest
from sqlite_utils import Database

from pipeline import store
from pipeline.screening import run
from pipeline.screening.private import alerts, reviews
from pipeline.screening.private.database import open_private
from pipeline.store.changes import Changes
from spiders.kit.items import as_record
from tests.kit.cli import run_cli
from tests.kit.files import FILES, rewritten
from tests.kit.published import build_published, sample_listings

VENDORS = (
    "name,country,id\n"
    "Huawei Technologies Co Ltd,CN,V0001\n"
    "Acme Widgets Secret Supplier,US,V0002\n"
    "Rosneft Trading SA,CH,V0003\n"
)


@pytest.fixture
def watched(tmp_path):
    db_path, private_path = tmp_path / "chokepoint.db", tmp_path / "private.db"
    db, _ = build_published(db_path)
    vendors = tmp_path / "vendors.csv"
    vendors.write_text(VENDORS, encoding="utf-8")
    run.add_watchlist(db_path, private_path, "vendors", vendors)
    return db, private_path


def cli(private_path, *args, **kwargs):
    return run_cli("alerts", "--private-db", str(private_path), *args, **kwargs)


def test_one_counterparty_matching_many_affiliates_is_one_group(watched):
    _, private_path = watched
    huawei = [a for a in alerts.list_alerts(open_private(private_path)) if a["counterparty_id"] == "V0001"]
    assert len(huawei) >= 5  # the Entity List names Huawei and its affiliates one by one

    text = cli(private_path, check=True).stdout.splitlines()
    header = text.index(f"vendors V0001 Huawei Technologies Co Ltd (CN): {len(huawei)} alert(s), {len(huawei)} open")
    lines = text[header + 1 : header + 1 + len(huawei)]
    assert all(line.startswith("  [") for line in lines)
    assert {int(line.split("]")[0].strip(" [")) for line in lines} == {a["id"] for a in huawei}

    groups = [json.loads(line) for line in cli(private_path, "--format", "json", check=True).stdout.splitlines()]
    assert [(g["counterparty_id"], g["counterparty"]) for g in groups] == [
        ("V0001", "Huawei Technologies Co Ltd"),
        ("V0003", "Rosneft Trading SA"),
    ]
    assert len(groups[0]["alerts"]) == len(huawei)
    assert groups[0]["watchlist"] == "vendors" and groups[0]["country"] == "CN"

    rows = list(csv.DictReader(io.StringIO(cli(private_path, "--format", "csv", check=True).stdout)))
    assert [row["counterparty_id"] for row in rows].count("V0001") == len(huawei)
    assert list(rows[0])[:6] == ["watchlist", "counterparty_id", "counterparty", "country", "alert", "kind"]


def test_alerts_since_a_date_and_by_status(watched, monkeypatch):
    db, private_path = watched
    private = open_private(private_path)
    rosneft = next(a for a in alerts.list_alerts(private) if a["counterparty_id"] == "V0003")
    reviews.review(private, rosneft["id"], "confirmed", "our Rosneft Trading is the listed one", "anna")

    # A listing added by a crawl two days later raises an alert dated that day.
    monkeypatch.setenv("CHOKEPOINT_NOW", "2026-11-30T09:00:00Z")
    listings = sample_listings()
    added = dataclasses.replace(listings[-1], entry_id="test-added", name="ACME WIDGETS SECRET SUPPLIER", alt_names=[])
    run_id = store.start_run(db, "csl", "listings", "file://sample", "2026-11-30T08:00:00Z")
    counts = store.apply_snapshot(
        db, run_id, "csl", [as_record(item) for item in listings + [added]], "2026-11-30T08:00:00Z"
    )
    store.finish_run(db, run_id, "succeeded", "2026-11-30T08:00:00Z", complete=1)
    run.screen_changed(db, Changes(run_id, "csl", listings=tuple(counts.changed_ids)), private_path)

    recent = [
        json.loads(line)
        for line in cli(private_path, "--since", "2026-11-29", "--format", "json", check=True).stdout.splitlines()
    ]
    assert [(g["counterparty_id"], [a["listing_id"] for a in g["alerts"]]) for g in recent] == [("V0002", [added.id])]
    assert recent[0]["alerts"][0]["raised"] == "2026-11-30T09:00:00Z"

    confirmed = [
        json.loads(line)
        for line in cli(private_path, "--status", "confirmed", "--format", "json", check=True).stdout.splitlines()
    ]
    assert [[a["id"] for a in g["alerts"]] for g in confirmed] == [[rosneft["id"]]]
    bad = cli(private_path, "--since", "yesterday")
    assert bad.returncode == 2 and "yesterday" in bad.stderr


def test_a_delisted_party_says_so_and_raises_a_delisted_alert(tmp_path):
    """Through the real crawl: landing hands the removed listing ids to the screening step."""
    db_path, private_path = tmp_path / "chokepoint.db", tmp_path / "private.db"
    common = ["--db", str(db_path), "--private-db", str(private_path), "--expect", "50:100"]
    sample = FILES / "csl" / "consolidated.csv"
    run_cli("crawl", "csl", "--url", sample.as_uri(), *common, check=True)
    vendors = tmp_path / "vendors.csv"
    vendors.write_text(VENDORS, encoding="utf-8")
    run_cli(
        "watchlist", "add", "vendors", str(vendors), "--db", str(db_path), "--private-db", str(private_path), check=True
    )
    before = {a["id"]: a for a in alerts.list_alerts(open_private(private_path)) if a["listing_id"] == "csl:SSI:18299"}
    assert len(before) == 1

    # The next file no longer has Rosneft Trading's SSI entry (one line of the sample).
    without = rewritten(
        tmp_path,
        sample,
        lambda text: "".join(line for line in text.splitlines(keepends=True) if not line.startswith("18299,Sectoral")),
        name="without.csv",
    )
    second = run_cli("crawl", "csl", "--url", without.as_uri(), *common, check=True)
    assert "1 removed" in second.stdout
    assert (
        "screening: 1 listing(s) removed from the lists: 1 delisted alert(s) for watchlist 'vendors'" in second.stderr
    )

    private = Database(private_path)
    [old] = private.query("SELECT * FROM alerts WHERE id = ?", list(before))
    assert old["status"] == "open" and old["delisted_on"] == "2026-11-28T12:00:00Z"
    crawl_run = old["delisted_run_id"]
    [delisted] = private.query("SELECT * FROM alerts WHERE kind = 'delisted'")
    assert (delisted["counterparty_id"], delisted["listing_id"], delisted["status"]) == (
        "V0003",
        "csl:SSI:18299",
        "open",
    )
    assert delisted["explanation"] == (
        f"ROSNEFT TRADING S.A. was removed from SSI (csl) by crawl run {crawl_run}; alert {old['id']} (open) had matched it"
    )
    text = run_cli("alerts", "--private-db", str(private_path), check=True).stdout
    assert f"[{old['id']}] open" in text and f"listing removed 2026-11-28T12:00:00Z (crawl run {crawl_run})" in text
    assert f"[{delisted['id']}] open delisted" in text


def test_a_counterparty_with_more_matches_than_the_limit_gets_every_one(tmp_path, monkeypatch):
    """The watchlist limit bounds the candidates shown, never the alerts: 7 Huawei listings match here."""
    db_path, private_path = tmp_path / "chokepoint.db", tmp_path / "private.db"
    build_published(db_path)
    vendors = tmp_path / "vendors.csv"
    vendors.write_text(VENDORS, encoding="utf-8")
    run.add_watchlist(db_path, tmp_path / "wide.db", "vendors", vendors)
    every = [
        a["listing_id"]
        for a in alerts.list_alerts(open_private(tmp_path / "wide.db"))
        if a["counterparty_id"] == "V0001"
    ]
    assert len(every) > 3
    monkeypatch.setattr(run, "WATCHLIST_LIMIT", 3)
    run.add_watchlist(db_path, private_path, "vendors", vendors)
    narrow = [
        a["listing_id"] for a in alerts.list_alerts(open_private(private_path)) if a["counterparty_id"] == "V0001"
    ]
    assert narrow == every
