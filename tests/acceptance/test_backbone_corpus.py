"""The backbone on the real recorded CSL and Federal Register files."""

from sqlite_utils import Database

from pipeline.store import search
from tests.kit.cli import run_cli

CSL_2022 = "csl/csl_consolidated_2022-05_full.csv"
CSL_2023_SUBSET = "csl/csl_consolidated_2023-11_subset.csv"
FR_PAGE = "federal_register/fr_api_documents_2024_page1_per_page1000.json"


def test_full_csl_snapshot(corpus, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    first = run_cli("crawl", "csl", "--url", (corpus / CSL_2022).as_uri(), "--db", str(db_path))
    assert first.returncode == 0, first.stderr
    assert "14,160 items (1 duplicate merged): 14,159 added" in first.stdout
    db = Database(db_path)
    assert db["listings"].count == 14_159
    assert db.execute("SELECT count(*) FROM listings WHERE list_code = 'EL'").fetchone()[0] == 2_001
    # the same SDN entry also on the CAPTA list is two listings
    assert db.execute("SELECT count(*) FROM listings WHERE entry_id = '15268'").fetchone()[0] == 1
    changes_before = db["changes"].count
    second = run_cli("crawl", "csl", "--url", (corpus / CSL_2022).as_uri(), "--db", str(db_path))
    assert "0 added, 0 modified, 0 removed, 0 restored, 14,159 unchanged" in second.stdout
    assert db["changes"].count == changes_before
    huawei = [r["name"] for r in search.run(db, search.PARTIES, "huawei", limit=200)]
    assert "HUAWEI TECHNOLOGIES CO., LTD." in huawei


def test_a_real_partial_file_cannot_delist_the_full_snapshot(corpus, tmp_path):
    """The recorded 2023 file is a subset that also ends mid-field (cut inside a quoted address).

    Taken as a snapshot it would delist thousands of parties; it must fail as truncated and change nothing.
    """
    db_path = tmp_path / "chokepoint.db"
    run_cli("crawl", "csl", "--url", (corpus / CSL_2022).as_uri(), "--db", str(db_path), check=True)
    result = run_cli("crawl", "csl", "--url", (corpus / CSL_2023_SUBSET).as_uri(), "--db", str(db_path))
    assert result.returncode == 1
    assert (
        "csl: source truncated: csl_consolidated_2023-11_subset.csv line 4233: unexpected end of data" in result.stderr
    )
    db = Database(db_path)
    assert db.execute("SELECT count(*) FROM listings WHERE removed_on IS NOT NULL").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM changes WHERE run_id = 2").fetchone()[0] == 0


def test_federal_register_page(corpus, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    first = run_cli("crawl", "federal_register", "--url", (corpus / FR_PAGE).as_uri(), "--db", str(db_path))
    assert "federal_register: ok, 1,000 items: 1,000 added" in first.stdout, first.stderr
    assert "not following next_page_url" in first.stderr  # the recorded page links to the live API
    second = run_cli("crawl", "federal_register", "--url", (corpus / FR_PAGE).as_uri(), "--db", str(db_path))
    assert "0 added, 0 modified, 0 removed, 0 restored, 1,000 unchanged" in second.stdout
    db = Database(db_path)
    assert db["documents"].count == 1_000
    bis = db.execute(
        "SELECT count(*) FROM documents WHERE agency_slugs LIKE '%industry-and-security-bureau%'"
    ).fetchone()
    assert bis[0] == 4
    assert [r["document_number"] for r in search.run(db, search.MEASURES, "Russian Harmful Foreign Activities")][:1]
