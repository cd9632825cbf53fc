"""Health checks a crawl must pass before anything it saw is stored."""

import pytest

from pipeline.crawl import gate
from spiders.kit.errors import CountOutOfRange, SourceShrank
from spiders.un.un_consolidated import UnConsolidatedSpider


def test_duplicates_are_merged_and_reported():
    first = {
        "id": "csl:CAP:15268",
        "name": "BANK OF KUNLUN CO LTD",
        "source_list_url": None,
        "programs": ["561-Related"],
    }
    second = {
        "id": "csl:CAP:15268",
        "name": "BANK OF KUNLUN CO LTD",
        "source_list_url": "http://bit.ly/1QWTIfE",
        "programs": ["561-Related"],
    }
    records, warnings = gate.merge_duplicates([first, second])
    assert records == [{**first, "source_list_url": "http://bit.ly/1QWTIfE"}]
    assert warnings == ["csl:CAP:15268 appears twice in one crawl: merged"]


def test_differing_duplicates_keep_the_first_and_say_so():
    records, warnings = gate.merge_duplicates([{"id": "x", "name": "A"}, {"id": "x", "name": "B"}])
    assert records == [{"id": "x", "name": "A"}]
    assert "kept the first of differing name" in warnings[0]


def test_count_outside_the_declared_range_fails():
    gate.check_range("csl", 14_159, (5_000, 60_000))
    with pytest.raises(CountOutOfRange, match="csl: item count out of range: 69 items, expected 5000..60000"):
        gate.check_range("csl", 69, (5_000, 60_000))


def test_a_vanished_sub_list_fails_the_crawl():
    with pytest.raises(CountOutOfRange, match="0 SDN entries"):
        gate.check_lists("csl", {"EL": 2_001}, {"SDN": (5_000, 40_000)})


def test_un_persons_and_entities_are_checked_apart():
    types = UnConsolidatedSpider.expected_per_type
    gate.check_types("un_consolidated", {"Individual": 730, "Entity": 273}, types)
    with pytest.raises(CountOutOfRange, match="0 Entity entries, expected 170..380"):
        gate.check_types("un_consolidated", {"Individual": 730}, types)


def test_shrinking_under_half_fails_but_small_lists_may_halve():
    gate.check_shrinkage("csl", {"EL": 1_001, "FSE": 1}, {"EL": 2_001, "FSE": 3})
    with pytest.raises(SourceShrank, match="list EL has 900 entries, under half of the last good crawl's 2001"):
        gate.check_shrinkage("csl", {"EL": 900}, {"EL": 2_001})
