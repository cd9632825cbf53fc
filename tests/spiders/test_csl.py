"""The CSL spider's parsing, on the bundled sample and on broken copies of it."""

import pytest

from spiders.csl.csl import CslSpider
from spiders.kit.errors import SourceBlocked, SourceEmpty, SourceShapeChanged, SourceTruncated
from spiders.kit.items import Listing
from spiders.kit.offline import parse_items, response_for
from tests.kit.crawls import crawl_live, stored
from tests.kit.files import FILES, edited
from tests.kit.spiders import by_name, fails_by_name

SPIDER = CslSpider
REPLAY = SAMPLE = FILES / "csl" / "consolidated.csv"


def test_every_row_becomes_a_listing(items):
    assert len(items) == 70
    assert all(isinstance(item, Listing) for item in items)


def test_list_codes_come_from_the_source_name(items):
    codes = {item.list_code for item in items}
    assert {"EL", "SDN", "SSI", "CMIC", "DPL", "MEU", "UVL", "DTC", "ISN", "CAP", "NS-MBS"} <= codes
    assert not any(code.endswith(" List") for code in codes)


def test_multi_valued_cells_are_split(items):
    huawei = by_name(items, "HUAWEI TECHNOLOGIES CO., LTD.")
    assert huawei.list_code == "CMIC"
    assert huawei.entry_id == "30947"
    assert huawei.programs == ["CMIC-EO13959"]
    assert huawei.alt_names == ["HUAWEI INVESTMENT & HOLDING CO LTD"]
    assert huawei.ids[0] == "CN, 914403001922038216, Unified Social Credit Code (USCC)"
    assert len(huawei.ids) == 5
    assert huawei.countries == ["CN"]


def test_entity_list_fields(items):
    smic = by_name(items, "Semiconductor Manufacturing International Corporation (SMIC)")
    assert smic.id == "csl:EL:736c2c6ac3e138ed746296f09c18d066c8fddcd0"
    assert smic.federal_register_notice == "85 FR 83420"
    assert smic.start_date == "2020-12-18"
    assert smic.addresses == ["No. 18 Zhang Jiang Road, Pudong New Area, Shanghai, 201203, CN"]
    assert smic.license_policy.startswith("Presumption of denial for items uniquely required")
    assert smic.entity_type is None  # BIS rows leave the type empty


def test_the_same_entry_on_two_lists_is_two_listings(items):
    rosneft = [item for item in items if item.name == "ROSNEFT TRADING S.A."]
    assert {item.list_code for item in rosneft} == {"SDN", "SSI"}
    assert len({item.id for item in rosneft}) == 2
    assert {item.entry_id for item in rosneft} == {"18299"}


def test_a_duplicated_entry_is_yielded_twice_for_the_runner_to_merge(items):
    kunlun = [item for item in items if item.id == "csl:CAP:15268"]
    assert len(kunlun) == 2


def test_implausible_dates_are_kept_and_warned(spider, tmp_path):
    items = parse_items(spider, response_for(edited(tmp_path, SAMPLE, "2020-12-18", "0017-05-26")))
    assert any(item.start_date == "0017-05-26" for item in items)
    assert any("implausible date '0017-05-26'" in warning for warning in spider.source_warnings)


def test_json_download(spider):
    items = parse_items(spider, response_for(FILES / "csl" / "consolidated_sample.json"))
    assert [item.list_code for item in items] == ["CMIC", "EL", "DPL"]
    huawei, smic, dahua = items
    assert huawei.id == "csl:CMIC:30947"
    assert huawei.addresses == [
        "Huawei Headquarter Office Building, Bantian, Longgang District, Shenzhen, Guangdong, 518129, CN"
    ]
    assert huawei.countries == ["CN"]
    assert smic.federal_register_notice == "85 FR 83420"
    assert dahua.extra == {"standard_order": "Y"}
    assert spider.source_warnings == []


def test_json_with_a_new_field_warns(spider, tmp_path):
    path = edited(
        tmp_path,
        FILES / "csl" / "consolidated_sample.json",
        '"title": ""',
        '"title": "", "risk_score": 3',
        name="consolidated.json",
    )
    parse_items(spider, response_for(path))
    assert any("'risk_score'" in warning for warning in spider.source_warnings)


def test_new_column_warns_but_parses(spider):
    items = parse_items(spider, response_for(FILES / "csl" / "new_column.csv"))
    assert len(items) == 5
    assert any("new upstream column 'risk_score'" in warning for warning in spider.source_warnings)


@pytest.mark.parametrize(
    "name, error",
    [
        ("truncated_mid_quote.csv", SourceTruncated),
        ("truncated_mid_row.csv", SourceTruncated),
        ("ragged_row.csv", SourceTruncated),
        ("renamed_column.csv", SourceShapeChanged),
        ("empty.csv", SourceEmpty),
        ("waf_challenge.html", SourceBlocked),
    ],
)
def test_broken_files_fail_by_name(spider, name, error):
    with fails_by_name(spider, error):
        parse_items(spider, response_for(FILES / "csl" / name))


def test_default_url_is_the_live_csv_then_the_legacy_json():
    assert CslSpider().start_urls == [CSV_URL]
    assert CslSpider.fallback_urls == {CSV_URL: [JSON_URL]}


# -- live, against a local server that plays trade.gov -----------------------------------------

CSV_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
JSON_URL = "https://api.trade.gov/static/consolidated_screening_list/consolidated.json"
JSON_SAMPLE = FILES / "csl" / "consolidated_sample.json"


def test_live_the_csv_is_read_and_the_json_not_asked(live_stage, db_path):
    live_stage.answer(CSV_URL, SAMPLE.read_bytes(), content_type="text/csv")
    result = crawl_live("csl", live_stage, db_path, "--expect", "1:100")
    assert "csl: ok, 70 items" in result.stdout, result.stderr
    assert not live_stage.asked(JSON_URL)


def test_live_the_json_is_read_when_the_csv_fails_and_the_miss_is_warned(live_stage, db_path):
    live_stage.answer(CSV_URL, "Service Unavailable", status=503)
    live_stage.answer(JSON_URL, JSON_SAMPLE.read_bytes(), content_type="application/json")
    result = crawl_live("csl", live_stage, db_path, "--expect", "1:100")
    assert "csl: ok, 3 items: 3 added" in result.stdout, result.stderr
    assert f"candidate URL failed, a later one answered: HTTP 503 from {CSV_URL}" in result.stderr


def test_live_a_csv_cut_short_without_notice_fails_and_is_not_replaced_by_the_json(live_stage, db_path):
    body = SAMPLE.read_bytes()
    live_stage.answer(CSV_URL, body[: body.index(b"\n", len(body) // 2) - 20], content_type="text/csv")
    live_stage.answer(JSON_URL, JSON_SAMPLE.read_bytes(), content_type="application/json")
    result = crawl_live("csl", live_stage, db_path, "--expect", "1:100")
    assert result.returncode == 1
    assert "csl: FAILED [run 1]: csl: source truncated: consolidated.csv line" in result.stderr
    assert not live_stage.asked(JSON_URL)
    assert stored(db_path, "csl") == []


def test_live_downloads_cut_short_of_their_length_fail_as_truncated(live_stage, db_path):
    live_stage.cut_short(CSV_URL, SAMPLE.read_bytes(), at=2_000)
    live_stage.cut_short(JSON_URL, JSON_SAMPLE.read_bytes(), at=500)
    result = crawl_live("csl", live_stage, db_path, "--expect", "1:100")
    assert result.returncode == 1
    assert "csl: source truncated: none of 2 candidate URLs answered: " in result.stderr
    assert f"{CSV_URL} ended before the length its server announced" in result.stderr
    assert stored(db_path, "csl") == []
