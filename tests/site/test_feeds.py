"""The digest's sections as Atom feeds (datasette-atom canned queries), one per filter: each entry says what
changed and links to the item's own page on the site."""

import asyncio
import xml.etree.ElementTree as ElementTree
from urllib.parse import urljoin, urlsplit

from markupsafe import escape
from sqlite_utils import Database

from pipeline.site import make_datasette

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(db_path, *paths):
    async def get_all():
        datasette = make_datasette(db_path)
        answers = []
        for path in paths:
            response = await datasette.client.get(path)
            assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
            answers.append(response.text)
        return answers

    return asyncio.run(get_all())


def entries(feed: str) -> list[dict]:
    root = ElementTree.fromstring(feed)
    return [
        {
            "id": entry.find(f"{ATOM}id").text,
            "title": entry.find(f"{ATOM}title").text,
            "content": entry.find(f"{ATOM}content").text,
            "link": entry.find(f"{ATOM}link").get("href"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_a_list_feed_holds_that_lists_changes_each_linking_to_the_listings_own_page(demo_db):
    path = "/chokepoint/listing_changes.atom?list_code=EL"
    [feed] = fetch(demo_db, path)
    found = entries(feed)
    expected = Database(demo_db).execute("SELECT count(*) FROM changes WHERE list_code = 'EL'").fetchone()[0]
    assert len(found) == expected == 42
    smic = next(
        e
        for e in found
        if e["title"] == "Added: Semiconductor Manufacturing International Corporation (SMIC) (EL, csl)"
    )
    assert smic["content"].splitlines()[:4] == [
        "Added: Semiconductor Manufacturing International Corporation (SMIC)",
        "List: Entity List (EL) - Bureau of Industry and Security [EL], from csl",
        "Country: CN",
        "Federal Register: 85 FR 83420",
    ]
    # A relative link resolves against the feed's own address (RFC 4287), as a feed reader resolves it.
    pages = fetch(demo_db, *(urlsplit(urljoin(f"http://localhost{path}", entry["link"])).path for entry in found))
    for entry, page in zip(found, pages):
        name = entry["title"].split(": ", 1)[1].rsplit(" (EL, csl)", 1)[0]
        assert "<h1" in page and str(escape(name)) in page, entry["link"]
    assert smic["link"] == "/party/csl:EL:736c2c6ac3e138ed746296f09c18d066c8fddcd0"


def test_document_feeds_by_industry_dimension_and_jurisdiction(demo_db):
    db = Database(demo_db)
    for query, where in (
        ("industry=semiconductors", "EXISTS (SELECT 1 FROM json_each(d.industries) WHERE value = 'semiconductors')"),
        ("dimension=partnerships", "EXISTS (SELECT 1 FROM json_each(d.dimensions) WHERE value = 'partnerships')"),
        ("jurisdiction=EU", "d.jurisdiction = 'EU'"),
    ):
        [feed] = fetch(demo_db, f"/chokepoint/document_changes.atom?{query}")
        expected = {
            f"chokepoint:change:{row[0]}"
            for row in db.execute(f"SELECT c.id FROM changes c JOIN documents d ON d.id = c.item_id WHERE {where}")
        }
        assert {e["id"] for e in entries(feed)} == expected and expected, query
    [feed] = fetch(demo_db, "/chokepoint/document_changes.atom")
    inspection = [e for e in entries(feed) if e["title"].startswith("[Public inspection] ")]
    assert (
        len(inspection)
        == db.execute("SELECT count(*) FROM documents WHERE source = 'federal_register_public_inspection'").fetchone()[
            0
        ]
    )
    assert all("On public inspection: not yet published" in e["content"] for e in inspection)
    chips = next(e for e in entries(feed) if e["title"] == "Preventing the Improper Use of CHIPS Act Funding")
    assert chips["link"] == "/measure/chips_nist:2023-20471"
    assert "US · NIST CHIPS Program Office · Rule · 2023-09-25 · 88 FR 65600" in chips["content"]


def test_a_feed_with_nothing_in_it_says_so_and_failed_crawls_have_a_feed(demo_db, tmp_path):
    [empty, failures] = fetch(
        demo_db, "/chokepoint/listing_changes.atom?list_code=NOPE", "/chokepoint/failed_crawls.atom"
    )
    [placeholder] = entries(empty)
    assert placeholder["title"] == "Nothing in this feed yet"
    assert placeholder["content"].startswith(
        "No listing change matches this feed yet. Last crawl: 2026-11-28T12:00:00Z."
    )
    assert placeholder["link"] == "/chokepoint/source_health"
    assert [e["title"] for e in entries(failures)] == ["Nothing in this feed yet"]
