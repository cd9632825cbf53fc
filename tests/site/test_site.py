"""The published site: Datasette on a crawled database, with its metadata, search and facets."""

import asyncio
import json

from lxml import etree
from sqlite_utils import Database

from pipeline.site import METADATA_FILE, make_datasette
from pipeline.store.search.glossary import english_terms
from tests.kit.cli import run_cli
from tests.kit.files import FILES

ATOM = "{http://www.w3.org/2005/Atom}"


def get_json(db_path, path):
    async def fetch():
        datasette = make_datasette(db_path)
        response = await datasette.client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
        return response.json()

    return asyncio.run(fetch())


def test_full_text_search_finds_documents(demo_db):
    data = get_json(demo_db, "/chokepoint/documents.json?_search=export&_shape=objects")
    titles = [row["title"] for row in data["rows"]]
    assert titles, "no document matched 'export'"
    assert (
        "Notice of Reestablishment of the President's Export Council Subcommittee on Export Administration"
        " and Solicitation of Nominations for Membership"
    ) in titles
    for row in data["rows"]:  # in the title or abstract, or among the English words of a Chinese title
        assert "export" in (row["title"] + (row["abstract"] or "") + english_terms(row["title"])).lower()
    assert "商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告" in titles


def test_full_text_search_finds_listings(demo_db):
    data = get_json(demo_db, "/chokepoint/listings.json?_search=huawei&_shape=objects")
    names = {row["name"] for row in data["rows"]}
    assert "HUAWEI TECHNOLOGIES CO., LTD." in names
    assert "Huawei Technologies Co., Ltd. (Huawei)" in names
    assert (
        len(data["rows"])
        == Database(demo_db)
        .execute("SELECT count(*) FROM listings WHERE name LIKE '%huawei%' OR alt_names LIKE '%huawei%'")
        .fetchone()[0]
    )


def test_search_reaches_aliases_and_addresses(demo_db):
    by_alias = get_json(demo_db, "/chokepoint/listings.json?_search=HIKVISION&_shape=objects")
    assert any("HIKVISION" in row["alt_names"] for row in by_alias["rows"])
    by_address = get_json(demo_db, "/chokepoint/listings.json?_search=Qianmo&_shape=objects")
    assert by_address["rows"]


def test_default_facets_on_listings_and_documents(demo_db):
    listings = get_json(demo_db, "/chokepoint/listings.json?_size=0")
    facets = listings["facet_results"]
    facets = facets.get("results", facets)  # Datasette 0.65 nests them under "results"
    assert {"list_code", "source", "country", "entity_type"} == set(facets)
    el = [f for f in facets["list_code"]["results"] if f["value"] == "EL"]
    assert el and el[0]["count"] == 42
    documents = get_json(demo_db, "/chokepoint/documents.json?_size=0")
    doc_facets = documents["facet_results"]
    doc_facets = doc_facets.get("results", doc_facets)
    assert {"jurisdiction", "type", "publisher", "source"} == set(doc_facets)


def test_metadata_describes_every_published_table(demo_db):
    metadata = json.loads(METADATA_FILE.read_text())["databases"]["chokepoint"]["tables"]
    fts = ("listings_search", "documents_search")
    tables = {t for t in Database(demo_db).table_names() if not t.startswith(("_", "sqlite_", *fts))}
    views = set(Database(demo_db).view_names())
    assert tables | views <= set(metadata)
    for name in ("documents", "listings", "changes", "crawl_runs"):
        columns = {c.name for c in Database(demo_db)[name].columns}
        assert columns - {"id"} <= set(metadata[name]["columns"]), f"undocumented columns in {name}"


def test_changes_and_health_are_published(demo_db):
    changes = get_json(demo_db, "/chokepoint/changes.json?kind=added&_size=0")
    db = Database(demo_db)
    assert changes["filtered_table_rows_count"] == db["listings"].count + db["documents"].count
    health = get_json(demo_db, "/chokepoint/source_health.json?_shape=objects")
    by_spider = {row["spider"]: row for row in health["rows"]}
    assert by_spider["csl"]["status"] == "ok" and by_spider["csl"]["item_count"] == 69
    assert by_spider["federal_register"]["item_count"] == 17


def test_any_database_file_is_published_as_chokepoint(tmp_path):
    db_path = tmp_path / "tracker.db"
    run_cli(
        "crawl",
        "federal_register",
        "--url",
        (FILES / "federal_register" / "documents_2024-01.json").as_uri(),
        "--db",
        str(db_path),
        check=True,
    )
    data = get_json(db_path, "/chokepoint/documents.json?_search=sanctions&_shape=objects")
    assert data["rows"]


def test_feeds_of_new_documents_and_listing_changes(demo_db):
    async def fetch(path):
        response = await make_datasette(demo_db).client.get(path)
        assert response.status_code == 200, response.text[:300]
        return response.text

    documents = asyncio.run(fetch("/chokepoint/new_documents.atom"))
    assert "<id>chokepoint:federal_register:2024-00273</id>" in documents
    assert "<title>Notice of OFAC Sanctions Actions</title>" in documents
    # Each entry links to the item's own page on the site (which links the source), as the change feeds do.
    links = [link.get("href") for link in etree.fromstring(documents.encode()).iter(f"{ATOM}link")]
    assert "/measure/federal_register:2024-00273" in links
    assert not [href for href in links if "federalregister.gov" in href], links
    changes = asyncio.run(fetch("/chokepoint/listing_changes.atom"))
    assert "Added: Semiconductor Manufacturing International Corporation (SMIC) (EL, csl)" in changes
