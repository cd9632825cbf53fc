"""Every listing linked to the rule that listed it: the backfill of cited rules, and `chokepoint rule`.

Real CSL rows (tests/files/csl/cited.csv) and the real rules they cite, played as the
Federal Register API's answers (tests/files/README.md, "Cited rules").
"""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from spiders.federal_register.federal_register import search_url
from tests.kit.cli import run_cli
from tests.kit.crawls import crawl, crawl_live, stored
from tests.kit.files import FILES, rewritten

AGENCIES = ("industry-and-security-bureau", "state-department")
MEU_TEXT_URL = "https://www.federalregister.gov/documents/full_text/text/2020/12/23/2020-28052.txt"


def year_url(year: int) -> str:
    return search_url(f"{year}-01-01", f"{year}-12-31", agencies=AGENCIES)


@pytest.fixture
def listed(db_path):
    """The five real CSL rows stored as a crawl would store them."""
    result = crawl("csl", (FILES / "csl" / "cited.csv").as_uri(), db_path, "--expect", "1:10")
    assert result.returncode == 0, result.stderr
    return db_path


def play_the_api(stage) -> None:
    stage.answer(
        year_url(2019), (FILES / "federal_register" / "cited_2019.json").read_bytes(), content_type="application/json"
    )
    stage.answer(
        year_url(2020), (FILES / "federal_register" / "cited_2020.json").read_bytes(), content_type="application/json"
    )
    stage.answer(
        year_url(2002), (FILES / "federal_register" / "no_results.json").read_bytes(), content_type="application/json"
    )
    stage.answer(
        MEU_TEXT_URL,
        (FILES / "federal_register" / "2020-28052.txt").read_bytes(),
        content_type="text/plain; charset=utf-8",
    )


def backfill(stage, db_path):
    return crawl_live("federal_register", stage, db_path, "--backfill-citations")


def test_the_backfill_asks_each_cited_year_once_and_stores_exactly_the_cited_rules(live_stage, listed):
    play_the_api(live_stage)
    result = backfill(live_stage, listed)
    asked = sorted(r.url for r in live_stage.requests)
    assert len(asked) == 4, asked  # three year searches and one full text
    assert {d["document_number"] for d in stored(listed, "federal_register", "documents")} == {
        "2019-13245",
        "2020-28052",
    }
    (meu,) = [d for d in stored(listed, "federal_register", "documents") if d["document_number"] == "2020-28052"]
    assert "first tranche of entities" in meu["full_text"]
    # The debarment's 2002 notice is not in the answer: said by name, and the command fails.
    assert result.returncode == 1
    assert "1 of 3 cited rule(s) still not found" in result.stderr and "67 FR 10033" in result.stderr
    rules = {r["name"]: r["document_id"] for r in Database(listed).query("SELECT * FROM listing_rules")}
    assert rules["Sugon"] is not None and rules["AECC Aviation Power Co. Ltd."] is not None
    assert rules["A & C International Trade, Inc."] is None


def test_backfilled_rules_do_not_move_the_streams_watermark(live_stage, listed):
    from pipeline.store.runs import stream_watermark

    play_the_api(live_stage)
    backfill(live_stage, listed)
    db = Database(listed)
    assert db.execute("SELECT source_url FROM crawl_runs ORDER BY id DESC").fetchone()[0].startswith("citations: ")
    assert stream_watermark(db, "federal_register") is None  # the stream itself was never read


def test_a_second_backfill_fetches_only_what_is_still_missing(live_stage, listed):
    play_the_api(live_stage)
    backfill(live_stage, listed)
    live_stage.requests.clear()
    result = backfill(live_stage, listed)
    # The debarment's notice is missing, and Sugon's rule is stored without its text (the recorded
    # answer has no raw_text_url): one search of each of their years, the MEU rule's not asked again.
    assert sorted(r.url for r in live_stage.requests) == sorted(year_url(y).split("://", 1)[1] for y in (2002, 2019))
    assert "3 cited rule(s): 2 already stored (1 without their text, fetched again for it)" in result.stderr
    assert "1 cited rule(s) stored without their text (the API's answer gave none): 84 FR 29373" in result.stderr
    assert (
        "1 of 3 cited rule(s) still not found" in result.stderr and "84 FR 29373" not in result.stderr.split("still")[1]
    )
    assert "federal_register: ok, 1 items: 0 added, 0 modified" in result.stdout


def test_a_backfill_with_nothing_cited_says_why(live_stage, db_path):
    result = backfill(live_stage, db_path)
    assert result.returncode == 1
    assert "nothing to backfill: no active Entity List, MEU, DPL or DTC listing" in result.stderr
    assert live_stage.requests == []


def test_rule_by_citation_and_by_number_lists_the_parties_it_added(live_stage, listed):
    play_the_api(live_stage)
    backfill(live_stage, listed)
    by_page = run_cli("rule", "85 FR 83799", "--db", str(listed), check=True).stdout
    by_number = run_cli("rule", "2020-28052", "--db", str(listed), check=True).stdout
    assert by_page == by_number
    assert by_page.splitlines()[0].startswith("2020-28052: Addition of ‘Military End User’ (MEU) List")
    assert "MEU: 2 added (Military End User (MEU) List" in by_page
    assert "AECC Aero Science & Technology Co. Ltd. (CN)  cites 85 FR 83799" in by_page
    report = json.loads(run_cli("rule", "84 FR 29371", "--db", str(listed), "--format", "json", check=True).stdout)
    assert [r["name"] for r in report["added"]["EL"]] == ["Sugon"]


def test_a_cited_rule_not_stored_still_shows_its_parties_and_says_so(listed):
    out = run_cli("rule", "67 FR 10033", "--db", str(listed), check=True).stdout
    assert "the rule is not stored" in out
    assert "A & C International Trade, Inc." in out


@pytest.mark.parametrize(
    "asked, message",
    [
        ("99 FR 1", "no stored rule covers 99 FR 1 and no stored listing cites it"),
        ("2031-00001", "document 2031-00001 is not stored"),
        ("Entity List", "is neither a Federal Register citation"),
    ],
)
def test_an_unknown_or_unparseable_rule_is_a_one_line_error(listed, asked, message):
    result = run_cli("rule", asked, "--db", str(listed))
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_a_party_citing_two_pages_of_one_rule_is_one_party(live_stage, db_path, tmp_path):
    two_pages = rewritten(
        tmp_path, FILES / "csl" / "cited.csv", lambda text: text.replace("84 FR 29373", "84 FR 29371; 84 FR 29373")
    )
    assert crawl("csl", two_pages.as_uri(), db_path, "--expect", "1:10").returncode == 0
    play_the_api(live_stage)
    backfill(live_stage, db_path)
    report = json.loads(run_cli("rule", "2019-13245", "--db", str(db_path), "--format", "json", check=True).stdout)
    assert [r["name"] for r in report["added"]["EL"]] == ["Sugon"]
    assert report["revised"] == {}


def test_the_lead_time_from_a_rule_to_a_list_counts_only_listings_that_appeared_after_the_first_crawl(
    live_stage, db_path, tmp_path
):
    # The clock is frozen to play a crawl before 2019-13245 was published (24 June 2019) and one after it:
    # Sugon is first seen by the second crawl, the others were there from the first (when they appeared is unknown).
    without_sugon = rewritten(
        tmp_path,
        FILES / "csl" / "cited.csv",
        lambda text: "\n".join(row for row in text.split("\n") if ",Sugon," not in row),
    )
    private = str(db_path.with_name("private.db"))
    for url, now in (
        (without_sugon.as_uri(), "2019-06-20T12:00:00Z"),
        ((FILES / "csl" / "cited.csv").as_uri(), "2019-06-26T09:00:00Z"),
    ):
        run_cli(
            "crawl",
            "csl",
            "--url",
            url,
            "--db",
            str(db_path),
            "--private-db",
            private,
            "--expect",
            "1:10",
            now=now,
            check=True,
        )
    play_the_api(live_stage)
    backfill(live_stage, db_path)
    report = json.loads(run_cli("leadtimes", "--db", str(db_path), "--format", "json", check=True).stdout)
    [bis] = report["appearances"]["agencies"]
    # From the start of 24 June in Washington (04:00 UTC) to the crawl of 26 June, 09:00 UTC.
    assert (bis["agency"], bis["pairs"], bis["shortest_hours"], bis["median_hours"]) == (
        "Industry and Security Bureau",
        1,
        53.0,
        None,
    )
    assert report["linked"] == 0  # no public-inspection filing: said, not an error, as the other kind has pairs
    out = run_cli("leadtimes", "--db", str(db_path), check=True).stdout
    assert "1 listing(s) that appeared after their source's first crawl cite a stored rule." in out
    assert "Fewer than 5 pairs, no median: Industry and Security Bureau (1)" in out


def test_listings_present_from_the_first_crawl_give_no_lead_time(live_stage, listed):
    play_the_api(live_stage)
    backfill(live_stage, listed)
    result = run_cli("leadtimes", "--db", str(listed))
    assert result.returncode == 1
    assert "no listing that appeared after its source's first crawl cites a stored rule" in result.stderr
