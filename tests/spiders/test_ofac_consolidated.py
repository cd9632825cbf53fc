"""The OFAC consolidated (non-SDN) spider on excerpts of the real enhanced XML (2025-01) and legacy CSV (2025-12)."""

import json
import re
import zipfile

import pytest

from spiders.kit.errors import SourceShapeChanged, SourceTruncated
from spiders.kit.offline import follow, parse_items, response_for
from spiders.ofac.ofac_consolidated import OfacConsolidatedSpider
from tests.kit.cli import run_cli
from tests.kit.crawls import (
    assert_out_of_range_crawl_fails,
    assert_stores_then_changes_nothing,
    crawl,
    crawl_live,
    last_run,
    stored,
)
from tests.kit.files import FILES, copied, edited, rewritten
from tests.kit.spiders import fails_by_name

SPIDER = OfacConsolidatedSpider
REPLAY = SAMPLE = XML = FILES / "ofac_consolidated" / "cons_enhanced.xml"
LEGACY = FILES / "ofac_consolidated" / "legacy"
DOCUMENTED = "https://sanctionslistservice.ofac.treas.gov/api/download/CONS_ENHANCED.XML"
EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ENHANCED.XML"


@pytest.fixture
def listings(items):
    return {(item.entry_id, item.list_code): item for item in items}


def test_one_listing_per_entry_and_list(listings, spider):
    assert sorted(listings) == [
        ("15268", "CAPTA"),
        ("17013", "SSI"),
        ("17250", "NS-MBS"),
        ("17250", "SSI"),
        ("26182", "FSE"),
        ("30882", "CMIC"),
        ("46072", "NS-MBS"),
        ("9639", "NS-PLC"),
    ]
    assert spider.source_warnings == []


@pytest.mark.parametrize(
    "key, name, list_name, start_date",
    [
        (
            ("9639", "NS-PLC"),
            "HANIYA, Ismail Abdul Salah",
            "Non-SDN Palestinian Legislative Council List",
            "2006-04-12",
        ),
        (
            ("17250", "SSI"),
            "PUBLIC JOINT STOCK COMPANY GAZPROM",
            "Sectoral Sanctions Identifications List",
            "2014-09-12",
        ),
        (("17250", "NS-MBS"), "PUBLIC JOINT STOCK COMPANY GAZPROM", "Non-SDN Menu-Based Sanctions List", "2022-02-24"),
        (("30882", "CMIC"), "CHINA TELECOM CORPORATION LIMITED", "Non-SDN CMIC List", "2021-06-03"),
    ],
)
def test_each_list_keeps_its_own_name_and_listing_date(listings, key, name, list_name, start_date):
    item = listings[key]
    assert (item.name, item.list_name, item.start_date) == (name, list_name, start_date)
    assert item.id == f"ofac_consolidated:{key[1]}:{key[0]}"


def test_names_in_other_scripts_aliases_and_weak_aliases(listings):
    vtb = listings[("17013", "SSI")]
    assert vtb.alt_names[0] == "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО"
    assert "VTB BANK PJSC" in vtb.alt_names
    assert vtb.extra["weak_aliases"] == ["JSC VTB BANK NEW DELHI BRANCH"]
    assert vtb.extra["also_on"] == ["SDN"]  # SDN membership belongs to ofac_sdn


def test_addresses_countries_and_ids(listings):
    vtb = listings[("17013", "SSI")]
    assert vtb.addresses[0] == "29, Bolshaya Morskaya str., St. Petersburg 190000, Russia"
    assert vtb.countries == ["RU", "IN", "CN"]
    assert "SWIFT/BIC VTBRRUMM" in vtb.ids and "Tax ID No. 7702070139 (Russia)" in vtb.ids
    assert vtb.programs == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    assert vtb.extra["features"]["Target Type"] == ["Financial Institution"]
    assert vtb.extra["sanctions_types"] == ["13662 Sectoral Directive 1", "Block"]


def test_individual_facts(listings):
    evader = listings[("26182", "FSE")]
    assert (evader.name, evader.entity_type) == ("KAYAKIRAN, Evren", "Individual")
    assert evader.countries == ["TR"]
    haniya = listings[("9639", "NS-PLC")]
    assert haniya.dates_of_birth == ["1962"] and haniya.places_of_birth == ["Shati"]


def test_the_zipped_export_gives_the_same_listings(spider, tmp_path, listings):
    archive = tmp_path / "CONS_ENHANCED.ZIP"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(XML, "CONS_ENHANCED.XML")
    items = parse_items(spider, response_for(archive))
    assert {(i.entry_id, i.list_code): i for i in items} == listings


def test_an_unknown_list_is_kept_under_a_derived_code_and_warned(spider, tmp_path):
    path = edited(tmp_path, XML, ">FSE List</sanctionsList>", ">Non-SDN Example Sanctions List</sanctionsList>")
    items = parse_items(spider, response_for(path))
    assert ("26182", "NON-SDN-EXAMPLE-SANCTIONS") in {(i.entry_id, i.list_code) for i in items}
    assert any("new OFAC list 'Non-SDN Example Sanctions List'" in w for w in spider.source_warnings)


def test_a_new_upstream_element_warns_but_parses(spider, tmp_path):
    path = edited(tmp_path, XML, "      <generalInfo>\n", "      <riskScore>3</riskScore>\n      <generalInfo>\n")
    assert len(parse_items(spider, response_for(path))) == 8
    assert any("new upstream element 'riskScore'" in w for w in spider.source_warnings)


@pytest.mark.parametrize(
    "change, error, message",
    [
        (lambda t: t.replace('<entity id="9639">', "<entity>"), SourceShapeChanged, "lacks required element"),
        (
            lambda t: t.replace("<names>", "<nameList>", 1).replace("</names>", "</nameList>", 1),
            SourceShapeChanged,
            "entity 9639 lacks required element.s.: names",
        ),
        (
            lambda t: t.replace("<sanctionsData ", "<otherData ").replace("</sanctionsData>", "</otherData>"),
            SourceShapeChanged,
            "not an OFAC enhanced export",
        ),
        (lambda t: t[: t.index("</entities>")], SourceTruncated, "not well-formed XML after 7 entities"),
    ],
)
def test_broken_exports_fail_by_name(spider, tmp_path, change, error, message):
    with fails_by_name(spider, error, match=message):
        parse_items(spider, response_for(rewritten(tmp_path, XML, change, name="cons.xml")))


def test_a_truncated_zip_fails(spider, tmp_path):
    archive = tmp_path / "CONS_ENHANCED.ZIP"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(XML, "CONS_ENHANCED.XML")
    archive.write_bytes(archive.read_bytes()[:2000])
    with pytest.raises(SourceTruncated, match="not a readable zip"):
        parse_items(spider, response_for(archive))


# -- the legacy CSV files ----------------------------------------------------------------


@pytest.fixture
def legacy(spider):
    return {item.entry_id: item for item in follow(spider, LEGACY / "cons_prim.csv").items}


@pytest.mark.parametrize(
    "entry_id, programs, list_code",
    [
        ("9639", ["NS-PLC"], "NS-PLC"),
        ("15268", ["561-Related"], "CAPTA"),
        ("17013", ["UKRAINE-EO13662", "RUSSIA-EO14024"], "SSI"),
        ("18299", ["UKRAINE-EO13662", "VENEZUELA-EO13850"], "SSI"),
        ("30882", ["CMIC-EO13959"], "CMIC"),
        ("31693", ["RUSSIA-EO14024"], "NS-MBS"),
        ("46072", ["BURMA-EO14014"], "NS-MBS"),
    ],
)
def test_legacy_lists_follow_from_programs(legacy, entry_id, programs, list_code):
    assert (legacy[entry_id].programs, legacy[entry_id].list_code) == (programs, list_code)


def test_legacy_remarks_are_completed_and_read(legacy, spider):
    bank = legacy["17014"]
    assert bank.remarks.endswith("a.k.a. 'RUSAG'.")
    assert "Registration Number 1027700342890 (Russia)" in bank.ids  # split across the 1,000-character cut
    assert bank.extra["weak_aliases"] == ["RUSAG"]
    assert spider.source_warnings == []


def test_legacy_entry_whose_programs_name_no_list_is_warned(spider, tmp_path):
    directory = copied(tmp_path, LEGACY)
    primary = edited(directory, directory / "cons_prim.csv", b'"NS-PLC",-0- ', b'"NEW-PROGRAM",-0- ')
    items = {i.entry_id: i for i in follow(spider, primary).items}
    assert items["9639"].list_code == "CONS"
    assert any("programs NEW-PROGRAM name no known list" in w for w in spider.source_warnings)


def test_live_the_documented_path_comes_first_the_current_export_path_second():
    assert OfacConsolidatedSpider().start_urls == [DOCUMENTED]
    assert OfacConsolidatedSpider.fallback_urls == {DOCUMENTED: [EXPORTS]}


def firewall(body: bytes):
    """The SLS firewall as reported since 2026-07-30: a User-Agent starting Mozilla/<digit>, 40 characters or more."""

    def answer(headers):
        agent = headers.get("user-agent", "")
        if re.match(r"Mozilla/\d", agent) and len(agent) >= 40:
            return 200, {"Content-Type": "application/xml"}, body
        return 403, {"Content-Type": "text/html"}, b"<html><head><title>403 Forbidden</title></head></html>"

    return answer


def test_live_the_firewall_admits_the_spiders_user_agent(live_stage, db_path):
    live_stage.play(DOCUMENTED, firewall(XML.read_bytes()))
    result = crawl_live("ofac_consolidated", live_stage, db_path, "--expect", "5:10")
    assert result.returncode == 0, result.stderr
    assert "ofac_consolidated: ok, 8 items: 8 added" in result.stdout
    assert len(live_stage.requests) == 1


def test_live_when_the_documented_path_fails_the_current_one_is_read_and_the_miss_warned(live_stage, db_path):
    live_stage.play(EXPORTS, firewall(XML.read_bytes()))  # the documented path is not played: 404
    result = crawl_live("ofac_consolidated", live_stage, db_path, "--expect", "5:10")
    assert result.returncode == 0, result.stderr
    assert [asked.url for asked in live_stage.requests] == [DOCUMENTED[8:], EXPORTS[8:]]
    warnings = json.loads(last_run(db_path)["warnings"])
    assert f"candidate URL failed, a later one answered: HTTP 404 from {DOCUMENTED}" in warnings


def test_live_a_403_or_a_body_that_is_not_xml_is_a_block_and_changes_nothing(live_stage, db_path):
    live_stage.play(DOCUMENTED, firewall(XML.read_bytes()))
    assert crawl_live("ofac_consolidated", live_stage, db_path, "--expect", "5:10").returncode == 0
    before = stored(db_path, "ofac_consolidated")
    live_stage.answer(DOCUMENTED, "<html><head><title>403 Forbidden</title></head></html>", status=403)
    live_stage.answer(EXPORTS, '{"message": "Service Unavailable"}', content_type="application/json")
    result = crawl_live("ofac_consolidated", live_stage, db_path, "--expect", "5:10")
    assert result.returncode == 1
    error = last_run(db_path)["error"]
    assert error.startswith("ofac_consolidated: source blocked: none of 2 candidate URLs answered: HTTP 403 (forbidden")
    assert f"{EXPORTS} does not look like the expected format" in error
    assert stored(db_path, "ofac_consolidated") == before
    health = run_cli("sources", "--db", str(db_path), "--format", "json")
    row = next(row for row in map(json.loads, health.stdout.splitlines()) if row["spider"] == "ofac_consolidated")
    assert row["status"] == "blocked"


def test_crawl_stores_the_lists_and_a_second_run_changes_nothing(db_path):
    rows = assert_stores_then_changes_nothing("ofac_consolidated", XML.as_uri(), db_path, 8, "--expect", "5:10")
    assert {row["list_code"] for row in rows} == {"SSI", "NS-PLC", "CMIC", "NS-MBS", "FSE", "CAPTA"}


def test_a_crawl_below_the_declared_range_fails_and_stores_nothing(db_path):
    assert_out_of_range_crawl_fails("ofac_consolidated", XML.as_uri(), db_path)


def test_through_the_engine_a_missing_comments_file_still_stores_the_list(db_path, tmp_path):
    directory = copied(tmp_path, LEGACY)
    (directory / "cons_comments.csv").unlink()
    result = crawl("ofac_consolidated", directory.as_uri() + "/", db_path, "--expect", "5:10")
    assert result.returncode == 0, result.stderr
    assert "cons_comments.csv could not be fetched" in result.stderr
    assert len(stored(db_path, "ofac_consolidated")) == 8
