"""The timeline on the site, in process: `/timeline` for a party, an industry or a dimension, its JSON,
its errors, and the links to it from a party's page and from the trends page, on the demo and on a
database with a removal."""

from __future__ import annotations

from lxml import etree
from sqlite_utils import Database

from pipeline.linkage import timeline
from tests.site.conftest import SUGON, SUGON_RULE, ZTE_PARSIAN, fetch, get
from tests.site.test_pages import section, section_html

GALLIUM = "mofcom:MOFCOM-2023-23"
HUAWEI_NINGBO = "csl:EL:04bfffe1d269284a5a7b0ea94f27d34c786d6888"
KERMAN = "bis_denied:DPL:h07201f5bf01138b5"  # GIE KERMAN AVIATION


def svg(html: str, element_id: str):
    chart = section_html(html, element_id)
    start = chart.index("<svg")
    return etree.fromstring(chart[start : chart.index("</svg>") + len("</svg>")])


def test_a_dimension_s_timeline_has_one_lane_and_one_column_per_jurisdiction(demo_db):
    html = get(demo_db, "/timeline?dimension=key_inputs&since=2022").text
    chart = svg(html, "lanes")
    assert [g.get("aria-label") for g in chart.iter("{http://www.w3.org/2000/svg}g")] == [
        "US: 4 listed, 2 measures",
        "CN: 2 measures",
    ]
    assert f'href="/measure/{GALLIUM}"' in section_html(html, "lanes")
    entries = section_html(html, "entries")
    assert '<th scope="col">US</th><th scope="col">CN</th>' in entries
    # The gallium controls sit in the CN column: the third cell of their row.
    rows = etree.fromstring(
        f"<table>{entries[entries.index('<tbody>') : entries.index('</tbody>') + 8]}</table>", etree.HTMLParser()
    )
    gallium = [tr for tr in rows.iter("tr") if GALLIUM in etree.tostring(tr, encoding="unicode")][0]
    cells = gallium.findall("td")
    assert cells[0].text == "2023-07-03" and not cells[1].getchildren() and "Measure" in "".join(cells[2].itertext())
    assert "9 parties added to Denied Persons List (DPL)" in section(html, "entries")
    checked = section(html, "checked")
    assert "32 stored document(s), 0 of them not tagged yet" in checked
    assert "Not placed: 18 entries before 2022-01-01." in checked
    assert "<script" not in section_html(html, "lanes").lower() + entries.lower()


def test_the_timeline_as_json_is_the_command_s(demo_db):
    page = get(demo_db, "/timeline.json?industry=telecom_ict")
    assert page.json() == timeline.for_label(Database(demo_db), "industry", "telecom_ict").as_json()
    html = get(demo_db, "/timeline?industry=telecom_ict").text
    assert 'href="/timeline.json?industry=telecom_ict"' in html


def test_an_empty_timeline_says_what_was_checked(demo_db):
    html = get(demo_db, "/timeline?industry=quantum").text
    assert section(html, "nothing").strip().startswith("No measure or listing action for industry quantum. Checked:")
    assert "<svg" not in html
    assert get(demo_db, "/timeline.json?industry=quantum").json()["nothing"].startswith("No measure")


def test_a_bad_timeline_address_is_a_page_with_one_line(demo_db):
    pages = fetch(
        demo_db,
        "/timeline?industry=critical_mineral",
        "/timeline?party=csl:EL:nope",
        "/timeline",
        "/timeline?industry=energy&dimension=governance",
        "/timeline?industry=energy&jurisdiction=XX",
        "/timeline.json?party=csl:EL:nope",
    )
    assert [page.status for page in pages] == [404, 404, 400, 400, 404, 404]
    assert "unknown industry 'critical_mineral'" in section(pages[0].text, "timeline-error")
    assert "no stored listing has the id 'csl:EL:nope'" in section(pages[1].text, "timeline-error")
    assert "Ask for one timeline" in section(pages[2].text, "timeline-error")
    assert "no stored source or document is from jurisdiction XX" in section(pages[4].text, "timeline-error")
    assert pages[5].json() == {"error": "no stored listing has the id 'csl:EL:nope' (ids look like csl:EL:<hash>)"}
    assert not any("Traceback" in page.text for page in pages)


def test_the_party_page_draws_its_timeline_and_links_the_whole_one(demo_db):
    html = get(demo_db, f"/party/{SUGON}").text
    chart = svg(html, "timeline")
    marks = [node.get("class") for node in chart.iter() if (node.get("class") or "").startswith("mark")]
    assert marks == ["mark mark-listed", "mark mark-measure"]
    assert f'href="/measure/{SUGON_RULE}"' in section_html(html, "timeline")
    assert f'href="/timeline?party={SUGON.replace(":", "%3A")}"' in section_html(html, "timeline")
    assert "2 entries in US" in section(html, "timeline")
    whole = get(demo_db, f"/timeline?party={SUGON}").text
    assert "Addition of Entities to the Entity List and Revision of an Entry on the Entity List" in section(
        whole, "entries"
    )


def test_a_party_s_timeline_names_its_listed_parents(demo_db):
    entries = section(get(demo_db, f"/timeline?party={HUAWEI_NINGBO}").text, "entries")
    assert "parent: Huawei Technologies Co., Ltd. (Huawei)" in entries
    assert "84 FR 22961 (not stored)" in entries


def test_a_party_page_charts_its_industries_around_its_listing(demo_db):
    html = get(demo_db, f"/party/{KERMAN}").text  # listed on the Denied Persons List on 2023-10-31
    chart = svg(html, "industry-trend")
    panels = [g.get("aria-label") for g in chart.iter("{http://www.w3.org/2000/svg}g")]
    assert panels == ["aerospace_defense: 2 new measures"]
    assert "2022-10-01 to 2024-10-30" in section(html, "industry-trend")
    assert '<section id="industry-trend">' not in get(demo_db, f"/party/{SUGON}").text  # no measure in its year


def test_a_removal_is_on_the_party_s_timeline(history_db):
    html = get(history_db, f"/timeline?party={ZTE_PARSIAN}").text
    entries = section(html, "entries")
    assert entries.index("2016-03-08 Listed ZTE Parsian") < entries.index("2026-11-29 Removed ZTE Parsian")
    marks = [node.get("class") for node in svg(html, "lanes").iter() if (node.get("class") or "").startswith("mark")]
    assert marks == ["mark mark-listed", "mark mark-removed"]


def test_the_trends_page_links_each_industry_s_timeline(demo_db):
    html = get(demo_db, "/trends?by=industry&since=2019").text
    links = section_html(html, "timelines")
    assert 'href="/timeline?industry=telecom_ict"' in links or 'href="/timeline?industry=cross_sector"' in links
    assert "(not tagged)" not in section(html, "timelines")
    dimensions = section_html(get(demo_db, "/trends?by=dimension&since=2019").text, "timelines")
    assert 'href="/timeline?dimension=governance"' in dimensions
    assert 'id="timelines"' not in get(demo_db, "/trends?by=jurisdiction").text


def test_a_long_timeline_shows_its_latest_entries_and_says_so(demo_db, monkeypatch):
    monkeypatch.setattr("pipeline.site.pages.timeline.PAGE_ENTRIES", 3)
    html = get(demo_db, "/timeline?dimension=key_inputs&since=2022").text
    assert (
        section(html, "cut")
        .strip()
        .startswith("Showing the latest 3 entries, from 2024-01-09: 5 earlier ones are not on this page.")
    )
    assert "8 entries in 2 jurisdictions" in section(html, "lanes")
    assert [row.split()[0] for row in section(html, "entries").split("Measure")[1:]] == [
        "Notice",
        "Agency",
        "商务部公告2024年第46号",
    ]
    assert len(get(demo_db, "/timeline.json?dimension=key_inputs&since=2022").json()["entries"]) == 8


def test_a_measure_page_links_its_industries_timelines(demo_db):
    html = get(demo_db, f"/measure/{GALLIUM}").text
    assert 'href="/timeline?industry=critical_minerals"' in section_html(html, "industry-timelines")


def test_an_industry_s_timeline_charts_its_measures_per_month(demo_db):
    html = get(demo_db, "/timeline?industry=ev_batteries").text  # the EU's car case, 2023-10-04 to 2024-10-29
    chart = svg(html, "industry-trend")
    panels = [g.get("aria-label") for g in chart.iter("{http://www.w3.org/2000/svg}g")]
    assert panels == ["ev_batteries: 3 new measures"]
    assert "2023-10-01 to 2025-10-29" in section(html, "industry-trend")  # the year either side of 2024-10-29
    assert 'id="industry-trend"' not in get(demo_db, "/timeline?dimension=key_inputs").text  # an industry's only
