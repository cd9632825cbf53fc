"""The OFAC SDN spider on excerpts of the real legacy CSV files (2021) and enhanced XML (2025)."""

import asyncio
import re
import shutil

import pytest
from scrapy.http import Request

from spiders.kit.errors import SourceBlocked, SourceEmpty, SourceShapeChanged, SourceTruncated
from spiders.kit.offline import follow, parse_items, response_for
from spiders.ofac.ofac_sdn import OfacSdnSpider
from tests.kit.crawls import assert_out_of_range_crawl_fails, assert_stores_then_changes_nothing
from tests.kit.files import FILES, copied, edited, rewritten
from tests.kit.spiders import fails_by_name

SPIDER = OfacSdnSpider
REPLAY = SDN_DIR = FILES / "ofac_sdn"
CONS_XML = FILES / "ofac_consolidated" / "cons_enhanced.xml"


@pytest.fixture
def listings(spider):
    return {item.entry_id: item for item in follow(spider, SDN_DIR / "sdn.csv").items}


def first_requests(spider) -> list[str]:
    async def collect():
        return [request.url async for request in spider.start()]

    return asyncio.run(collect())


def test_every_entry_is_one_sdn_listing_keyed_by_its_entry_number(listings):
    assert sorted(listings, key=int) == ["36", "306", "2676", "4243", "4307", "15431", "28264"]
    assert {item.list_code for item in listings.values()} == {"SDN"}
    assert listings["306"].id == "ofac_sdn:SDN:306"


@pytest.mark.parametrize(
    "entry_id, name, entity_type, programs",
    [
        ("36", "AEROCARIBBEAN AIRLINES", "Entity", ["CUBA"]),
        ("2676", "AL ZAWAHIRI, Dr. Ayman", "Individual", ["SDGT"]),
        ("4243", "SAND SWAN", "Vessel", ["CUBA"]),
        ("15431", "EP-GOM", "Aircraft", ["SDGT"]),
        ("28264", "LI, Jiadong", "Individual", ["DPRK3", "CYBER2"]),
    ],
)
def test_names_types_and_programs(listings, entry_id, name, entity_type, programs):
    item = listings[entry_id]
    assert (item.name, item.entity_type, item.programs) == (name, entity_type, programs)


def test_addresses_aliases_and_countries_come_from_the_sibling_files(listings):
    bank = listings["306"]
    assert bank.alt_names == ["NATIONAL BANK OF CUBA"]
    assert bank.addresses[0] == "Zweierstrasse 35, Zurich CH-8022, Switzerland"
    assert bank.countries == ["CH", "ES", "JP", "PA"]
    assert bank.extra["weak_aliases"] == ["BNC"]  # "a.k.a. 'BNC'" in remarks: OFAC's low-quality alias


def test_remarks_are_read_into_dates_of_birth_places_ids_and_nationality(listings):
    zawahiri = listings["2676"]
    assert zawahiri.dates_of_birth == ["1951-06-19"]
    assert zawahiri.places_of_birth == ["Giza, Egypt"]
    assert zawahiri.ids == ["Passport 1084010 (Egypt)", "Passport 19820215"]
    assert zawahiri.title == "Operational and Military Leader of JIHAD GROUP"
    assert "AL-ZAWAHIRI, Ayman" in zawahiri.alt_names
    abril = listings["4307"]
    assert abril.ids == ["Cedula No. 3002003 (Colombia)", "Passport AF368431 (Colombia)"]
    assert abril.extra["alias_types"] == {"CORTEZ, Oliverio Abril": "fka"}


def test_vessel_and_aircraft_facts(listings):
    assert listings["4243"].extra["vessel"] == {
        "call_sign": "P3QG3",
        "vessel_type": "General Cargo",
        "tonnage": "2595",
        "gross_registered_tonnage": "1116",
        "vessel_flag": "Cyprus",
        "vessel_owner": "Sand & Swan Navigation Co. Ltd.",
    }
    assert listings["4243"].extra["weak_aliases"] == ["ANA I"]
    assert "Aircraft Manufacturer's Serial Number (MSN) 1023409321" in listings["15431"].ids
    assert listings["15431"].extra["linked_to"] == ["POUYA AIR"]


def test_remarks_cut_at_1000_characters_are_completed_from_the_comments_file(listings, spider):
    li = listings["28264"]
    assert len(li.remarks) > 1000 and li.remarks.endswith("Linked To: LAZARUS GROUP.")
    assert "Identification Number 210302198701102136 (China)" in li.ids  # in the continuation
    assert li.nationalities == ["China"] and li.countries == ["CN"]
    assert li.extra["gender"] == "Male"
    assert spider.source_warnings == []


def test_without_the_comments_file_the_list_is_still_whole_but_warned(spider, tmp_path):
    directory = copied(tmp_path, SDN_DIR)
    (directory / "sdn_comments.csv").unlink()
    items = {item.entry_id: item for item in follow(spider, directory / "sdn.csv").items}
    assert len(items) == 7
    assert len(items["28264"].remarks) == 1000
    assert any("sdn_comments.csv could not be fetched" in w for w in spider.source_warnings)
    assert any("1 remark(s) end at OFAC's 1,000-character cut" in w for w in spider.source_warnings)


@pytest.mark.parametrize(
    "url, first_request",
    [
        ("file:///data/ofac/", "file:///data/ofac/sdn.csv"),
        ("file:///data/ofac", "file:///data/ofac/sdn.csv"),
        ("file:///data/ofac/sdn.csv", "file:///data/ofac/sdn.csv"),
        ("file:///data/ofac/SDN_ENHANCED.ZIP", "file:///data/ofac/SDN_ENHANCED.ZIP"),
    ],
)
def test_a_directory_url_starts_from_its_primary_file(url, first_request):
    assert first_requests(OfacSdnSpider(url=url)) == [first_request]


def test_siblings_follow_the_primary_files_letter_case(spider, tmp_path):
    upper = tmp_path / "upper"
    upper.mkdir()
    for path in SDN_DIR.iterdir():
        shutil.copy(path, upper / path.name.upper())
    (request,) = list(spider.parse(response_for(upper / "SDN.CSV")))
    assert request.url == (upper / "ADD.CSV").as_uri()
    assert len(follow(spider, upper / "SDN.CSV").items) == 7


def test_the_enhanced_export_lists_only_sdn_members_and_notes_other_lists(spider):
    # The consolidated export holds a few SDN entries (VTB is on the SDN and SSI lists).
    items = parse_items(spider, response_for(CONS_XML))
    assert [(i.entry_id, i.list_code, i.start_date) for i in items] == [("17013", "SDN", "2022-02-24")]
    assert items[0].extra["also_on"] == ["SSI"]
    assert any("is the Consolidated List export, not the SDN List" in w for w in spider.source_warnings)


def test_a_new_upstream_column_warns_but_parses(spider, tmp_path):
    directory = copied(tmp_path, SDN_DIR)
    edited(
        directory,
        directory / "sdn.csv",
        b'"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
        b'"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"X"\r\n',
    )
    assert len(follow(spider, directory / "sdn.csv").items) == 7
    assert any("sdn.csv: new upstream column(s) 13..13" in w for w in spider.source_warnings)


@pytest.mark.parametrize(
    "name, change, error, message",
    [
        (
            "sdn",
            lambda b: b.replace(b',"CUBA",-0- ,-0- ', b',"CUBA"', 1),
            SourceShapeChanged,
            "sdn.csv line 1 has 10 fields",
        ),
        ("sdn", lambda b: b[:-200], SourceTruncated, "sdn.csv line"),  # cut inside the last quoted remark
        ("add", lambda b: b.rstrip(b"\x1a\r\n").rsplit(b",", 2)[0], SourceTruncated, "add.csv line 17 has 4 fields"),
        ("sdn", lambda b: b"", SourceEmpty, "empty response"),
        ("alt", lambda b: b"<html><body>Request blocked</body></html>", SourceBlocked, "an HTML page where the file"),
        (
            "sdn",
            lambda b: b.replace(b'36,"AEROCARIBBEAN AIRLINES"', b"36,-0- ", 1),
            SourceShapeChanged,
            "lacks an entry number or a name",
        ),
    ],
)
def test_broken_files_fail_by_name(spider, tmp_path, name, change, error, message):
    directory = copied(tmp_path, SDN_DIR)
    rewritten(directory, directory / f"{name}.csv", change, binary=True)
    with fails_by_name(spider, error, match=message):
        follow(spider, directory / "sdn.csv")


def test_live_default_is_the_enhanced_export_with_a_browser_user_agent():
    spider = OfacSdnSpider()
    assert spider.start_urls == ["https://sanctionslistservice.ofac.treas.gov/api/download/SDN_ENHANCED.XML"]
    assert spider.fallback_urls[spider.start_urls[0]] == [
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_ENHANCED.XML"
    ]
    agent = OfacSdnSpider.custom_settings["USER_AGENT"]
    assert re.match(r"Mozilla/\d", agent) and len(agent) >= 40  # what the SLS firewall admits (reported, 2026-07)


def test_crawl_stores_the_list_and_a_second_run_changes_nothing(db_path):
    rows = assert_stores_then_changes_nothing("ofac_sdn", SDN_DIR.as_uri() + "/", db_path, 7, "--expect", "5:10")
    assert {row["id"] for row in rows} >= {"ofac_sdn:SDN:306", "ofac_sdn:SDN:28264"}


def test_a_crawl_below_the_declared_range_fails_and_stores_nothing(db_path):
    assert_out_of_range_crawl_fails("ofac_sdn", (SDN_DIR / "sdn.csv").as_uri(), db_path)


def test_request_chain_carries_entries_in_cb_kwargs_not_on_the_spider(spider):
    (request,) = list(spider.parse(response_for(SDN_DIR / "sdn.csv")))
    assert isinstance(request, Request) and set(request.cb_kwargs) == {"entries", "urls"}
    assert len(request.cb_kwargs["entries"]) == 7
    assert not any(isinstance(value, dict) and "306" in value for value in vars(spider).values())
