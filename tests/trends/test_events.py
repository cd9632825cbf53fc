"""Which stored items count, on which day: read from a real SQLite file built through the store."""

from datetime import date

from pipeline import trends
from pipeline.trends.counts import NOT_TAGGED, count
from pipeline.trends.events import FIRST_CRAWL_UNDATED, SAME_DOCUMENT

NOW = "2026-11-30T12:00:00Z"


def test_documents_count_once_on_their_publication_date(stored):
    read = trends.read(trends.open_database(stored), NOW)
    measures = {e.item_id: e for e in read.dated.events if e.kind == "measure"}
    assert set(measures) == {
        "federal_register:2022-21658",
        "federal_register:2023-23055",
        "federal_register:2023-23049",
    }  # the public-inspection filing of 2023-23049 is the same document
    assert measures["federal_register:2023-23049"].day == date(2023, 10, 25)
    assert measures["federal_register:2023-23049"].industries == ("semiconductors",)
    assert read.dated.not_counted[SAME_DOCUMENT] == 1


def test_listings_count_on_their_listing_date_or_when_they_arrived(stored):
    read = trends.read(trends.open_database(stored), NOW)
    listings = {e.item_id: e for e in read.dated.events if e.kind == "listing"}
    assert listings["csl:EL:a1"].day == date(2020, 12, 18) and listings["csl:EL:a1"].dated_by == "listing date"
    # Yangtze Memory arrived with the second crawl and gives no date: the day it was first seen.
    assert listings["csl:EL:a3"].day == date(2026, 11, 30) and listings["csl:EL:a3"].dated_by == "first seen"
    # Huawei came with the list's first crawl, undated: when it was listed is unknown, so it is not counted.
    assert "csl:EL:a2" not in listings
    assert read.dated.not_counted[FIRST_CRAWL_UNDATED] == 1
    assert listings["csl:EL:a3"].list == "csl:EL" and listings["csl:EL:a3"].jurisdiction == "US"


def test_counts_per_month_by_industry_keep_untagged_items_visible(stored):
    read = trends.read(trends.open_database(stored), NOW)
    counts = count(read.dated.events, "industry", "month", date(2023, 10, 1), date(2026, 11, 30))
    october = [row for row in counts.rows if row.period == "2023-10"]
    assert [(row.group, row.measures, row.listings) for row in october] == [("semiconductors", 2, 0)]
    november = [row for row in counts.rows if row.period == "2026-11"]
    assert [(row.group, row.measures, row.listings) for row in november] == [(NOT_TAGGED, 0, 1)]
    assert (counts.measures, counts.listings) == (2, 1)
    # Every month of the window is there, empty ones too.
    assert len({row.period for row in counts.rows}) == 38


def test_the_list_view_counts_listings_only(stored):
    read = trends.read(trends.open_database(stored), NOW)
    counts = count(read.dated.events, "list", "week", date(2020, 1, 1), date(2026, 12, 31))
    assert {row.group for row in counts.rows if row.group} == {"csl:EL"}
    assert counts.left_out == 3  # the three rules are on no list
