"""Listings to their rules and to each other, on the real CSL of May 2022 (bench/links.py measures the same)."""

from sqlite_utils import Database

from pipeline.store import citations
from tests.kit.cli import run_cli
from tests.kit.files import FILES

CSL_2022 = "csl/csl_consolidated_2022-05_full.csv"


def test_the_real_csl_links_its_listings_to_rules_and_parents(corpus, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    run_cli("crawl", "csl", "--url", (corpus / CSL_2022).as_uri(), "--db", str(db_path), check=True)
    db = Database(db_path)
    cited = "list_code IN ('EL', 'MEU', 'DPL', 'DTC') AND federal_register_notice IS NOT NULL"
    rows = db.execute(f"SELECT count(*) FROM listings WHERE {cited}").fetchone()[0]
    with_citation = db.execute(
        f"SELECT count(*) FROM listings l WHERE {cited} AND EXISTS "
        "(SELECT 1 FROM listing_citations c WHERE c.listing_id = l.id)"
    ).fetchone()[0]
    # Only the two rows citing "76 FR No. 197 (10/12/2011)", an issue without a page, have none.
    assert (rows, with_citation) == (3_233, 3_231)

    plan = citations.backfill_plan(db)
    assert (plan.cited, plan.resolved, len(plan.before_api), len(plan.requests)) == (497, 0, 23, 474)
    assert {r.agency for r in plan.requests} == {"industry-and-security-bureau", "state-department"}

    # 3,798 listings name a parent; each is found among the listings (by name or alias).
    named, unfound = db.execute(
        "SELECT count(DISTINCT listing_id), count(*) FILTER (WHERE linked_id IS NULL) FROM listing_links "
        "WHERE kind = 'linked_to'"
    ).fetchone()
    assert (named, unfound) == (3_798, 0)
    parents = {
        r["list_code"]
        for r in db.query(
            "SELECT p.list_code FROM listing_links k JOIN listings p ON p.id = k.linked_id "
            "WHERE k.listing_id = 'csl:SDN:18299' AND k.target_name = 'OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY'"
        )
    }
    assert parents == {"EL", "SSI"}

    not_stored = run_cli("rule", "85 FR 83799", "--db", str(db_path), check=True).stdout
    assert "the rule is not stored" in not_stored and "MEU: " in not_stored

    # Why listed: the real starts of the two denial orders two DPL rows cite (tests/files/README.md), replayed with
    # their text, give exactly those two parties a passage; none of the other 14,157 listings is named in them.
    for year, number in ((2018, "2018-25619"), (2016, "2016-27780")):
        for name in (f"denied_{year}.json", f"{number}.txt"):
            (tmp_path / name).write_bytes((FILES / "federal_register" / name).read_bytes())
        url = (tmp_path / f"denied_{year}.json").as_uri()
        run_cli("crawl", "federal_register", "--url", url, "--expect", "1:10", "--db", str(db_path), check=True)
    found = {
        (r["name"], r["document_number"]): r["passage"]
        for r in db.query("SELECT l.name, p.* FROM listing_passages p JOIN listings l ON l.id = p.listing_id")
    }
    assert set(found) == {("GREGORY ALLEN JUSTICE", "2018-25619"), ("LUIS ALBERTO NAJERA-CITALAN", "2016-27780")}
    assert found[("GREGORY ALLEN JUSTICE", "2018-25619")].startswith("On September 19, 2017, in the U.S. District")
