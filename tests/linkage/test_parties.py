"""The party graph on real listings: OFAC "Linked To:" parents and shared addresses, stored on
landing, shown on the party page, and named beside a screening match (scores untouched)."""

from __future__ import annotations

import json

from sqlite_utils import Database

from pipeline.linkage.parties import compute_links
from tests.kit.cli import run_cli
from tests.kit.crawls import crawl
from tests.kit.files import FILES, rewritten
from tests.site.conftest import get
from tests.site.test_pages import section, section_html

ROSNEFT_EL = (
    "csl:EL:f56ee19525ae8fb705652bf0e5fcdeae7d28dd68"  # "Rosneft", alias OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY
)
ROSNEFT_TRADE_SSI = "csl:SSI:18300"  # ROSNEFT TRADE LIMITED, "Linked To: OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY"
EP_GOM = "ofac_sdn:SDN:15431"  # an aircraft, "Linked To: POUYA AIR"


def links(db_path) -> list[dict]:
    return list(
        Database(db_path).query("SELECT * FROM listing_links ORDER BY listing_id, kind, target_name, linked_id")
    )


def test_a_linked_to_parent_is_found_by_its_alias_and_an_unlisted_one_kept_by_name(demo_db):
    stored = links(demo_db)
    parent = [k for k in stored if k["listing_id"] == ROSNEFT_TRADE_SSI]
    assert parent == [
        {
            "listing_id": ROSNEFT_TRADE_SSI,
            "kind": "linked_to",
            "target_name": "OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY",
            "linked_id": ROSNEFT_EL,
            "evidence": "Linked To: OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY",
        }
    ]
    (pouya,) = [k for k in stored if k["listing_id"] == EP_GOM]
    assert (pouya["target_name"], pouya["linked_id"]) == ("POUYA AIR", None)


def test_parties_at_one_specific_address_are_linked_both_ways_and_one_party_on_two_lists_is_not():
    base = "Huawei Base, Building 2, District B, Shenzhen, CN"
    rows = [
        {"id": "a", "name": "Huawei Mobile Technology Ltd.", "addresses": json.dumps([base])},
        {"id": "b", "name": "Shenzhen Huawei Technologies Software", "addresses": json.dumps([base])},
        {"id": "c", "name": "SHENZHEN HUAWEI TECHNOLOGIES SOFTWARE", "addresses": json.dumps([base.upper()])},
        # A city is no address to share.
        {"id": "d", "name": "Huawei Device Co., Ltd.", "addresses": '["Shenzhen, CN"]'},
        {"id": "e", "name": "Huawei Technologies Co., Ltd.", "addresses": '["Shenzhen, CN"]'},
    ]
    found = {(k["listing_id"], k["linked_id"]) for k in compute_links(rows) if k["kind"] == "shared_address"}
    assert found == {("a", "b"), ("b", "a"), ("a", "c"), ("c", "a")}


def test_the_party_page_links_parent_and_subsidiaries(demo_db):
    child = get(demo_db, f"/party/{ROSNEFT_TRADE_SSI}").text
    assert f'href="/party/{ROSNEFT_EL}"' in section_html(child, "related")
    assert "Parent: Rosneft (EL)" in section(child, "related")
    parent = section(get(demo_db, f"/party/{ROSNEFT_EL}").text, "related")
    assert "Subsidiary: ROSNEFT TRADE LIMITED (SSI)" in parent
    aircraft = section(get(demo_db, f"/party/{EP_GOM}").text, "related")
    assert "Parent: POUYA AIR (on no list stored here)" in aircraft


def test_a_match_on_a_subsidiary_names_its_listed_parent_and_keeps_its_score(demo_db, tmp_path):
    file = tmp_path / "counterparties.csv"
    file.write_text("name\nROSNEFT TRADE LIMITED\nEP-GOM\n", encoding="utf-8")
    args = ("screen", str(file), "--db", str(demo_db), "--private-db", str(tmp_path / "private.db"))
    first = run_cli(*args, check=True).stdout
    assert first == run_cli(*args, check=True).stdout  # byte for byte
    rows = [json.loads(line) for line in first.splitlines()]
    trade = {m["listing_id"]: m for m in rows[0]["matches"]}
    assert trade[ROSNEFT_TRADE_SSI]["score"] == 1.0
    assert trade[ROSNEFT_TRADE_SSI]["explanation"].endswith(f"; parent: Rosneft [EL {ROSNEFT_EL}]")
    aircraft = {m["listing_id"]: m for m in rows[1]["matches"]}
    assert aircraft[EP_GOM]["explanation"].endswith("; parent: POUYA AIR (named as parent; on no stored list)")


def test_the_graph_follows_a_landing_that_removes_the_parent(db_path, tmp_path):
    sample = FILES / "csl" / "consolidated.csv"
    assert crawl("csl", sample.as_uri(), db_path, "--expect", "1:100").returncode == 0
    assert any(k["linked_id"] == ROSNEFT_EL for k in links(db_path))
    rosneft_row = "f56ee19525ae8fb705652bf0e5fcdeae7d28dd68,"
    without = rewritten(
        tmp_path, sample, lambda text: "\n".join(line for line in text.split("\n") if not line.startswith(rosneft_row))
    )
    result = crawl("csl", without.as_uri(), db_path, "--expect", "1:100", "--accept-removals")
    assert result.returncode == 0, result.stderr
    parents = {k["linked_id"] for k in links(db_path) if k["listing_id"] == ROSNEFT_TRADE_SSI}
    assert parents == {None}


def test_an_entity_list_affiliate_names_its_parent_and_a_name_merely_starting_with_affiliated_does_not():
    rows = [
        {"id": "parent", "name": "Huawei Technologies Co., Ltd. (Huawei)"},
        {
            "id": "child",
            "name": "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd.",
        },
        {"id": "other", "name": "Affiliated Supply and Consultancy Services"},
    ]
    found = [(k["listing_id"], k["linked_id"], k["evidence"]) for k in compute_links(rows) if k["kind"] == "linked_to"]
    assert found == [
        ("child", "parent", "listed as an Affiliated Entity of Huawei Technologies Co., Ltd. (Huawei)"),
    ]


def test_a_watchlist_alert_on_a_subsidiary_names_its_listed_parent(demo_db, tmp_path):
    file = tmp_path / "suppliers.csv"
    file.write_text("id,name\nV-1,ROSNEFT TRADE LIMITED\n", encoding="utf-8")
    private = str(tmp_path / "private.db")
    run_cli("watchlist", "add", "suppliers", str(file), "--db", str(demo_db), "--private-db", private, check=True)
    alerts = {
        row["listing_id"]: row
        for row in Database(private).query("SELECT listing_id, score, explanation FROM alerts ORDER BY id")
    }
    assert alerts[ROSNEFT_TRADE_SSI]["score"] == 1.0
    assert alerts[ROSNEFT_TRADE_SSI]["explanation"].endswith(f"; parent: Rosneft [EL {ROSNEFT_EL}]")
