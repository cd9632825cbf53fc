"""The UN Security Council consolidated list spider on an excerpt of the real list (2026-02-27)."""

import ssl
import urllib.error
import urllib.request

import pytest

from spiders.kit.errors import SourceBlocked, SourceEmpty, SourceShapeChanged, SourceTruncated
from spiders.kit.mirror import ENVIRONMENT
from spiders.kit.offline import parse_items, response_for
from spiders.un.un_consolidated import UnConsolidatedSpider
from tests.kit.cli import run_cli
from tests.kit.crawls import assert_out_of_range_crawl_fails, assert_stores_then_changes_nothing, list_counts
from tests.kit.files import FILES, edited, rewritten, written
from tests.kit.spiders import fails_by_name
from tests.kit.tls import serve_legacy_tls

SPIDER = UnConsolidatedSpider
REPLAY = SAMPLE = FILES / "un_consolidated" / "consolidated.xml"


@pytest.fixture
def listings(items):
    return {item.entry_id: item for item in items}


def test_individuals_and_entities(listings, spider):
    types = [item.entity_type for item in listings.values()]
    assert (types.count("Individual"), types.count("Entity")) == (7, 3)
    assert spider.source_warnings == []


@pytest.mark.parametrize(
    "data_id, list_code, name, entity_type, reference",
    [
        ("6907993", "UN-DRC", "ERIC BADEGE", "Individual", "CDi.001"),
        ("6908048", "UN-Iraq", "SADDAM HUSSEIN AL-TIKRITI", "Individual", "IQi.001"),
        ("6908503", "UN-DPRK", "JANG BOM SU", "Individual", "KPi.016"),
        ("110578", "UN-Taliban", "ABDUL KABIR MOHAMMAD JAN", "Individual", "TAi.003"),
        ("113236", "UN-Al-Qaida", "EGYPTIAN ISLAMIC JIHAD", "Entity", "QDe.003"),
        ("6908451", "UN-Taliban", "HAJI BASIR AND ZARJMIL COMPANY HAWALA", "Entity", "TAe.014"),
    ],
)
def test_regime_is_the_list_and_dataid_the_id(listings, data_id, list_code, name, entity_type, reference):
    item = listings[data_id]
    assert (item.list_code, item.name, item.entity_type) == (list_code, name, entity_type)
    assert item.id == f"un_consolidated:{list_code}:{data_id}"
    assert item.extra["reference_number"] == reference
    assert item.programs == [list_code.removeprefix("UN-")]


def test_name_in_original_script_is_an_alias(listings):
    saddam = listings["6908048"]
    assert saddam.alt_names[0] == "صدام حسين التكريتي"
    assert saddam.extra["name_original_script"] == ["صدام حسين التكريتي"]
    assert saddam.dates_of_birth == ["1937-04-28"]
    assert saddam.places_of_birth == ["al-Awja, near Tikrit, Iraq"]


def test_aliases_by_quality(listings):
    gaston = listings["6907995"]
    assert gaston.alt_names == ["Byiringiro Victor Rumuli", "Victor Rumuri", "Michel Byiringiro"]
    assert gaston.extra["weak_aliases"] == ["Rumuli"]
    jang = listings["6908503"]
    assert {"alias": "Jang Hyon U", "date_of_birth": "1958-02-22"} in jang.extra["alias_details"]


def test_dates_with_a_zone_suffix_and_approximate_births(listings):
    assert listings["6908452"].start_date == "2015-04-07"  # printed 2015-04-07-04:00
    assert listings["6908451"].start_date == "2015-03-27"
    assert listings["110578"].dates_of_birth == ["circa 1963"]


def test_documents_nationality_and_addresses(listings):
    dorda = listings["690738"]
    assert dorda.ids == ["Passport FK117RK0 (Libya), issued 2018-11-25, Tripoli; Date of expiration: 24 Nov 2026"]
    assert dorda.addresses == ["Libya (Believed status/location:deceased)"]
    assert dorda.countries == ["LY"] and dorda.nationalities == []
    gaston = listings["6907995"]
    assert gaston.addresses == ["North Kivu Province, Democratic Republic of the Congo (as of June 2016)"]
    assert gaston.countries == ["CD", "RW"]
    assert gaston.extra["designation"][0] == "FDLR Interim President"


def test_invalid_date_is_warned_and_left_out(spider, tmp_path):
    path = edited(tmp_path, SAMPLE, "<LISTED_ON>2012-12-31</LISTED_ON>", "<LISTED_ON>Invalid date</LISTED_ON>")
    items = {i.entry_id: i for i in parse_items(spider, response_for(path))}
    assert items["6907993"].start_date is None
    assert any("unreadable date 'Invalid date'" in w for w in spider.source_warnings)


def test_free_text_country_is_still_placed(spider, tmp_path):
    path = edited(
        tmp_path,
        SAMPLE,
        "<COUNTRY>Rwanda</COUNTRY>\n        <NOTE>as of early 2016</NOTE>",
        "<COUNTRY>Rwanda (as at Dec. 2016)</COUNTRY>",
    )
    items = {i.entry_id: i for i in parse_items(spider, response_for(path))}
    assert items["6907993"].countries == ["RW", "CD"]


def test_a_new_upstream_field_warns_but_parses(spider, tmp_path):
    path = edited(
        tmp_path, SAMPLE, "<VERSIONNUM>1</VERSIONNUM>", "<VERSIONNUM>1</VERSIONNUM>\n      <RISK_LEVEL>3</RISK_LEVEL>"
    )
    assert len(parse_items(spider, response_for(path))) == 10
    assert any("new upstream field 'RISK_LEVEL'" in w for w in spider.source_warnings)


@pytest.mark.parametrize(
    "old, new, error, message",
    [
        ("<DATAID>6907993</DATAID>", "", SourceShapeChanged, r"INDIVIDUAL \? lacks required field\(s\): DATAID"),
        ("<UN_LIST_TYPE>DRC</UN_LIST_TYPE>", "", SourceShapeChanged, "6907993 lacks required field.s.: UN_LIST_TYPE"),
        ("<ENTITIES>", "<ENTITIES_V2>", SourceTruncated, "not well-formed"),
        ("</CONSOLIDATED_LIST>", "", SourceTruncated, "not well-formed"),
    ],
)
def test_broken_lists_fail_by_name(spider, tmp_path, old, new, error, message):
    with fails_by_name(spider, error, match=message):
        parse_items(spider, response_for(edited(tmp_path, SAMPLE, old, new)))


def test_a_list_without_its_entities_section_fails(spider, tmp_path):
    path = rewritten(tmp_path, SAMPLE, lambda text: text[: text.index("  <ENTITIES>")] + "</CONSOLIDATED_LIST>\n")
    with pytest.raises(SourceShapeChanged, match="has no ENTITIES section"):
        parse_items(spider, response_for(path))


@pytest.mark.parametrize(
    "body, error", [(b"", SourceEmpty), (b"<html><body>Access denied</body></html>", SourceBlocked)]
)
def test_empty_or_html_answers_fail(spider, tmp_path, body, error):
    with pytest.raises(error):
        parse_items(spider, response_for(written(tmp_path, "consolidated.xml", body)))


def test_declared_ranges_cover_opensanctions_guards():
    assert UnConsolidatedSpider.expected_items == (750, 1_750)
    assert UnConsolidatedSpider.live_urls == ["https://scsanctions.un.org/resources/xml/en/consolidated.xml"]


def test_crawl_stores_the_list_and_a_second_run_changes_nothing(db_path):
    assert_stores_then_changes_nothing("un_consolidated", SAMPLE.as_uri(), db_path, 10, "--expect", "5:20")
    assert list_counts(db_path) == {
        "UN-DRC": 3,
        "UN-Iraq": 1,
        "UN-DPRK": 1,
        "UN-Al-Qaida": 2,
        "UN-Taliban": 2,
        "UN-Libya": 1,
    }


def test_a_crawl_below_the_declared_range_fails_and_stores_nothing(db_path):
    assert_out_of_range_crawl_fails("un_consolidated", SAMPLE.as_uri(), db_path)


# -- TLS: scsanctions.un.org and legacy renegotiation --------------------------------------------


@pytest.fixture
def legacy_tls():
    base, server = serve_legacy_tls({"/scsanctions.un.org/resources/xml/en/consolidated.xml": SAMPLE})
    yield base
    server.shutdown()
    server.server_close()


def test_the_local_server_is_one_openssl_3_refuses_by_default(legacy_tls):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with pytest.raises(urllib.error.URLError, match="UNSAFE_LEGACY_RENEGOTIATION_DISABLED"):
        urllib.request.urlopen(legacy_tls + "/scsanctions.un.org/resources/xml/en/consolidated.xml", context=context)


def test_the_spider_reads_a_server_without_secure_renegotiation(legacy_tls, db_path):
    """Scrapy's TLS contexts set OP_LEGACY_SERVER_CONNECT, the one option OpenSanctions adds for this host."""
    result = run_cli(
        "crawl", "un_consolidated", "--db", str(db_path), "--expect", "1:100", env={ENVIRONMENT: legacy_tls}
    )
    assert result.returncode == 0, result.stderr
    assert "un_consolidated: ok, " in result.stdout
