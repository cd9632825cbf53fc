"""Screening quality against the real May 2022 Consolidated Screening List (targets of the screening issue)."""

import subprocess

import pytest

from pipeline.screening import evaluation, published
from pipeline.screening.index import NameIndex
from pipeline.screening.screener import Query, Screener
from tests.acceptance.peer_suite import CORPUS
from tests.conftest import CHOKEPOINT

pytestmark = pytest.mark.acceptance

CSL = CORPUS / "csl" / "csl_consolidated_2022-05_full.csv"


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("csl") / "chokepoint.db"
    subprocess.run([str(CHOKEPOINT), "crawl", "csl", "--url", CSL.as_uri(), "--db", str(db_path)],
                   check=True, capture_output=True, timeout=600)
    return list(published.active_listings(published.open_read_only(db_path)))


@pytest.fixture(scope="module")
def results(rows):
    """The evaluation of each part of the set."""
    screener = Screener(NameIndex(rows), limit=10)

    def matched(case):
        return [m.name for m in screener.screen(Query(case.name, case.country)) if m.match]

    parts = evaluation.parts(evaluation.load_cases())
    return {part: evaluation.evaluate(cases, matched) for part, cases in parts.items()}


@pytest.fixture(scope="module")
def result(results):
    return results["v1"]


def test_every_expected_party_is_on_the_list(rows):
    assert evaluation.check_expected_are_listed(evaluation.load_cases(), [row["name"] for row in rows]) == []


def test_the_evaluation_set_is_big_enough(results):
    assert results["v1"].positives + results["v1"].negatives >= 150
    assert results["v1"].native == 6
    assert results["v2"].positives + results["v2"].negatives >= 54  # the issue's four cases and 50 more


def test_recall_of_at_least_097(result):
    assert result.recall >= 0.97, result.missed


def test_false_positive_rate_of_at_most_003(result):
    assert result.false_positive_rate <= 0.03, result.false_alarms


def test_four_of_six_chinese_or_cyrillic_names_found(result):
    assert result.native_found >= 4


@pytest.fixture(scope="module")
def screener(rows):
    return Screener(NameIndex(rows), limit=10)


@pytest.mark.parametrize("written, country, listed", [
    ("Zhejiang Dahua Technology Co., Ltd.", "CN", "Dahua Technology"),  # the province hid it (0.79)
    ("杭州海康威视数字技术股份有限公司", "CN", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD."),  # 0.71
    ("中芯国际集成电路制造有限公司", "CN", "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION"),  # 0.65
])
def test_the_screening_issues_missed_parties_are_found(screener, written, country, listed):
    matched = [m.name for m in screener.screen(Query(written, country)) if m.match]
    assert listed in matched, matched


def test_societe_generale_does_not_match_the_congolese_bakery(screener):
    matches = screener.screen(Query("Société Générale", "FR"))
    assert not any(m.match for m in matches), [(m.alias, m.score) for m in matches]
