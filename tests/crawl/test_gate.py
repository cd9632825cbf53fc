"""Health checks a crawl must pass before anything it saw is stored."""

from collections import Counter

import pytest

from pipeline.crawl import gate
from spiders.kit.errors import CountOutOfRange
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


def test_differing_duplicates_keep_the_value_that_sorts_first_and_say_so():
    for served in (
        [{"id": "x", "name": "A"}, {"id": "x", "name": "B"}],
        [{"id": "x", "name": "B"}, {"id": "x", "name": "A"}],
    ):
        records, warnings = gate.merge_duplicates(served)
        assert records == [{"id": "x", "name": "A"}]
        assert warnings == ["x appears twice in one crawl: merged; differing name: kept the value that sorts first"]


def test_merging_does_not_depend_on_the_order_rows_are_served_in():
    """Issue 11, hole 6: an unchanged CSL served with every row twice recorded 27 modifications.

    A record's own repeated values ("AFONIN, Yuri" twice in alt_names) were deduplicated when it
    met its copy; and which of two differing duplicates came first decided what was stored.
    """
    own_repeats = {"id": "csl:SDN:35219", "alt_names": ["AFONIN, Yury", "AFONIN, Yuri", "AFONIN, Yuri"]}
    assert gate.merge_duplicates([own_repeats, dict(own_repeats)])[0] == [own_repeats]
    first = {"id": "csl:CAP:15268", "source_list_url": None, "programs": ["561-Related"], "alt_names": ["A", "B"]}
    second = {
        "id": "csl:CAP:15268",
        "source_list_url": "http://bit.ly/1QWTIfE",
        "programs": ["561"],
        "alt_names": ["C"],
    }
    orders = [[first, second], [second, first], [first, second, first, second], [second, second, first]]
    merged = [gate.merge_duplicates([dict(r) for r in order])[0] for order in orders]
    assert all(result == merged[0] for result in merged)


def test_duplicates_holding_dicts_merge():
    """Issue 11, hole 5: duplicate Federal Register documents crashed the merge (cfr_references are dicts)."""
    document = {"id": "federal_register:2024-00273", "cfr_references": [{"title": 15, "part": 744}]}
    other = {"id": "federal_register:2024-00273", "cfr_references": [{"title": 15, "part": 746}]}
    records, _ = gate.merge_duplicates([document, other])
    assert records[0]["cfr_references"] == [{"title": 15, "part": 744}, {"title": 15, "part": 746}]


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


def test_removals_over_the_guard_fail_per_list_and_in_all():
    active = Counter({"SDN": 10_026, "EL": 2_001, "FSE": 3, "PLC": 78})
    assert gate.removal_problems("csl", active, Counter({"SDN": 300, "EL": 25, "PLC": 20})) == []
    (problem,) = gate.removal_problems("csl", active, Counter({"SDN": 301}))
    assert str(problem).startswith("csl: source shrank: would remove 301 of 10,026 SDN listings (3%)")
    assert "--accept-removals" in str(problem)
    # 26 of 2,001 is under 3%; 26 of 78 is not
    assert gate.removal_problems("csl", active, Counter({"EL": 26})) == []
    assert gate.removal_problems("csl", active, Counter({"PLC": 26}))
    # a small list may lose what it has, unless it vanishes whole (a list of at least 5)
    assert gate.removal_problems("csl", active, Counter({"FSE": 3})) == []
    assert gate.removal_problems("csl", Counter({"UN-GB": 5}), Counter({"UN-GB": 5}))
    # spread over lists, each under the guard, the whole source is not
    regimes = Counter({f"UN-{n}": 100 for n in range(10)})
    (spread,) = gate.removal_problems("un_consolidated", regimes, Counter({f"UN-{n}": 20 for n in range(10)}))
    assert "would remove 200 of 1,000 all listings (20%)" in str(spread)


def test_rewrites_over_the_guard_fail_per_field():
    holding = {"SDN": Counter({"name": 10_026, "alt_names": 6_000}), "EL": Counter({"name": 2_001})}
    assert gate.rewrite_problems("csl", {"SDN": Counter({"name": 300, "alt_names": 180})}, holding, "listings") == []
    (problem,) = gate.rewrite_problems("csl", {"SDN": Counter({"alt_names": 181})}, holding, "listings")
    assert str(problem) == (
        "csl: source rewrote stored values: would drop or rewrite the stored alt_names of 181 of 6,000 SDN listings "
        "(3%) (the guard stops more than 3% and more than 25 at once); "
        "re-run with --accept-removals if the source really changed this much"
    )


def test_a_field_no_item_has_any_more_fails():
    lost = {"SDN": Counter({"programs": 5, "remarks": 2}), "EL": Counter({"extra.vessel": 9})}
    (problem,) = gate.vanished_problems("csl", lost, {"extra.vessel"}, "listings")
    assert "no item of this crawl has 'programs' (which 5 stored listings have)" in str(problem)
    assert gate.vanished_problems("csl", lost, {"programs", "extra.vessel"}, "listings") == []
    # a document does not lose its abstract: one is enough
    assert gate.vanished_problems(
        "federal_register", {"federal_register": Counter({"abstract": 1})}, set(), "documents"
    )
