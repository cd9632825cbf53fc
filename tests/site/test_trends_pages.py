"""Early warning on the site, in process: /trends, the surge feed, the front page's surge block and a
measure's industry chart, on a real database built through the store's code with the October 2023 wave
of BIS rules (two on 2023-10-25, after a year with one), and on the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from sqlite_utils import Database

from pipeline.store import ensure_schema
from pipeline.store.registry import replace_sources
from tests.site.conftest import fetch, get
from tests.site.test_pages import section, section_html
from tests.trends.conftest import SOURCES, crawl, document, listing, tag

ATOM = "{http://www.w3.org/2005/Atom}"
CRAWLED = "2023-10-31T06:00:00Z"
WAVE = (
    (
        "2022-21658",
        "2022-10-13",
        "Implementation of Additional Export Controls: Certain Advanced Computing and "
        "Semiconductor Manufacturing Items",
    ),
    (
        "2023-23055",
        "2023-10-25",
        "Implementation of Additional Export Controls: Certain Advanced Computing Items; "
        "Supercomputer and Semiconductor End Use",
    ),
    ("2023-23049", "2023-10-25", "Export Controls on Semiconductor Manufacturing Items"),
)
REASON = "semiconductors, US: 2 new measures in the week of 2023-10-23 against 0.0 a week over the last six months"


@pytest.fixture(scope="module")
def wave_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("wave") / "chokepoint.db"
    db = Database(path)
    ensure_schema(db)
    replace_sources(db, SOURCES)
    crawl(db, "federal_register", "documents", [document(n, day, title) for n, day, title in WAVE], now=CRAWLED)
    crawl(
        db,
        "csl",
        "listings",
        [listing("a1", "Semiconductor Manufacturing International Corporation", "2020-12-18")],
        now=CRAWLED,
    )
    for number, _, _ in WAVE:
        tag(db, f"federal_register:{number}", "semiconductors")
    db.conn.close()
    return path


@pytest.fixture
def after_the_wave(monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_NOW", "2023-11-01T06:00:00Z")


def test_trends_lists_the_surge_with_its_reason_and_charts_it(wave_db, after_the_wave):
    html = get(wave_db, "/trends").text
    surges = section(html, "surges")
    assert REASON in surges
    assert "Export Controls on Semiconductor Manufacturing Items" in surges
    assert 'href="/measure/federal_register:2023-23049"' in section_html(html, "surges")
    chart = section_html(html, "chart")
    assert chart.count("<svg") == 1 and "<script" not in chart.lower()
    assert 'aria-label="semiconductors: 3 new measures"' in chart
    # October 2023 holds the surge week: its bar is drawn red, October 2022's is not.
    assert "<title>2023-10: 2 new measures (surge)</title>" in chart
    assert "<title>2022-10: 1 new measures</title>" in chart
    assert 'fill="#c0392b"' in chart
    assert REASON in section(html, "window-surges")
    assert "http://" not in chart.replace("http://www.w3.org/2000/svg", "")  # nothing loaded from elsewhere
    counted = section(html, "counted")
    assert "3 new measures and 1 new listings from 2020-11-01 to 2023-11-01" in counted
    assert "counts under each" in counted
    assert 'href="/trends"' in html.split("<main", 1)[0] or 'href="/trends"' in html  # in the navigation


def test_trends_by_jurisdiction_per_week_and_a_window(wave_db, after_the_wave):
    html = get(wave_db, "/trends?by=jurisdiction&period=week&since=2023-09-01&until=2023-10-31").text
    chart = section_html(html, "chart")
    assert 'aria-label="US: 2 new measures"' in chart
    assert "<title>2023-W43: 2 new measures (surge)</title>" in chart
    assert "from 2023-08-28 to 2023-10-31" in section(html, "counted")  # from the Monday of the week holding 09-01


def test_trends_by_list_counts_listings_and_says_measures_are_left_out(wave_db, after_the_wave):
    html = get(wave_db, "/trends?by=list&since=2020").text
    assert 'aria-label="csl:EL: 1 new listings"' in section_html(html, "chart")
    assert "3 new measures are on no list, so this view leaves them out" in section(html, "counted")


def test_a_bad_filter_is_said_and_the_default_shown(wave_db, after_the_wave):
    html = get(wave_db, "/trends?by=party&since=yesterday").text
    errors = section(html, "filter-errors")
    assert "by='party' is not one of industry, dimension, jurisdiction, list" in errors
    assert "since: 'yesterday' is not a date" in errors
    assert "<svg" in section_html(html, "chart")


def test_weeks_without_enough_history_are_untested_not_quiet(tmp_path, monkeypatch):
    """The wave's two rules alone: the source's history begins that week, so it cannot be judged."""
    monkeypatch.setenv("CHOKEPOINT_NOW", "2023-11-01T06:00:00Z")
    path = tmp_path / "chokepoint.db"
    db = Database(path)
    ensure_schema(db)
    replace_sources(db, SOURCES)
    crawl(db, "federal_register", "documents", [document(n, day, t) for n, day, t in WAVE[1:]], now=CRAWLED)
    for number, _, _ in WAVE[1:]:
        tag(db, f"federal_register:{number}", "semiconductors")
    db.conn.close()
    trends, front = fetch(path, "/trends", "/")
    assert "No week since" in section(trends.text, "surges")
    untested = section(trends.text, "untested")
    assert "semiconductors, US: 2 in the week of 2023-10-23, with only 0 weeks of history stored before it" in untested
    block = section(front.text, "surges")
    assert "not every week could be judged" in block and "semiconductors, US (week of 2023-10-23)" in block


def test_a_never_crawled_database_has_nothing_to_count(tmp_path):
    path = tmp_path / "chokepoint.db"
    db = Database(path)
    ensure_schema(db)
    replace_sources(db, SOURCES)
    db.conn.close()
    html = get(path, "/trends").text
    assert "Nothing to count: no source has ever been crawled successfully" in section(html, "nothing")
    assert 'id="surges"' not in get(path, "/").text


def test_the_front_page_puts_recent_surges_first(wave_db, after_the_wave):
    html = get(wave_db, "/").text
    block = section(html, "surges")
    assert "Surges in the last 4 weeks" in block and REASON in block
    assert html.index('id="surges"') < html.index('class="search-box"')
    assert 'href="/trends"' in section_html(html, "surges")
    assert 'href="/trends/surges.atom"' in section_html(html, "feeds")


def test_no_surge_block_once_the_wave_is_past(wave_db, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_NOW", "2024-01-15T06:00:00Z")
    assert 'id="surges"' not in get(wave_db, "/").text


def test_the_surge_feed_is_atom_with_stable_entries(wave_db, after_the_wave):
    first, again = fetch(wave_db, "/trends/surges.atom", "/trends/surges.atom")
    assert first.status == 200 and first.headers["content-type"].startswith("application/atom+xml")
    assert first.text == again.text  # the same database gives the same feed
    feed = etree.fromstring(first.text.encode())
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}id") == "chokepoint:surges"
    assert feed.findtext(f"{ATOM}updated") == "2023-10-31T06:00:00+00:00"  # the last successful crawl
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == "chokepoint:surge:semiconductors%2C%20US:2023-10-23"
    assert entry.findtext(f"{ATOM}title") == "Surge: semiconductors, US, week of 2023-10-23"
    assert entry.findtext(f"{ATOM}updated") == "2023-10-25T00:00:00+00:00"
    assert entry.findtext(f"{ATOM}summary") == REASON
    link = entry.find(f"{ATOM}link").get("href")
    assert link.startswith("http://localhost/trends?by=industry&period=week&since=2023-04-24")
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    body = etree.fromstring(f"<div>{content.text}</div>")
    assert [a.get("href") for a in body.iter("a")] == [
        "http://localhost/measure/federal_register:2023-23049",
        "http://localhost/measure/federal_register:2023-23055",
    ]
    assert REASON in content.text


def test_the_measure_page_charts_its_industry(wave_db, after_the_wave):
    html = get(wave_db, "/measure/federal_register:2023-23049").text
    chart = section_html(html, "industry-trend")
    assert chart.count("<svg") == 1
    assert "<title>2023-10: 2 new measures (surge)</title>" in chart
    assert "2022-10-01 to 2023-11-01" in section(html, "industry-trend")


def test_the_demo_trends_page_and_feed(demo_db):
    trends, feed, front = fetch(demo_db, "/trends?since=2015", "/trends/surges.atom", "/")
    assert trends.status == 200 and "<svg" in section_html(trends.text, "chart")
    counted = section(trends.text, "counted")
    assert "Not counted: 7 copy/copies of a document already counted" in counted
    assert "Not counted: 1 document(s) with no readable publication date" in counted
    assert etree.fromstring(feed.text.encode()).tag == f"{ATOM}feed"
    assert 'href="/trends"' in front.text
