"""Every canned query of datasette_metadata.json: a title, a description, and the rows it should find."""

import json
from urllib.parse import quote

import pytest

from pipeline.site import METADATA_FILE
from tests.site.conftest import SUGON, ZTE_PARSIAN, get

QUERIES = json.loads(METADATA_FILE.read_text())["databases"]["chokepoint"]["queries"]
RULE = "Addition of Entities to the Entity List and Revision of an Entry on the Entity List"

# query name -> (database fixture, parameters, a column, values that column must hold, values it must not)
EXPECTED = {
    "new_documents": ("demo_db", "", "atom_title", {"Notice of OFAC Sanctions Actions", RULE}, set()),
    "listing_changes": ("demo_db", "", "atom_title", {"Added: Sugon (EL, csl)"}, set()),
    "document_changes": (
        "demo_db",
        "industry=semiconductors",
        "atom_title",
        {"Preventing the Improper Use of CHIPS Act Funding"},
        {"Notice of OFAC Sanctions Actions"},
    ),
    # The demo's crawls all succeeded: the feed says so in its one entry, never an empty feed.
    "failed_crawls": ("demo_db", "", "atom_title", {"Nothing in this feed yet"}, {"csl: crawl failed"}),
    "needs_review": ("demo_db", "", "item_type", {"document", "listing"}, set()),
    "document_changes_of_every_source": (
        "demo_db",
        "",
        "atom_title",
        {"商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告", "Notice of OFAC Sanctions Actions"},
        set(),
    ),
    "new_listings": ("demo_db", "", "name", {"Sugon", "Lockheed Martin Corporation"}, set()),
    "new_listings_of_one_list": (
        "demo_db",
        "list=UEL",
        "name",
        {"Lockheed Martin Corporation", "Raytheon Missiles & Defense"},
        {"Sugon"},
    ),
    "removed_listings": ("history_db", "", "id", {ZTE_PARSIAN}, {SUGON}),
    "measures_this_month": ("demo_db", "", "tag", {"key_inputs", "critical_minerals", "semiconductors"}, set()),
    "rule_listings": (
        "demo_db",
        "rule=84 FR 29371",
        "name",
        {"Sugon"},
        {"Semiconductor Manufacturing International Corporation (SMIC)"},
    ),
    "rule_listings_by_page": ("demo_db", "rule=84 FR 29373", "rule", {RULE}, set()),
    "rule_listings_by_number": ("demo_db", "rule=2019-13245", "name", {"Sugon"}, set()),
    "rule_listings_not_stored": ("demo_db", "rule=85 FR 83420", "rule", {"(rule not stored)"}, {RULE}),
    "rule_listings_of_mofcom": (
        "demo_db",
        "rule=MOFCOM-UEL-2023-1",
        "name",
        {"Lockheed Martin Corporation", "Raytheon Missiles & Defense"},
        set(),
    ),
    "party_history": ("history_db", "party=Sugon", "kind", {"added", "modified"}, {"removed"}),
    "party_history_by_id": ("history_db", f"party={SUGON}", "kind", {"added", "modified"}, set()),
    "on_public_inspection": ("demo_db", "", "document_number", {"2024-00359"}, {"2024-00273"}),
    # Filed 8 or 9 January 2024 at 08:45 (-05:00), published the next day; 2024-00359 is not published.
    "lead_times": ("demo_db", "", "hours", {15.3}, set()),
    # Sugon came with the second crawl (2026-11-29 06:00 UTC); its rule was published 2019-06-24 (04:00 UTC
    # in Washington): 2,715 days and 2 hours. Listings there from the first crawl give no lead time.
    "list_lead_times": ("appeared_db", "", "hours", {65162.0}, set()),
    "list_lead_times_of_first_crawl": ("history_db", "", "name", set(), {"Sugon"}),  # there from the first crawl
    "lead_times_by_document": ("demo_db", "", "document_number", {"2024-00273", "2024-00190"}, {"2024-00359"}),
}


def test_every_canned_query_has_a_title_a_description_and_a_test():
    tested = {name.split("_of_")[0].split("_by_")[0].removesuffix("_not_stored") for name in EXPECTED}
    for name, query in QUERIES.items():
        assert query.get("title") and query.get("description"), name
        assert name in tested, f"canned query {name} has no expectation in EXPECTED"


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_a_canned_query_finds_what_it_says(case, request):
    fixture, params, column, present, absent = EXPECTED[case]
    name = case if case in QUERIES else next(q for q in QUERIES if case.startswith(q))
    db_path = request.getfixturevalue(fixture)
    query = "&".join(f"{key}={quote(value)}" for key, value in (p.split("=", 1) for p in params.split("&") if p))
    rows = get(db_path, f"/chokepoint/{name}.json?_shape=objects&{query}").json()["rows"]
    values = {row[column] for row in rows}
    assert present <= values, f"{case}: {present - values} missing from {sorted(values)[:20]}"
    assert not (absent & values), f"{case}: {absent & values} should not be there"


def test_the_feeds_answer_atom(demo_db):
    feed = get(demo_db, "/chokepoint/new_documents.atom").text
    assert "<title>Notice of OFAC Sanctions Actions</title>" in feed
