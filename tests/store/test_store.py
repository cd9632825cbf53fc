"""The store: upserts on stable ids, change detection, removal, FTS kept in sync."""

import json

import pytest

from pipeline.store import apply_documents, apply_snapshot, start_run
from pipeline.store import search as store_search
from spiders.kit.items import Document, Listing, as_record
from tests.kit.published import SMIC_RULE

T1, T2, T3 = "2026-11-01T06:00:00Z", "2026-11-02T06:00:00Z", "2026-11-03T06:00:00Z"


def listing(entry_id, name, list_code="EL", **fields):
    return as_record(
        Listing(
            source="csl", list_code=list_code, list_name=f"{list_code} list", entry_id=entry_id, name=name, **fields
        )
    )


SMIC = dict(
    entry_id="736c2c6a",
    name="Semiconductor Manufacturing International Corporation (SMIC)",
    addresses=["No. 18 Zhang Jiang Road, Pudong New Area, Shanghai, 201203, CN"],
    countries=["CN"],
    federal_register_notice="85 FR 83420",
    start_date="2020-12-18",
)
HIKVISION = dict(
    entry_id="f095626c",
    name="Hangzhou Hikvision Digital Technology Co., Ltd.",
    addresses=["No.555 Qianmo Road, Binjiang District, Hangzhou, CN"],
    countries=["CN"],
    federal_register_notice="84 FR 54002",
)
FUJIAN_JINHUA = dict(
    entry_id="be6aa627",
    name="Fujian Jinhua Integrated Circuit Company, Ltd.",
    countries=["CN"],
    federal_register_notice="83 FR 54519",
)


def crawl(db, now, *records):
    run_id = start_run(db, "csl", "listings", "file:///sample.csv", now)
    return apply_snapshot(db, run_id, "csl", [dict(r) for r in records], now)


def changes(db, kind=None):
    rows = list(db.query("SELECT * FROM changes ORDER BY id"))
    return [row for row in rows if kind is None or row["kind"] == kind]


def test_first_crawl_adds_everything(db):
    counts = crawl(db, T1, listing(**SMIC), listing(**HIKVISION))
    assert (counts.added, counts.modified, counts.removed) == (2, 0, 0)
    row = db["listings"].get("csl:EL:736c2c6a")
    assert row["first_seen"] == row["last_seen"] == T1
    assert json.loads(row["countries"]) == ["CN"] and row["country"] == "CN"
    assert [c["kind"] for c in changes(db)] == ["added", "added"]


def test_same_snapshot_twice_changes_nothing(db):
    crawl(db, T1, listing(**SMIC), listing(**HIKVISION))
    counts = crawl(db, T2, listing(**SMIC), listing(**HIKVISION))
    assert (counts.added, counts.modified, counts.removed, counts.unchanged) == (0, 0, 0, 2)
    assert len(changes(db)) == 2
    row = db["listings"].get("csl:EL:736c2c6a")
    assert (row["first_seen"], row["last_seen"], row["last_changed"]) == (T1, T2, T1)


def test_a_changed_field_is_recorded_with_before_and_after(db):
    crawl(db, T1, listing(**SMIC))
    moved = {**SMIC, "addresses": ["18 Zhangjiang Road, Pudong New Area, Shanghai, 201203, CN"]}
    counts = crawl(db, T2, listing(**moved))
    assert counts.modified == 1 and counts.changed_ids == ["csl:EL:736c2c6a"]
    (change,) = changes(db, "modified")
    assert json.loads(change["fields"]) == {
        "addresses": {
            "before": ["No. 18 Zhang Jiang Road, Pudong New Area, Shanghai, 201203, CN"],
            "after": ["18 Zhangjiang Road, Pudong New Area, Shanghai, 201203, CN"],
        }
    }
    assert db["listings"].get("csl:EL:736c2c6a")["last_changed"] == T2


def test_a_party_missing_from_a_complete_snapshot_is_marked_removed_not_deleted(db):
    crawl(db, T1, listing(**SMIC), listing(**HIKVISION))
    counts = crawl(db, T2, listing(**SMIC))
    assert counts.removed == 1
    row = db["listings"].get("csl:EL:f095626c")
    assert row["removed_on"] == T2 and row["name"] == HIKVISION["name"]
    assert [c["item_id"] for c in changes(db, "removed")] == ["csl:EL:f095626c"]
    again = crawl(db, T3, listing(**SMIC))
    assert again.removed == 0  # removed once, not every crawl
    assert db["listings"].get("csl:EL:f095626c")["last_seen"] == T1


def test_a_relisted_party_is_restored(db):
    crawl(db, T1, listing(**SMIC), listing(**HIKVISION))
    crawl(db, T2, listing(**SMIC))
    counts = crawl(db, T3, listing(**SMIC), listing(**HIKVISION))
    assert counts.restored == 1 and counts.added == 0
    assert db["listings"].get("csl:EL:f095626c")["removed_on"] is None
    assert [c["kind"] for c in changes(db) if c["item_id"] == "csl:EL:f095626c"] == ["added", "removed", "restored"]


def test_one_source_never_removes_another_sources_listings(db):
    crawl(db, T1, listing(**SMIC))
    run_id = start_run(db, "ofac_sdn", "listings", "file:///sdn.xml", T2)
    other = as_record(
        Listing(source="ofac_sdn", list_code="SDN", list_name="SDN", entry_id="18299", name="ROSNEFT TRADING S.A.")
    )
    apply_snapshot(db, run_id, "ofac_sdn", [other], T2)
    assert db["listings"].get("csl:EL:736c2c6a")["removed_on"] is None


def test_a_source_that_rekeys_its_entries_is_not_a_mass_delisting(db):
    """trade.gov re-hashed every non-OFAC `_id` between 2022 and 2023 for unchanged rows."""
    crawl(db, T1, listing(**SMIC), listing(**HIKVISION))
    counts = crawl(db, T2, listing(**{**SMIC, "entry_id": "b6e959b5"}), listing(**HIKVISION))
    assert (counts.added, counts.removed, counts.modified) == (0, 0, 1)
    (change,) = changes(db, "modified")
    assert json.loads(change["fields"]) == {"entry_id": {"before": "736c2c6a", "after": "b6e959b5"}}
    third = crawl(db, T3, listing(**{**SMIC, "entry_id": "b6e959b5"}), listing(**HIKVISION))
    assert (third.added, third.removed, third.modified) == (0, 0, 0)
    assert db["listings"].count == 2


def test_full_text_search_follows_every_write(db):
    crawl(db, T1, listing(**SMIC), listing(**HIKVISION))
    search = lambda term: [r["name"] for r in store_search.run(db, store_search.PARTIES, term)]  # noqa: E731
    assert search("hikvision") == [HIKVISION["name"]]
    crawl(db, T2, listing(**SMIC), listing(**{**HIKVISION, "alt_names": ["HIKVISION"], "name": "Hikvision Digital"}))
    assert search("hikvision") == ["Hikvision Digital"]
    assert search("Hangzhou") == ["Hikvision Digital"]  # still indexed through the address
    assert search("zhang") == [SMIC["name"]]


def test_listings_link_to_the_rule_that_listed_them(db):
    crawl(db, T1, listing(**SMIC))
    run_id = start_run(db, "federal_register", "documents", "file:///page.json", T1)
    apply_documents(db, run_id, [SMIC_RULE], T1)
    (link,) = db.query("SELECT * FROM listing_rules")
    assert link["listing_id"] == "csl:EL:736c2c6a"
    assert link["citation"] == "85 FR 83420"
    assert link["document_id"] == "federal_register:2020-28031"


def test_several_citations_in_one_cell(db):
    crawl(
        db,
        T1,
        listing(
            "d1",
            "I. ASH",
            list_code="DPL",
            federal_register_notice="68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 72 F.R. 4236 1/30/07",
        ),
    )
    citations = [r["citation"] for r in db.query("SELECT citation FROM listing_citations ORDER BY volume")]
    assert citations == ["68 FR 38290", "71 FR 38843", "72 FR 4236"]


def document(number, **fields):
    return as_record(
        Document(
            source="federal_register",
            document_number=number,
            title=fields.pop("title", "Notice"),
            publication_date="2024-01-10",
            jurisdiction="US",
            publisher="Foreign Assets Control Office",
            **fields,
        )
    )


def test_documents_are_upserted_and_never_removed(db):
    run1 = start_run(db, "federal_register", "documents", "x", T1)
    apply_documents(db, run1, [document("2024-00273", abstract="one"), document("2024-00274")], T1)
    run2 = start_run(db, "federal_register", "documents", "x", T2)
    counts = apply_documents(db, run2, [document("2024-00273", abstract="one, corrected")], T2)
    assert (counts.added, counts.modified, counts.unchanged) == (0, 1, 0)
    assert db["documents"].count == 2
    (change,) = changes(db, "modified")
    assert json.loads(change["fields"]) == {"abstract": {"before": "one", "after": "one, corrected"}}
    assert [r["title"] for r in store_search.run(db, store_search.MEASURES, "corrected")] == ["Notice"]


def test_a_crawl_without_full_text_keeps_the_text_already_fetched(db):
    run1 = start_run(db, "federal_register", "documents", "x", T1)
    apply_documents(db, run1, [document("2024-00273", full_text="Blocked persons...")], T1)
    run2 = start_run(db, "federal_register", "documents", "x", T2)
    counts = apply_documents(db, run2, [document("2024-00273")], T2)
    assert (counts.modified, counts.unchanged) == (0, 1)
    assert db["documents"].get("federal_register:2024-00273")["full_text"] == "Blocked persons..."


@pytest.mark.parametrize("bad", [None, ""])
def test_a_listing_needs_a_name(bad):
    from spiders.kit.items import InvalidItem

    with pytest.raises(InvalidItem, match="name"):
        Listing(source="csl", list_code="EL", list_name="Entity List", entry_id="1", name=bad).validate()
