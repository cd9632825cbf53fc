"""The FCC Covered List spider on the bundled page sample and broken copies of it."""

import pytest

from spiders.fcc.fcc_covered import PAGE_URL, FccCoveredSpider
from spiders.kit.errors import SourceBlocked, SourceEmpty, SourceShapeChanged
from spiders.kit.items import Listing
from spiders.kit.offline import parse_items, response_for
from tests.kit.crawls import assert_crawls_twice_without_changes, assert_out_of_range_crawl_fails, stored
from tests.kit.files import FILES, edited, rewritten

SPIDER = FccCoveredSpider
REPLAY = SAMPLE = FILES / "fcc_covered" / "coveredlist.html"


@pytest.fixture
def listings(items):
    return items


def test_one_listing_per_producer_and_category(listings):
    assert all(isinstance(item, Listing) for item in listings)
    assert [item.name for item in listings] == [
        "Huawei Technologies Company",
        "ZTE Corporation",
        "China Mobile International USA Inc.",
        "Pacific Networks Corp",
        "ComNet (USA) LLC",
        "Kaspersky Lab, Inc.",
        "Uncrewed aircraft systems (UAS) and UAS critical components produced in a foreign country",
        "Routers produced in a foreign country",
    ]


@pytest.mark.parametrize(
    "name, start_date, remarks_start",
    [
        (
            "Huawei Technologies Company",
            "2021-03-12",
            "Telecommunications equipment produced by Huawei Technologies Company,",
        ),
        ("ZTE Corporation", "2021-03-12", "Telecommunications equipment produced by ZTE Corporation,"),
        (
            "China Mobile International USA Inc.",
            "2022-03-25",
            "International telecommunications services provided by China Mobile",
        ),
        (
            "Kaspersky Lab, Inc.",
            "2024-07-23",
            "Cybersecurity and anti-virus software produced or provided by Kaspersky Lab, Inc.",
        ),
        (
            "Routers produced in a foreign country",
            "2026-03-23",
            "Routers^ produced in a foreign country, except routers",
        ),
    ],
)
def test_fields(listings, name, start_date, remarks_start):
    item = next(item for item in listings if item.name == name)
    assert item.start_date == start_date
    assert item.remarks.startswith(remarks_start)
    assert (item.list_code, item.list_name, item.source_list_url) == ("FCC", "FCC Covered List", PAGE_URL)
    assert item.entry_id.startswith("h") and len(item.entry_id) == 17


def test_two_producers_in_one_row_name_each_other(listings):
    pacific, comnet = (item for item in listings if item.start_date == "2022-09-20")
    assert pacific.extra == {"co_listed": ["ComNet (USA) LLC"]}
    assert comnet.extra == {"co_listed": ["Pacific Networks Corp"]}
    assert pacific.remarks == comnet.remarks


def test_categories_are_typed_and_keep_their_updates(listings):
    uas = next(item for item in listings if item.name.startswith("Uncrewed aircraft systems"))
    assert uas.entity_type == "Equipment category"
    assert uas.start_date == "2025-12-22"
    assert uas.extra == {"updated": ["2026-01-07", "2026-03-18"]}
    assert {item.entity_type for item in listings if not item.name.endswith("foreign country")} == {"Entity"}


def test_ids_are_stable_and_distinct(spider, listings, tmp_path):
    assert len({item.id for item in listings}) == len(listings)
    reworded = edited(
        tmp_path, SAMPLE, "including telecommunications or video", "including the telecommunications or video", count=-1
    )
    again = parse_items(FccCoveredSpider(), response_for(reworded))
    assert [item.id for item in again] == [item.id for item in listings]  # the id follows the name, not the wording


def test_a_producer_named_in_two_rows_gets_two_ids(tmp_path):
    path = edited(
        tmp_path,
        SAMPLE,
        "<strong>Kaspersky Lab, Inc.</strong>",
        "<strong>Huawei Technologies Company</strong>",
        count=-1,
    )
    items = parse_items(FccCoveredSpider(), response_for(path))
    huawei = [item for item in items if item.name == "Huawei Technologies Company"]
    assert len(huawei) == 2 and huawei[0].id != huawei[1].id


def test_bare_table_fragment_and_abbreviated_months(tmp_path, listings):
    def table_alone(text):
        return text[text.index("<table") : text.index("</table>") + len("</table>")].replace(
            "March 12, 2021", "Mar 12, 2021"
        )

    path = rewritten(tmp_path, SAMPLE, table_alone, name="table.html")
    items = parse_items(FccCoveredSpider(), response_for(path))
    assert [(item.id, item.start_date) for item in items] == [(item.id, item.start_date) for item in listings]


def test_a_new_column_warns_but_parses(tmp_path):
    path = edited(
        tmp_path,
        SAMPLE,
        "<strong>Date of Inclusion on Covered List</strong></p></th>",
        "<strong>Date of Inclusion on Covered List</strong></p></th><th>FCC Order</th>",
        count=-1,
    )
    path = edited(tmp_path, path, "</td>\n          </tr>", "</td><td>FCC 21-33</td>\n          </tr>", count=-1)
    spider = FccCoveredSpider()
    items = parse_items(spider, response_for(path))
    assert len(items) == 8
    assert any("new upstream column 'FCC Order'" in warning for warning in spider.source_warnings)


def test_an_unreadable_date_is_kept_and_warned(tmp_path):
    path = edited(tmp_path, SAMPLE, "July 23, 2024", "Julyy 23, 2024", count=-1)
    spider = FccCoveredSpider()
    kaspersky = next(item for item in parse_items(spider, response_for(path)) if item.name == "Kaspersky Lab, Inc.")
    assert kaspersky.start_date == "Julyy 23, 2024"
    assert any("unreadable date 'Julyy 23, 2024'" in warning for warning in spider.source_warnings)


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "<strong>Date of Inclusion on Covered List</strong>",
            "<strong>Date Added</strong>",
            "lacks column(s) 'Date of Inclusion on Covered List'",
        ),
        ("Covered Equipment or Services*", "Equipment", "has no table headed"),
        ('<td><p class="rtecenter">March 23, 2026</p></td>', "", "row 7 has 1 cells"),
    ],
)
def test_a_missing_required_field_fails(tmp_path, old, new, message):
    path = edited(tmp_path, SAMPLE, old, new, count=-1)
    with pytest.raises(SourceShapeChanged) as raised:
        parse_items(FccCoveredSpider(), response_for(path))
    assert message in str(raised.value)
    assert str(raised.value).startswith("fcc_covered: source changed shape: ")


def test_a_challenge_page_is_a_block(tmp_path):
    with pytest.raises(SourceBlocked, match='a challenge page \\(a page titled "Access Denied"\\)'):
        parse_items(FccCoveredSpider(), response_for(FILES / "fcc_covered" / "access_denied.html"))
    empty = tmp_path / "empty.html"
    empty.write_text("")
    with pytest.raises(SourceEmpty):
        parse_items(FccCoveredSpider(), response_for(empty))


def test_live_defaults():
    spider = FccCoveredSpider()
    assert spider.start_urls == ["https://www.fcc.gov/supplychain/coveredlist"]
    assert FccCoveredSpider.custom_settings["USER_AGENT"].startswith("Mozilla/5.0")


def test_crawl_stores_the_list_and_a_second_run_changes_nothing(db_path):
    run = assert_crawls_twice_without_changes("fcc_covered", SAMPLE.as_uri(), db_path, "--expect", "5:10")
    assert run["added"] == 8
    assert {row["name"] for row in stored(db_path, "fcc_covered")} >= {"Huawei Technologies Company", "ZTE Corporation"}


def test_a_crawl_below_the_declared_range_fails_and_stores_nothing(db_path):
    assert_out_of_range_crawl_fails("fcc_covered", SAMPLE.as_uri(), db_path)  # 8 listings, 11 expected at least
