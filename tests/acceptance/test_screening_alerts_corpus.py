"""Alerts on the real May 2022 Consolidated Screening List: the screening issue's vendor that
matched 24 Huawei listings is one counterparty with 24 alerts, reviewed with one decision."""

import json

import pytest

from tests.kit.cli import run_cli

CSL_2022 = "csl/csl_consolidated_2022-05_full.csv"


@pytest.fixture(scope="module")
def watched(corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("alerts")
    db_path, private_path = folder / "chokepoint.db", folder / "private.db"
    run_cli("crawl", "csl", "--url", (corpus / CSL_2022).as_uri(), "--db", str(db_path), check=True)
    vendors = folder / "vendors.csv"
    vendors.write_text("name,country,id\nHuawei Technologies Co Ltd,CN,V0001\nSiemens AG,DE,V0002\n", encoding="utf-8")
    added = run_cli(
        "watchlist", "add", "vendors", str(vendors), "--db", str(db_path), "--private-db", str(private_path), check=True
    )
    return private_path, added


def test_one_vendor_matching_24_huawei_listings_is_one_group_of_24(watched):
    private_path, added = watched
    assert "2 counterparties saved and screened (version 1): 24 new alert(s)" in added.stdout
    groups = [
        json.loads(line)
        for line in run_cli(
            "alerts", "--format", "json", "--private-db", str(private_path), check=True
        ).stdout.splitlines()
    ]
    assert [(group["counterparty_id"], len(group["alerts"])) for group in groups] == [("V0001", 24)]
    assert all("huawei" in alert["listed_name"].casefold() for alert in groups[0]["alerts"])


def test_one_decision_for_the_24(watched):
    private_path, _ = watched
    result = run_cli(
        "review",
        "--all-for",
        "V0001",
        "--false-positive",
        "--note",
        "our V0001 is a handset reseller, not Huawei itself",
        "--by",
        "anna",
        "--private-db",
        str(private_path),
        check=True,
    )
    assert result.stdout.startswith("24 alert(s) of V0001 Huawei Technologies Co Ltd in watchlist 'vendors'")
    assert run_cli("alerts", "--private-db", str(private_path), check=True).stdout == ""
