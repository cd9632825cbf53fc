"""Screening quality against the real May 2022 Consolidated Screening List (targets of the screening issue)."""

import subprocess

import pytest

from pipeline.screening import evaluation
from pipeline.screening.match.index import NameIndex
from pipeline.screening.match.screener import Query, Screener
from pipeline.screening.peer_suite import CORPUS
from pipeline.store import listed as published
from tests.kit.cli import CHOKEPOINT

pytestmark = pytest.mark.acceptance

CSL = CORPUS / "csl" / "csl_consolidated_2022-05_full.csv"


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("csl") / "chokepoint.db"
    subprocess.run(
        [str(CHOKEPOINT), "crawl", "csl", "--url", CSL.as_uri(), "--db", str(db_path)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return list(published.active_listings(published.open_read_only(db_path)))


@pytest.fixture(scope="module")
def result(rows):
    cases = evaluation.load_cases()
    screener = Screener(NameIndex(rows), limit=10)
    return evaluation.evaluate(
        cases, lambda case: [m.name for m in screener.screen(Query(case.name, case.country)) if m.match]
    )


def test_every_expected_party_is_on_the_list(rows):
    assert evaluation.check_expected_are_listed(evaluation.load_cases(), [row["name"] for row in rows]) == []


def test_the_evaluation_set_is_big_enough(result):
    assert result.positives + result.negatives >= 150
    assert result.native == 6


def test_recall_of_at_least_097(result):
    assert result.recall >= 0.97, result.missed


def test_false_positive_rate_of_at_most_003(result):
    assert result.false_positive_rate <= 0.03, result.false_alarms


def test_four_of_six_chinese_or_cyrillic_names_found(result):
    assert result.native_found >= 4
