"""Timelines (`pipeline.linkage.timeline`, `chokepoint timeline`): a party with its rule and the parties tied
to it, a label across jurisdictions, the filters, what an empty one says, and a stored response
joining its measure's timeline.

On the demo database (real samples) and on small real databases built through the store's own code.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from pipeline.linkage import timeline
from pipeline.store import ensure_schema
from pipeline.store.registry import replace_sources
from spiders.kit.items import Document, as_record
from tests.kit.cli import run_cli
from tests.site.conftest import SUGON, SUGON_RULE
from tests.trends.conftest import SOURCES, crawl, listing, october_2022_rule, tag

HUAWEI_NINGBO = "csl:EL:04bfffe1d269284a5a7b0ea94f27d34c786d6888"  # "... Affiliated Entity: Ningbo Huawei ..."
GALLIUM = "mofcom:MOFCOM-2023-23"
CHIP_RULE = "federal_register:2022-21658"


def read(path: Path) -> Database:
    return Database(path)


def test_a_party_shows_the_rule_that_listed_it_beside_its_listing(demo_db):
    found = timeline.for_party(read(demo_db), SUGON)
    assert [(e.day.isoformat(), e.jurisdiction, e.kind, e.item_id) for e in found.entries] == [
        ("2019-06-24", "US", "measure", SUGON_RULE),
        ("2019-06-24", "US", "listed", SUGON),
    ]
    listed = found.entries[1]
    assert listed.list == "Entity List (EL) - Bureau of Industry and Security"
    assert [(r.citation, r.url) for r in listed.rules] == [("84 FR 29373", f"/measure/{SUGON_RULE}")]
    assert found.entries[0].url == f"/measure/{SUGON_RULE}"


def test_a_party_s_timeline_takes_in_its_listed_parents(demo_db):
    found = timeline.for_party(read(demo_db), HUAWEI_NINGBO)
    ties = {e.item_id: e.via for e in found.entries}
    assert ties[HUAWEI_NINGBO] is None
    parents = [via for item, via in ties.items() if item != HUAWEI_NINGBO]
    assert parents and all(via == "parent: Huawei Technologies Co., Ltd. (Huawei)" for via in parents)
    # Its cited rules are not stored in the demo: said, not hidden.
    assert any("name a rule not stored here" in note for note in found.checked)


def test_a_label_s_timeline_lays_out_each_jurisdiction_in_its_lane(demo_db):
    found = timeline.for_label(read(demo_db), "dimension", "key_inputs", since=date(2022, 1, 1))
    assert found.lanes == ["US", "CN"]
    cn = [e for e in found.entries if e.jurisdiction == "CN"]
    assert [(e.day.isoformat(), e.item_id) for e in cn] == [
        ("2023-07-03", GALLIUM),
        ("2024-12-03", "mofcom:MOFCOM-2024-46"),
    ]
    assert [e.day for e in found.entries] == sorted(e.day for e in found.entries)
    # Nine Denied Persons List rows dated 2023-10-31 are one entry, not nine.
    (group,) = [e for e in found.entries if e.parties > 1]
    assert group.parties == 9 and group.title.startswith("9 parties added to Denied Persons List (DPL)")
    assert found.left_out["entries before 2022-01-01"] > 0


def test_filters_and_unknown_codes(demo_db):
    db = read(demo_db)
    only_cn = timeline.for_label(db, "dimension", "key_inputs", ["cn"])
    assert {e.jurisdiction for e in only_cn.entries} == {"CN"} and only_cn.jurisdictions == ("CN",)
    for call, message in (
        (lambda: timeline.for_label(db, "industry", "critical_mineral"), "unknown industry 'critical_mineral'"),
        (lambda: timeline.for_label(db, "dimension", "semiconductors"), "unknown dimension 'semiconductors'"),
        (lambda: timeline.for_party(db, "csl:EL:nope"), "no stored listing has the id 'csl:EL:nope'"),
        (lambda: timeline.for_label(db, "industry", "energy", ["XX"]), "no stored source or document is from"),
    ):
        with pytest.raises(timeline.UnknownSubject, match=message):
            call()


def test_the_command_prints_lanes_and_json_byte_for_byte_the_same(demo_db):
    args = ("timeline", "--dimension", "key_inputs", "--since", "2022", "--db", str(demo_db))
    text = run_cli(*args, check=True)
    lines = text.stdout.splitlines()
    assert lines[0] == "Timeline of dimension key_inputs: 8 entries, lanes US, CN"
    assert lines[1].split() == ["US", "CN"]
    (gallium,) = [line for line in lines if GALLIUM in line]
    assert gallium.startswith("2023-07-03  │  ●   measure: 商务部 海关总署公告2023年第23号")
    assert "Not placed: 18 entries before 2022-01-01." in text.stderr
    first = run_cli(*args, "--format", "json", check=True).stdout
    assert first == run_cli(*args, "--format", "json", check=True).stdout
    answer = json.loads(first)
    assert answer["lanes"] == ["US", "CN"] and len(answer["entries"]) == 8
    assert answer["entries"][3] | {"title": None} == {
        "date": "2023-07-03",
        "jurisdiction": "CN",
        "kind": "measure",
        "title": None,
        "id": GALLIUM,
        "url": f"/measure/{GALLIUM}",
        "dated_by": "publication date",
        "source": "mofcom",
        "publisher": "Ministry of Commerce of the People's Republic of China (MOFCOM)",
        "list": None,
        "dimensions": ["key_inputs"],
        "industries": ["critical_minerals"],
        "rules": [],
        "parties": 1,
        "via": None,
    }


def test_the_command_says_what_an_empty_timeline_checked_and_fails_on_bad_input(demo_db):
    empty = run_cli("timeline", "--industry", "quantum", "--db", str(demo_db), check=True)
    assert empty.stdout.strip() == (
        "No measure or listing action for industry quantum. Checked: 32 stored document(s), 0 of them not tagged "
        "yet; 121 stored listing(s), 0 of them not tagged yet."
    )
    for args, message in (
        (("--industry", "critical_mineral"), "Error: unknown industry 'critical_mineral': use one of semiconductors"),
        (("--party", "nope"), "Error: no stored listing has the id 'nope'"),
        (("--dimension", "governance", "--jurisdiction", "US,XX"), "Error: no stored source or document is from"),
        (("--industry", "energy", "--since", "yesterday"), "Invalid value for --since: 'yesterday' is not a date"),
    ):
        result = run_cli("timeline", *args, "--db", str(demo_db))
        assert result.returncode != 0 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    both = run_cli("timeline", "--industry", "energy", "--party", SUGON, "--db", str(demo_db))
    assert both.returncode == 2 and "give exactly one of --party, --industry or --dimension" in both.stderr
    missing = run_cli("timeline", "--industry", "energy", "--db", str(demo_db.parent / "none.db"))
    assert missing.returncode == 1 and "no such database" in missing.stderr
    assert not (demo_db.parent / "none.db").exists()


@pytest.fixture
def answered(tmp_path) -> Path:
    """The U.S. advanced-computing and chip-equipment rule of October 2022 and China's gallium and germanium
    export controls of July 2023 (a pair issue 14 names), with a stored link between them."""
    path = tmp_path / "chokepoint.db"
    db = Database(path)
    ensure_schema(db)
    replace_sources(
        db,
        [
            {"spider": "federal_register", "kind": "documents", "jurisdiction": "US", "schedule": "daily"},
            {"spider": "mofcom", "kind": "documents", "jurisdiction": "CN", "schedule": "daily"},
        ],
    )
    crawl(db, "federal_register", "documents", [october_2022_rule()])
    gallium = Document(
        source="mofcom",
        document_number="MOFCOM-2023-23",
        title="商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告",
        publication_date="2023-07-03",
        jurisdiction="CN",
        publisher="Ministry of Commerce of the People's Republic of China (MOFCOM)",
    )
    crawl(db, "mofcom", "documents", [as_record(gallium)])
    tag(db, CHIP_RULE, "semiconductors", dimensions=("key_inputs", "core_tech"))
    tag(db, GALLIUM, "critical_minerals")
    db.conn.close()
    return path


def link(path: Path, status: str) -> None:
    """A row as `chokepoint suggest-responses` and `link` store it (the table comes with the schema)."""
    db = Database(path)
    db["measure_responses"].upsert(
        {
            "measure_id": CHIP_RULE,
            "response_id": GALLIUM,
            "score": 0.8,
            "explanation": "same dimension",
            "status": status,
        },
        pk=("measure_id", "response_id"),
    )
    db.conn.close()


def test_a_stored_response_joins_its_measure_s_timeline_in_its_own_lane(answered):
    before = timeline.for_label(read(answered), "industry", "semiconductors")
    assert [e.item_id for e in before.entries] == [CHIP_RULE]
    # A suggestion is the ranking's guess: the timeline draws only what a person confirmed.
    link(answered, "suggested")
    assert [e.item_id for e in timeline.for_label(read(answered), "industry", "semiconductors").entries] == [CHIP_RULE]
    link(answered, "confirmed")
    after = timeline.for_label(read(answered), "industry", "semiconductors")
    assert [(e.jurisdiction, e.kind, e.item_id, e.via) for e in after.entries] == [
        ("US", "measure", CHIP_RULE, None),
        ("CN", "response", GALLIUM, f"response to {CHIP_RULE} (confirmed)"),
    ]
    assert after.lanes == ["US", "CN"]
    # Seen from the response's side, the measure it answers joins too.
    minerals = timeline.for_label(read(answered), "industry", "critical_minerals")
    assert [(e.kind, e.item_id, e.via) for e in minerals.entries] == [
        ("measure", CHIP_RULE, f"answered by {GALLIUM} (confirmed)"),
        ("measure", GALLIUM, None),
    ]
    link(answered, "rejected")
    assert [e.item_id for e in timeline.for_label(read(answered), "industry", "semiconductors").entries] == [CHIP_RULE]


def test_a_copy_of_the_database_gives_the_same_timeline(demo_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(demo_db, copy)
    one = timeline.for_label(read(demo_db), "industry", "telecom_ict").as_json()
    assert one == timeline.for_label(read(copy), "industry", "telecom_ict").as_json()


def test_an_undated_listing_is_placed_on_the_day_first_seen_only_when_it_came_after_its_list_s_first_crawl(
    tmp_path,
):
    db = Database(tmp_path / "chokepoint.db")
    ensure_schema(db)
    replace_sources(db, SOURCES)
    huawei, ymtc = (
        listing("a2", "Huawei Technologies Co., Ltd."),
        listing("a3", "Yangtze Memory Technologies Co., Ltd."),
    )
    crawl(db, "csl", "listings", [huawei])
    crawl(db, "csl", "listings", [huawei, ymtc], now="2026-11-30T06:00:00Z")
    for record in (huawei, ymtc):
        tag(db, record["id"], "semiconductors")
    found = timeline.for_label(db, "industry", "semiconductors")
    assert [(e.day.isoformat(), e.item_id, e.dated_by) for e in found.entries] == [
        ("2026-11-30", ymtc["id"], "first seen")
    ]
    assert found.left_out == {"listing(s) that came with their list's first crawl and give no listing date": 1}
    (own,) = timeline.for_party(db, huawei["id"]).entries
    assert (own.day.isoformat(), own.dated_by) == (
        "2026-11-28",
        "already listed when chokepoint first crawled the list",
    )
