"""The CHIPS filter against the real recorded Federal Register page: NIST's other notices stay out."""

import pytest

from tests.kit.cli import run_cli
from tests.kit.files import ROOT

pytestmark = pytest.mark.acceptance

PAGE = ROOT.parent / "shared" / "corpus" / "federal_register" / "fr_api_documents_2024_page1_per_page1000.json"


def test_the_recorded_page_has_nist_notices_but_no_chips_document(tmp_path):
    """The page holds five NIST notices (advisory committees, information collections) and no CHIPS rule."""
    db_path = tmp_path / "chokepoint.db"
    for _ in range(2):
        result = run_cli(
            "crawl", "chips_nist", "--url", PAGE.as_uri(), "--db", str(db_path), "--expect", "0:0", check=True
        )
        assert "chips_nist: ok, 0 items" in result.stdout
    strict = run_cli("crawl", "chips_nist", "--url", PAGE.as_uri(), "--db", str(db_path))
    assert strict.returncode == 1  # below the declared minimum: a real crawl also reads the news index
