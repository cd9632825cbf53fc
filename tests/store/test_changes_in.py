"""`changes_in`: what changed in a window, filtered as a reader follows it (the digest reads exactly this)."""

from types import SimpleNamespace

from pipeline.store import apply_documents, apply_snapshot, start_run
from pipeline.store.changes import ChangeFilter, Window, changes_in, latest_change_id
from pipeline.store.labels import write_labels
from pipeline.store.registry import replace_sources
from spiders.kit.items import Listing, as_record
from tests.kit.published import SMIC_RULE

T1, T2, T3 = "2026-11-01T06:00:00Z", "2026-11-02T06:00:00Z", "2026-11-03T06:00:00Z"
SOURCES = [
    {"spider": "csl", "kind": "listings", "publisher": "International Trade Administration", "jurisdiction": "US"},
    {"spider": "mofcom", "kind": "listings", "publisher": "MOFCOM", "jurisdiction": "CN"},
    {
        "spider": "federal_register",
        "kind": "documents",
        "publisher": "Office of the Federal Register",
        "jurisdiction": "US",
    },
]


def listing(entry_id, name, list_code="EL", source="csl", **fields):
    return as_record(
        Listing(
            source=source, list_code=list_code, list_name=f"{list_code} list", entry_id=entry_id, name=name, **fields
        )
    )


SMIC = listing(
    "736c2c6a", "Semiconductor Manufacturing International Corporation (SMIC)", federal_register_notice="85 FR 83420"
)
HIKVISION = listing(
    "f095626c", "Hangzhou Hikvision Digital Technology Co., Ltd.", federal_register_notice="84 FR 54002"
)
ROSNEFT = listing("17081", "ROSNEFT OIL COMPANY", list_code="SSI")
LOCKHEED = listing("2023-1", "Lockheed Martin Corporation", list_code="UEL", source="mofcom")
RULE = SMIC_RULE


def crawl(db, now, source, *records):
    run_id = start_run(db, source, "listings", "file:///sample", now)
    return apply_snapshot(db, run_id, source, [dict(r) for r in records], now)


def label(db, table, row_id, dimensions, industries):
    result = SimpleNamespace(
        dimensions=dimensions, industries=industries, scores={}, confidence=1.0, needs_review=False
    )
    write_labels(db, table, "test-model", [(row_id, "hash", result)])


def store(db):
    """T1: SMIC, Hikvision, Rosneft (csl), Lockheed (mofcom) and the rule; T2: Hikvision removed, SMIC's notice amended."""
    replace_sources(db, SOURCES)
    crawl(db, T1, "csl", SMIC, HIKVISION, ROSNEFT)
    crawl(db, T1, "mofcom", LOCKHEED)
    apply_documents(db, start_run(db, "federal_register", "documents", "file:///fr", T1), [RULE], T1)
    crawl(db, T2, "csl", {**SMIC, "federal_register_notice": "85 FR 83420; 86 FR 1"}, ROSNEFT)
    label(db, "listings", SMIC["id"], ["key_inputs"], ["semiconductors"])
    label(db, "listings", HIKVISION["id"], ["key_inputs"], ["surveillance_security"])
    label(db, "documents", RULE["id"], ["key_inputs"], ["semiconductors", "telecom_ict"])


def kinds(found):
    return [(row["kind"], row["item_id"]) for row in found.rows]


def test_a_window_of_time_or_of_ids_holds_exactly_its_changes(db):
    store(db)
    everything = changes_in(db)
    assert len(everything.rows) == 7 and latest_change_id(db) == everything.rows[-1]["id"]
    assert kinds(changes_in(db, Window(since=T2))) == [("modified", SMIC["id"]), ("removed", HIKVISION["id"])]
    assert len(changes_in(db, Window(since=T1, until=T2)).rows) == 5
    first_five = everything.rows[4]["id"]
    assert kinds(changes_in(db, Window(after_id=first_five))) == kinds(changes_in(db, Window(since=T2)))
    assert changes_in(db, Window(after_id=latest_change_id(db))).rows == []
    assert changes_in(db, Window(since=T3)).rows == []


def test_each_change_carries_its_item_and_the_rule_that_listed_it(db):
    store(db)
    modified, removed = changes_in(db, Window(since=T2)).rows
    assert modified["fields"] == {"federal_register_notice": {"before": "85 FR 83420", "after": "85 FR 83420; 86 FR 1"}}
    assert modified["jurisdiction"] == "US" and modified["publisher"] == "International Trade Administration"
    assert modified["dimensions"] == ["key_inputs"] and modified["tagged"]
    assert [(c["citation"], c["document_id"]) for c in modified["citations"]] == [
        ("85 FR 83420", RULE["id"]),
        ("86 FR 1", None),
    ]
    assert removed["kind"] == "removed" and removed["removed_on"] == T2


def test_filters_narrow_what_they_apply_to(db):
    store(db)
    by_list = changes_in(db, filters=ChangeFilter(lists=("el",)))
    assert {row["item_id"] for row in by_list.rows} == {SMIC["id"], HIKVISION["id"], RULE["id"]}  # documents pass
    by_source = changes_in(db, filters=ChangeFilter(sources=("mofcom",)))
    assert kinds(by_source) == [("added", LOCKHEED["id"])]
    chinese = changes_in(db, filters=ChangeFilter(jurisdictions=("cn",)))
    assert kinds(chinese) == [("added", LOCKHEED["id"])]  # a listing's jurisdiction is its source's


def test_a_label_filter_keeps_untagged_changes_apart_instead_of_dropping_them(db):
    store(db)
    chips = changes_in(db, filters=ChangeFilter(industries=("semiconductors",)))
    assert {row["item_id"] for row in chips.rows} == {SMIC["id"], RULE["id"]}
    assert {row["item_id"] for row in chips.untagged} == {ROSNEFT["id"], LOCKHEED["id"]}
    both = changes_in(db, filters=ChangeFilter(dimensions=("key_inputs",), industries=("surveillance_security",)))
    assert kinds(both) == [("added", HIKVISION["id"]), ("removed", HIKVISION["id"])]
    assert changes_in(db).untagged == []  # without a label filter nothing needs judging
