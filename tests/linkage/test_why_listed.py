"""Why listed, end to end: the backfill fetches the cited documents' text, the passage about each party is stored with
its link, and a bad fetch of a text fails by name and rewrites nothing.

Real CSL rows of two denied persons (tests/files/csl/denied.csv) and the real starts of the orders they
cite, played as the Federal Register API's answers (tests/files/README.md, "Why listed").
"""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from spiders.federal_register.federal_register import search_url
from tests.kit.crawls import crawl, crawl_live, last_run
from tests.kit.files import FILES

BIS = ("industry-and-security-bureau",)
TEXT_URL = "https://www.federalregister.gov/documents/full_text/text/{}/{}.txt"
ORDERS = {  # year: (document number, publication date as in its text URL)
    2016: ("2016-27780", "2016/11/18"),
    2018: ("2018-25619", "2018/11/26"),
}


def year_url(year: int) -> str:
    return search_url(f"{year}-01-01", f"{year}-12-31", agencies=BIS)


def text_url(year: int) -> str:
    number, day = ORDERS[year]
    return TEXT_URL.format(day, number)


@pytest.fixture
def listed(db_path):
    result = crawl("csl", (FILES / "csl" / "denied.csv").as_uri(), db_path, "--expect", "1:10")
    assert result.returncode == 0, result.stderr
    return db_path


def play(stage, texts: dict[int, tuple[bytes, str]] | None = None) -> None:
    """The two year searches and the two texts (or the answers `texts` gives instead, by year)."""
    for year, (number, _) in ORDERS.items():
        stage.answer(year_url(year), (FILES / "federal_register" / f"denied_{year}.json").read_bytes())
        body, kind = (texts or {}).get(year) or (
            (FILES / "federal_register" / f"{number}.txt").read_bytes(),
            "text/plain; charset=utf-8",
        )
        stage.answer(text_url(year), body, content_type=kind)


def backfill(stage, db_path):
    return crawl_live("federal_register", stage, db_path, "--backfill-citations")


def passages(db_path) -> dict[str, dict]:
    db = Database(db_path)
    return {
        row["name"]: row
        for row in db.query(
            "SELECT l.name, p.* FROM listing_passages p JOIN listings l ON l.id = p.listing_id ORDER BY l.name"
        )
    }


def test_the_backfill_stores_each_party_s_passage_with_its_citation_and_rule(live_stage, listed):
    play(live_stage)
    result = backfill(live_stage, listed)
    assert result.returncode == 0, result.stderr
    assert sorted(r.url.split("?")[0] for r in live_stage.requests) == sorted(
        [
            *(year_url(y).split("://", 1)[1].split("?")[0] for y in ORDERS),
            *(text_url(y).split("://", 1)[1] for y in ORDERS),
        ]
    )
    found = passages(listed)
    assert set(found) == {"GREGORY ALLEN JUSTICE", "LUIS ALBERTO NAJERA-CITALAN"}
    justice = found["GREGORY ALLEN JUSTICE"]
    assert (justice["citation"], justice["document_number"]) == ("83 FR 60395", "2018-25619")
    assert justice["passage"].startswith("On September 19, 2017, in the U.S. District Court for the Central District")
    assert justice["passage"].endswith("and a $200 special assessment.")
    assert justice["matched_name"] == "GREGORY ALLEN JUSTICE"
    assert found["LUIS ALBERTO NAJERA-CITALAN"]["passage"].startswith("On June 9, 2015, in the U.S. District Court")
    assert "2 of 2 citing parties have a passage" in result.stdout


@pytest.mark.parametrize(
    "answer, named",
    [
        ((b"", "text/plain"), "source returned nothing: the full text of 2018-25619 ({url}) is empty"),
        (
            (b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head></html>", "text/html"),
            "source blocked: the full text of 2018-25619 ({url}) is an HTML page",
        ),
    ],
)
def test_a_bad_text_fails_the_backfill_by_name_and_stores_nothing(live_stage, listed, answer, named):
    play(live_stage, {2018: answer})
    result = backfill(live_stage, listed)
    assert result.returncode == 1
    named = named.format(url=text_url(2018))
    assert named in result.stderr
    run = last_run(listed)
    assert run["status"] == "failed" and named in run["error"]
    db = Database(listed)
    assert db["documents"].count == 0  # the other year's document is not landed either
    assert passages(listed) == {}


def test_a_text_that_cannot_be_fetched_fails_by_name(live_stage, listed):
    for year in ORDERS:
        live_stage.answer(year_url(year), (FILES / "federal_register" / f"denied_{year}.json").read_bytes())
    live_stage.answer(text_url(2016), (FILES / "federal_register" / "2016-27780.txt").read_bytes())
    live_stage.answer(text_url(2018), b"Internal Server Error", status=500)
    result = backfill(live_stage, listed)
    assert result.returncode == 1
    assert "federal_register: source unavailable" in result.stderr and text_url(2018) in result.stderr
    assert Database(listed)["documents"].count == 0


def test_a_later_bad_text_rewrites_neither_the_stored_text_nor_the_passages(live_stage, listed):
    play(live_stage)
    assert backfill(live_stage, listed).returncode == 0
    before = passages(listed)
    db = Database(listed)
    texts = {row["document_number"]: row["full_text"] for row in db.query("SELECT * FROM documents")}
    # A crawl of the same year with the text served as an error page.
    live_stage.answer(text_url(2018), b"<html><body>Error</body></html>", content_type="text/html")
    result = crawl_live("federal_register", live_stage, listed, "--url", year_url(2018), "--full-text")
    assert result.returncode == 1 and "is an HTML page" in result.stderr
    assert {row["document_number"]: row["full_text"] for row in db.query("SELECT * FROM documents")} == texts
    assert passages(listed) == before


def test_a_relisted_crawl_that_drops_the_citation_drops_the_passage(live_stage, listed, tmp_path):
    play(live_stage)
    assert backfill(live_stage, listed).returncode == 0
    uncited = tmp_path / "denied.csv"
    uncited.write_text((FILES / "csl" / "denied.csv").read_text().replace("83 F.R. 60395 11/26/2018", ""))
    result = crawl("csl", uncited.as_uri(), listed, "--expect", "1:10")
    assert result.returncode == 0, result.stderr
    assert set(passages(listed)) == {"LUIS ALBERTO NAJERA-CITALAN"}


def test_rule_prints_why_each_party_was_listed(live_stage, listed):
    import json

    from tests.kit.cli import run_cli

    play(live_stage)
    assert backfill(live_stage, listed).returncode == 0
    out = run_cli("rule", "83 FR 60396", "--db", str(listed), check=True).stdout
    lines = out.splitlines()
    assert lines[0] == "2018-25619: Order Denying Export Privileges"
    assert "DPL: 1 added (Denied Persons List (DPL) - Bureau of Industry and Security)" in out
    (party,) = [i for i, line in enumerate(lines) if line.startswith("  GREGORY ALLEN JUSTICE")]
    assert lines[party + 1].startswith("    why: On September 19, 2017, in the U.S. District Court for the Central")
    assert "$200 special assessment." in out
    report = json.loads(run_cli("rule", "2018-25619", "--db", str(listed), "--format", "json", check=True).stdout)
    (justice,) = report["added"]["DPL"]
    assert justice["passage"].endswith("and a $200 special assessment.")
    assert report["document"]["has_text"] == 1


def test_rule_says_when_the_text_is_not_stored(live_stage, db_path):
    result = crawl("csl", (FILES / "csl" / "cited.csv").as_uri(), db_path, "--expect", "1:10")
    assert result.returncode == 0, result.stderr
    from tests.kit.cli import run_cli
    from tests.linkage.test_rules import play_the_api

    play_the_api(live_stage)
    backfill(live_stage, db_path)
    sugon = run_cli("rule", "84 FR 29373", "--db", str(db_path), check=True).stdout
    assert "its full text is not stored, so no passage says why a party was listed" in sugon
    assert "why:" not in sugon
    # The MEU rule's stored text (its start) names neither AECC entity: said for each.
    meu = run_cli("rule", "2020-28052", "--db", str(db_path), check=True).stdout
    assert meu.count("    why: no paragraph of the stored text names this party") == 2


def test_a_cited_rule_stored_without_its_text_is_fetched_again_for_it(live_stage, listed, tmp_path):
    answer = tmp_path / "denied_2018.json"  # recorded with no text beside it
    answer.write_bytes((FILES / "federal_register" / "denied_2018.json").read_bytes())
    assert crawl("federal_register", answer.as_uri(), listed, "--expect", "1:10").returncode == 0
    db = Database(listed)
    assert db.execute("SELECT full_text FROM documents").fetchone()[0] is None
    assert passages(listed) == {}
    play(live_stage)
    result = backfill(live_stage, listed)
    assert result.returncode == 0, result.stderr
    assert "2 cited rule(s): 1 already stored (1 without their text, fetched again for it)." in result.stderr
    assert db.execute("SELECT full_text FROM documents WHERE document_number = '2018-25619'").fetchone()[0]
    assert set(passages(listed)) == {"GREGORY ALLEN JUSTICE", "LUIS ALBERTO NAJERA-CITALAN"}
