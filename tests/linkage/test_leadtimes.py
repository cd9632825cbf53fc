"""Public inspection to publication, per agency, on the demo's real filings of 8 and 9 January 2024."""

from __future__ import annotations

import json

from pipeline.linkage.leadtimes import hours_ahead
from tests.kit.cli import run_cli
from tests.kit.crawls import crawl
from tests.kit.files import FILES


def test_hours_count_to_the_start_of_the_publication_day_in_washington():
    assert hours_ahead("2024-01-09T08:45:00.000-05:00", "2024-01-10") == 15.25
    assert hours_ahead("2024-07-01T16:15:00-04:00", "2024-07-02") == 7.75  # summer time


def test_with_too_few_pairs_no_median_is_given_and_every_agency_is_counted(demo_db):
    out = run_cli("leadtimes", "--db", str(demo_db), check=True).stdout
    assert "7 of 8 public-inspection filing(s) linked to their publication." in out
    assert "No agency has 5 linked pairs yet: no median is reported." in out
    assert "International Trade Administration (3), Foreign Assets Control Office (2)" in out


def test_an_agency_with_enough_pairs_gets_its_median(demo_db):
    report = json.loads(
        run_cli("leadtimes", "--db", str(demo_db), "--min-pairs", "3", "--format", "json", check=True).stdout
    )
    ita = next(a for a in report["agencies"] if a["agency"] == "International Trade Administration")
    # Filed 9 January 2024 at 08:45 (-05:00), published 10 January.
    assert (ita["pairs"], ita["median_hours"]) == (3, 15.3)
    assert next(a for a in report["agencies"] if a["agency"] == "Foreign Assets Control Office")["median_hours"] is None


def test_no_linked_filing_is_an_error_not_an_empty_report(db_path):
    crawl("federal_register", (FILES / "federal_register" / "documents_2024-01.json").as_uri(), db_path)
    result = run_cli("leadtimes", "--db", str(db_path))
    assert result.returncode == 1
    assert "no lead time to report: 0 public-inspection filing(s) stored" in result.stderr
