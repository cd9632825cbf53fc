"""un_consolidated on the real UN Security Council consolidated list of 2026-02-27."""

import pytest

from tests.kit.crawls import assert_stores_then_changes_nothing, list_counts, runs

pytestmark = pytest.mark.acceptance

UN = "un/UN_consolidated_2026-02-27.xml"


def test_730_individuals_and_273_entities_and_a_second_run_changes_nothing(corpus, db_path):
    rows = assert_stores_then_changes_nothing("un_consolidated", (corpus / UN).as_uri(), db_path, 1_003)
    types = [row["entity_type"] for row in rows]
    assert (types.count("Individual"), types.count("Entity")) == (730, 273)
    assert list_counts(db_path)["UN-Al-Qaida"] == 341
    assert runs(db_path)[0]["warnings"] in (None, "[]")
