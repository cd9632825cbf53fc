"""bis_denied on the real dpl.txt of November 2023: 665 rows, two of them exact repeats."""

import json

import pytest

from tests.kit.crawls import assert_stores_then_changes_nothing, runs

pytestmark = pytest.mark.acceptance

DPL = "bis_lists/dpl_2023-11.txt"


def test_665_rows_are_663_listings_and_a_second_run_changes_nothing(corpus, db_path):
    # Checked by hand: DAQING ZHOU and NEI-CHIEN CHU each appear twice, every column the same.
    assert_stores_then_changes_nothing("bis_denied", (corpus / DPL).as_uri(), db_path, 663)
    first = runs(db_path)[0]
    assert (first["items_seen"], first["duplicates_merged"]) == (665, 2)


def test_malformed_years_warn_but_do_not_stop_the_crawl(corpus, db_path):
    assert_stores_then_changes_nothing("bis_denied", (corpus / DPL).as_uri(), db_path, 663)
    warnings = json.loads(runs(db_path)[0]["warnings"])
    assert sum("implausible Last_Update" in w for w in warnings) == 3
