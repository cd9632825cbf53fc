"""The FCC spider on the real recorded Covered List table (May 2026: 13 rows)."""

import pytest

from tests.kit.crawls import assert_crawls_twice_without_changes, stored
from tests.kit.files import ROOT

pytestmark = pytest.mark.acceptance

TABLE = ROOT.parent / "shared" / "corpus" / "us_other" / "fcc_covered_list_table.html"


def test_recorded_table_gives_every_producer_and_category(db_path):
    run = assert_crawls_twice_without_changes("fcc_covered", TABLE.as_uri(), db_path)
    # 13 rows: 10 rows name one producer, one row names two (Pacific Networks, ComNet), two rows are categories.
    assert run["added"] == 14
    rows = stored(db_path, "fcc_covered")
    producers = {row["name"] for row in rows if row["entity_type"] == "Entity"}
    assert producers == {
        "Huawei Technologies Company",
        "ZTE Corporation",
        "Hytera Communications Corporation",
        "Hangzhou Hikvision Digital Technology Company",
        "Dahua Technology Company",
        "AO Kaspersky Lab",
        "China Mobile International USA Inc.",
        "China Telecom (Americas) Corp.",
        "Pacific Networks Corp",
        "ComNet (USA) LLC",
        "China Unicom (Americas) Operations Limited",
        "Kaspersky Lab, Inc.",
    }
    categories = {row["name"] for row in rows if row["entity_type"] == "Equipment category"}
    assert categories == {
        "Uncrewed aircraft systems (UAS) and UAS critical components produced in a foreign country",
        "Routers produced in a foreign country",
    }
    assert {row["start_date"] for row in rows} == {
        "2021-03-12",
        "2022-03-25",
        "2022-09-20",
        "2024-07-23",
        "2025-12-22",
        "2026-03-23",
    }
