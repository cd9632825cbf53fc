"""The site's own pages: what's new, one search box, a party's page and a measure's page, each credited."""

import re
from html import unescape

from sqlite_utils import Database

from tests.site.conftest import SUGON, SUGON_RULE, ZTE_PARSIAN, fetch, get


def section_html(html: str, element_id: str) -> str:
    """The HTML inside the element with this id (up to its closing tag of the same kind)."""
    match = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element with id {element_id}"
    return match.group(2)


def section(html: str, element_id: str) -> str:
    """The text a person reads in the element with this id."""
    return text(section_html(html, element_id))


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_front_page_says_what_is_new_this_week(demo_db):
    html = get(demo_db, "/").text
    added = section(html, "new-listings")
    assert "Entity List (EL) - Bureau of Industry and Security" in added and "42" in added
    assert "Unreliable Entity List (不可靠实体清单)" in added
    assert (
        'href="/chokepoint/listings?source=csl&amp;list_code=EL&amp;first_seen__gte=2026-11-22T06%3A00%3A00Z"' in html
    )
    assert "No party was removed" in section(html, "removed-listings")
    measures = section(html, "new-measures")
    assert "New measures: 32" in measures  # 39 documents less the public-inspection copies of 7 published rules
    assert "CN" in measures and "EU" in measures and "US" in measures
    assert "dimensions__arraycontains=key_inputs" in html
    health = section(html, "health")
    assert "mofcom" in health and "2026-11-28 12:00:00 UTC" in health and "failing" not in health
    assert "source-warning" not in html
    feeds = section(html, "feeds")
    assert "Newest documents" in feeds and 'href="/chokepoint/new_documents.atom"' in html
    assert 'action="/search"' in html


def test_a_quiet_week_with_stale_sources_says_so(demo_db, monkeypatch):
    monkeypatch.setenv("CHOKEPOINT_NOW", "2026-12-31T06:00:00Z")
    html = get(demo_db, "/").text
    assert "No party was added to any list in these 7 days." in section(html, "new-listings")
    assert "No new measure in these 7 days." in section(html, "new-measures")
    warning = section(html, "source-warning")
    assert "13 of 13 sources are not up to date" in warning and "csl (stale)" in warning


def test_the_front_page_counts_removals(history_db):
    removed = section(get(history_db, "/").text, "removed-listings")
    assert "Entity List (EL) - Bureau of Industry and Security" in removed and "1" in removed


def test_one_search_box_finds_parties_and_measures(demo_db):
    html = get(demo_db, "/search?q=huawei").text
    parties = section(html, "parties")
    assert "Huawei Technologies Co., Ltd. (Huawei)" in parties
    named = (
        Database(demo_db)
        .execute("SELECT count(*) FROM listings WHERE name LIKE '%huawei%' OR alt_names LIKE '%huawei%'")
        .fetchone()[0]
    )
    assert f"Parties: {named} found" in parties and named > 10
    assert "HUAWEI TECHNOLOGIES CO., LTD." in section(
        get(demo_db, "/search?q=huawei&kind=parties&page=2").text, "parties"
    )
    gallium = get(demo_db, "/search?q=gallium").text
    measures = section(gallium, "measures")
    assert "关于对镓、锗相关物项实施出口管制的公告" in measures
    assert "关于加强相关两用物项对美国出口管制的公告" in measures
    assert "In English: Ministry of Commerce · General Administration of Customs" in measures
    assert "Parties: 0 found" in text(gallium) and "does not clear a counterparty" in gallium


def test_search_reads_chinese_inside_unspaced_text(demo_db):
    for query, expected in [
        ("镓", "关于对镓、锗相关物项实施出口管制的公告"),
        ("出口管制", "关于加强相关两用物项对美国出口管制的公告"),
        ("不可靠实体清单", "列入不可靠实体清单的公告"),
    ]:
        assert expected in section(get(demo_db, f"/search?q={query}").text, "measures"), query
    parties = section(get(demo_db, "/search?q=洛克希德").text, "parties")
    assert "Lockheed Martin Corporation" in parties


def test_a_facet_narrows_the_results(demo_db):
    html = get(demo_db, "/search?q=huawei").text
    link = re.search(r'<a href="(/search\?[^"]*list=CMIC[^"]*)">CMIC</a>', html)
    assert link, "no CMIC facet link"
    narrowed = section(get(demo_db, unescape(link.group(1))).text, "parties")
    assert "HUAWEI TECHNOLOGIES CO., LTD." in narrowed
    assert "Huawei Technologies Co., Ltd. (Huawei)" not in narrowed
    assert "Parties: 1 found" in narrowed


def test_a_count_past_its_cap_says_more(demo_db, monkeypatch):
    from pipeline.store.search import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    monkeypatch.setattr("pipeline.store.search.COUNT_CAP", 3)
    monkeypatch.setattr("pipeline.site.pages.search.search.COUNT_CAP", 3)
    page = text(get(demo_db, "/search?q=huawei").text)
    assert "Parties: 3+ found" in page
    # Facets count the same capped matches, and the page says so.
    assert "Counted over the 3 most recently stored of the 3+ matches." in page
    assert "More than 3 match: these are the best matches among the 3 most recently stored." in page


def facet_blocks(html: str, kind: str) -> dict[str, str]:
    return dict(re.findall(r'<div class="facet" data-facet="([a-z]+)">(.*?)</div>', section_html(html, kind), re.S))


def test_every_facet_shows_on_every_search(demo_db):
    html = get(demo_db, "/search?q=china").text
    parties, measures = facet_blocks(html, "parties"), facet_blocks(html, "measures")
    assert list(parties) == ["list", "country", "program", "dimension", "industry", "source"]
    assert list(measures) == ["jurisdiction", "dimension", "industry", "agency", "type"]
    assert "CN" in parties["country"] and "CN" in measures["jurisdiction"]
    # A filter keeps every facet on the page, the chosen value marked.
    narrowed = facet_blocks(get(demo_db, "/search?q=china&kind=parties&country=CN").text, "parties")
    assert list(narrowed) == list(parties) and "&#10003;" in narrowed["country"]


def test_a_facet_count_stopped_by_the_time_limit_says_so(demo_db, monkeypatch):
    from pipeline.site.datasette import SETTINGS
    from pipeline.store.search import Kind

    endless = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
        "SELECT '' AS facet, NULL AS value, count(*) AS n FROM c WHERE :match IS NOT NULL"
    )
    monkeypatch.setattr(Kind, "facets_sql", lambda kind, filters: endless)
    monkeypatch.setitem(SETTINGS, "sql_time_limit_ms", 200)
    html = get(demo_db, "/search?q=huawei").text
    blocks = facet_blocks(html, "parties")
    assert list(blocks) == ["list", "country", "program", "dimension", "industry", "source"]
    assert all("not counted: it took longer than the site allows" in block for block in blocks.values())
    assert "Parties: 30 found" in text(html)  # the results themselves are there
    # Past the cap, the rows still say they come from the newest matches.
    monkeypatch.setattr("pipeline.store.search.queries.COUNT_CAP", 3)
    monkeypatch.setattr("pipeline.store.search.COUNT_CAP", 3)
    monkeypatch.setattr("pipeline.site.pages.search.search.COUNT_CAP", 3)
    page = text(get(demo_db, "/search?q=huawei").text)
    assert "More than 3 match: these are the best matches among the 3 most recently stored." in page
    assert "Counted over" not in page


def test_an_empty_or_unsearchable_query(demo_db):
    assert "Search parties and measures" in get(demo_db, "/search").text
    assert "Nothing searchable" in text(get(demo_db, "/search?q=%C2%B7").text)
    get(demo_db, "/search?q=NEAR(%22AND")  # typed operators are words, not an FTS5 error


def test_a_party_page_shows_the_rule_that_listed_it(demo_db):
    html = get(demo_db, f"/party/{SUGON}").text
    assert "<h1>Sugon</h1>" in html
    rules = section(html, "rules")
    assert f'href="/measure/{SUGON_RULE}"' in html
    assert "Addition of Entities to the Entity List and Revision of an Entry on the Entity List" in rules
    assert 'href="https://www.federalregister.gov/citation/84-FR-29373"' in html
    facts = text(html)
    assert "Also known as" in facts and "Zhongke Shuguang" in facts and "China (CN)" in facts
    assert "Licence review policy Presumption of denial" in facts
    assert "Set by the classifier" in facts
    assert "Added 2026-11-28 12:00:00 UTC" in section(html, "history")


def test_a_party_page_shows_each_modification_field_by_field(history_db):
    history = section(get(history_db, f"/party/{SUGON}").text, "history")
    assert "Added 2026-11-28" in history and "Modified 2026-11-29" in history
    assert "Addresses" in history and "before" in history and "after" in history
    assert "removed: No. 15, Haitai Huake Street, Huayuan Industrial Zone, Tianjin, CN" in history
    assert '"before"' not in history and "{" not in history  # no JSON


def test_a_removed_party_says_so(history_db):
    html = get(history_db, f"/party/{ZTE_PARSIAN}").text
    assert "Removed on 2026-11-29" in section(html, "removed")
    assert "Removed 2026-11-29" in section(html, "history")
    assert "removed 2026-11-29" in get(history_db, "/search?q=parsian").text


def test_a_person_s_tags_say_who_set_them(history_db, tmp_path):
    import shutil

    from sqlite_utils import Database

    from pipeline.store import ensure_schema, labels

    path = tmp_path / "corrected.db"
    shutil.copy(history_db, path)
    db = Database(path)
    ensure_schema(db)
    labels.record_correction(
        db, SUGON, ["key_inputs"], ["ai_computing"], "Sugon builds supercomputers", "a.analyst", "2026-11-29T08:00:00Z"
    )
    db.conn.close()
    tags = text(get(path, f"/party/{SUGON}").text)
    assert "Set by a person: a.analyst on 2026-11-29" in tags and "Sugon builds supercomputers" in tags
    assert "1 correction recorded" in tags


def test_unknown_parties_and_measures_are_404_pages(demo_db):
    assert "No listing has the id" in get(demo_db, "/party/csl:EL:nope", status=404).text
    assert "No document has the id" in get(demo_db, "/measure/nope", status=404).text


def test_a_measure_page_lists_the_parties_it_listed(demo_db):
    html = get(demo_db, f"/measure/{SUGON_RULE}").text
    assert "Addition of Entities to the Entity List and Revision of an Entry on the Entity List" in html
    assert f'href="/party/{SUGON}"' in section_html(html, "listings")
    assert "84 FR 29371" in text(html) and "2019-06-24" in text(html)
    assert 'href="https://www.federalregister.gov/d/2019-13245"' in html
    uel = get(demo_db, "/measure/mofcom:MOFCOM-UEL-2023-1").text
    listings = section(uel, "listings")
    assert "Lockheed Martin Corporation" in listings and "Raytheon Missiles & Defense" in listings


def test_public_inspection_and_publication_are_one_measure(demo_db):
    (copy, published) = fetch(
        demo_db, "/measure/federal_register_public_inspection:2024-00273", "/measure/federal_register:2024-00273"
    )
    assert copy.status == 302 and copy.headers["location"] == "/measure/federal_register:2024-00273"
    dates = section(published.text, "dates")
    assert "On public inspection" in dates and "Published 2024-01" in dates
    pending = get(demo_db, "/measure/federal_register_public_inspection:2024-00359").text
    assert "not yet published" in section(pending, "dates")
    results = get(demo_db, "/search?q=2024-00273&kind=measures").text
    assert "Measures: 1 found" in text(results)


def test_every_page_credits_its_own_source(demo_db):
    mofcom = text(get(demo_db, "/measure/mofcom:MOFCOM-2023-23").text)
    assert "Source: Ministry of Commerce of the People's Republic of China (MOFCOM)" in mofcom
    assert "no open licence stated" in mofcom and "Federal Register" not in mofcom
    rule = text(get(demo_db, f"/measure/{SUGON_RULE}").text)
    assert "Source: Office of the Federal Register (NARA)" in rule and "Public domain in the U.S." in rule
    un = get(demo_db, "/chokepoint/listings?source=un_consolidated").text
    assert "United Nations Security Council" in un and 'href="https://www.un.org/en/about-us/terms-of-use"' in un
    listings = text(get(demo_db, "/chokepoint/listings?source=mofcom").text)
    assert "Ministry of Commerce of the People's Republic of China (MOFCOM)" in listings
    assert "trade.gov Consolidated Screening List" not in listings


def test_a_source_a_firewall_turned_away_is_called_blocked_as_the_cli_calls_it(demo_db, tmp_path):
    from pipeline import store
    from tests.digest.conftest import copy_database
    from tests.kit.cli import run_cli

    db_path = copy_database(demo_db, tmp_path / "chokepoint.db")
    db = Database(db_path)
    run_id = store.start_run(
        db, "ofac_sdn", "listings", "https://sanctionslistservice.ofac.treas.gov/", "2026-11-29T06:00:00Z"
    )
    error = (
        "ofac_sdn: source blocked: HTTP 403 (forbidden: a firewall answered) from sanctionslistservice.ofac.treas.gov"
    )
    store.finish_run(db, run_id, "failed", "2026-11-29T06:00:01Z", error=error)
    db.conn.close()
    health = section(get(db_path, "/").text, "health")
    assert "(OFAC) blocked : ofac_sdn: source blocked: HTTP 403" in health
    assert "failing" not in health
    cli = run_cli("sources", "--db", str(db_path), now="2026-11-29T07:00:00Z").stdout
    assert re.search(r"ofac_sdn\s.*blocked", cli), cli
