"""Public inspection against the real recorded Federal Register page: every filing links to its publication.

No public-inspection response is recorded offline; the repository's issues
hold real January 2024 filings, and the recorded documents search page of
January 2024 holds their published versions.
"""

import sqlite3

import pytest

from tests.kit.cli import run_cli
from tests.kit.files import FILES, ROOT

pytestmark = pytest.mark.acceptance

CORPUS = ROOT.parent / "shared" / "corpus"
PAGE = CORPUS / "federal_register" / "fr_api_documents_2024_page1_per_page1000.json"
ISSUES = FILES / "federal_register_public_inspection"


def test_every_filing_links_to_the_recorded_published_document(tmp_path):
    db_path = tmp_path / "chokepoint.db"
    run_cli("crawl", "federal_register", "--url", PAGE.as_uri(), "--db", str(db_path), check=True)
    run_cli("crawl", "federal_register_public_inspection", "--url", ISSUES.as_uri(), "--db", str(db_path), check=True)
    again = run_cli(
        "crawl", "federal_register_public_inspection", "--url", ISSUES.as_uri(), "--db", str(db_path), check=True
    )
    assert "0 added, 0 modified, 0 removed, 0 restored, 8 unchanged" in again.stdout
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT document_number, status, scheduled_publication_date, publication_date, citation "
            "FROM public_inspection_links ORDER BY document_number"
        ).fetchall()
    assert len(rows) == 8
    for number, status, scheduled, published, citation in rows:
        assert status == "published", number
        assert scheduled == published, number
        assert citation.startswith("89 FR "), number
