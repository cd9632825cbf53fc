"""ofac_sdn on the real legacy SDN files of July 2021 (sdn.csv, add.csv, alt.csv, sdn_comments.csv)."""

import pytest
from sqlite_utils import Database

from tests.kit.crawls import assert_stores_then_changes_nothing, crawl, list_counts, runs

pytestmark = pytest.mark.acceptance

SDN_DIR = "ofac/sdn_csv_2021-07"


def test_the_2021_sdn_list_is_8976_entries_and_a_second_run_changes_nothing(corpus, db_path):
    rows = assert_stores_then_changes_nothing("ofac_sdn", (corpus / SDN_DIR / "sdn.csv").as_uri(), db_path, 8_976)
    assert list_counts(db_path) == {"SDN": 8_976}
    types = {}
    for row in rows:
        types[row["entity_type"]] = types.get(row["entity_type"], 0) + 1
    assert types == {"Individual": 4_620, "Entity": 3_673, "Vessel": 406, "Aircraft": 277}


def test_the_directory_url_reads_the_same_files(corpus, db_path):
    assert crawl("ofac_sdn", (corpus / SDN_DIR / "sdn.csv").as_uri(), db_path).returncode == 0
    second = crawl("ofac_sdn", (corpus / SDN_DIR).as_uri() + "/", db_path)
    assert second.returncode == 0, second.stderr
    last = runs(db_path)[-1]
    assert (last["items_seen"], last["added"], last["modified"], last["removed"]) == (8_976, 0, 0, 0)


def test_remarks_become_fields(corpus, db_path):
    assert crawl("ofac_sdn", (corpus / SDN_DIR / "sdn.csv").as_uri(), db_path).returncode == 0
    db = Database(db_path)
    zawahiri = next(db.query("SELECT * FROM listings WHERE id = 'ofac_sdn:SDN:2676'"))
    assert zawahiri["dates_of_birth"] == '["1951-06-19"]'
    assert "Passport 1084010 (Egypt)" in zawahiri["ids"]
    with_birth_dates = db.execute("SELECT count(*) FROM listings WHERE dates_of_birth != '[]'").fetchone()[0]
    assert with_birth_dates > 4_000  # nearly every individual
