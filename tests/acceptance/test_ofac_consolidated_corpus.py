"""ofac_consolidated on the real enhanced export of January 2025 (XML and ZIP) and the legacy CSV of December 2025."""

import pytest

from tests.kit.crawls import assert_stores_then_changes_nothing, crawl, list_counts, runs, stored

pytestmark = pytest.mark.acceptance

XML = "ofac/CONS_ENHANCED_2025-01-14.XML"
ZIP = "ofac/CONS_ENHANCED_2025-01-14.ZIP"
LEGACY = "ofac/cons_csv_2025-12/cons_prim.csv"
# 443 entities; three are on both the SSI and the menu-based list, so 446 listings.
XML_LISTS = {"SSI": 286, "NS-PLC": 78, "CMIC": 68, "NS-MBS": 12, "CAPTA": 1, "FSE": 1}


def test_the_enhanced_export_has_443_entities_and_a_second_run_changes_nothing(corpus, db_path):
    rows = assert_stores_then_changes_nothing("ofac_consolidated", (corpus / XML).as_uri(), db_path, 446)
    assert len({row["entry_id"] for row in rows}) == 443
    assert list_counts(db_path) == XML_LISTS


def test_the_zip_is_the_same_export(corpus, db_path):
    assert crawl("ofac_consolidated", (corpus / XML).as_uri(), db_path).returncode == 0
    result = crawl("ofac_consolidated", (corpus / ZIP).as_uri(), db_path)
    assert result.returncode == 0, result.stderr
    last = runs(db_path)[-1]
    assert (last["items_seen"], last["added"], last["modified"], last["removed"]) == (446, 0, 0, 0)


def test_the_legacy_files_have_442_entries_and_a_second_run_changes_nothing(corpus, db_path):
    rows = assert_stores_then_changes_nothing("ofac_consolidated", (corpus / LEGACY).as_uri(), db_path, 442)
    assert len({row["entry_id"] for row in rows}) == 442
    assert list_counts(db_path) == {"SSI": 286, "NS-PLC": 78, "CMIC": 68, "NS-MBS": 9, "CAPTA": 1}


def test_both_formats_key_entries_by_the_same_entry_number(corpus, tmp_path):
    xml_db, csv_db = tmp_path / "xml.db", tmp_path / "csv.db"
    assert crawl("ofac_consolidated", (corpus / XML).as_uri(), xml_db).returncode == 0
    assert crawl("ofac_consolidated", (corpus / LEGACY).as_uri(), csv_db).returncode == 0
    xml_ids = {row["entry_id"] for row in stored(xml_db, "ofac_consolidated")}
    csv_ids = {row["entry_id"] for row in stored(csv_db, "ofac_consolidated")}
    assert len(csv_ids & xml_ids) == 442  # eleven months apart: one entry left the list
