"""The EU trade-defence spider: TRON cases and their notices, and Official Journal L acts from the EUR-Lex feed."""

import json
import sqlite3

import pytest

from spiders.eu.eu_trade_defence import TRON, EuTradeDefenceSpider, _celex_from_title, _celex_from_url
from spiders.kit.errors import SourceBlocked, SourceEmpty, SourceShapeChanged, SourceTruncated
from spiders.kit.offline import parse_items, response_for
from tests.kit.cli import run_cli
from tests.kit.crawls import assert_out_of_range_crawl_fails, crawl_live
from tests.kit.files import FILES, edited, edited_json, written
from tests.kit.spiders import fails_by_name

SPIDER = EuTradeDefenceSpider
REPLAY = HERE = FILES / "eu_trade_defence"
CASES = HERE / "ongoing.json"
FEED = HERE / "oj_l.xml"
CASE = HERE / "case" / "AS689.json"
BEV = "new battery electric vehicles designed for the transport of persons"


def edited_feed(tmp_path, old, new):
    return edited(tmp_path, FEED, old, new, count=-1)


# -- TRON -------------------------------------------------------------------------------


def test_a_listed_case_without_details_is_a_case_document(spider):
    [case] = parse_items(spider, response_for(CASES))
    assert case.id == "eu_trade_defence:AS689"
    assert (
        case.title == "AS689: New battery electric vehicles designed for the transport of persons originating in China"
    )
    assert (case.type, case.subtype, case.action) == ("Case", "Anti-subsidy", "Initial investigation")
    assert case.abstract == f"Anti-subsidy initial investigation concerning imports of {BEV} originating in China."
    assert (case.jurisdiction, case.publisher, case.language) == ("EU", "European Commission, DG Trade", "en")
    assert case.extra == {"countries": ["China"]}
    assert case.html_url is None  # no TRON id, no case page


def test_a_case_with_publications_yields_its_notice_of_initiation(spider):
    case, notice = parse_items(spider, response_for(CASE))
    assert case.publication_date == "2023-10-04"  # initiated: the date of its notice of initiation
    assert [p["celex"] for p in case.extra["publications"]] == ["52023XC00160", "32024R1866"]
    assert notice.id == "eu_trade_defence:52023XC00160"
    assert notice.type == "Notice of initiation"
    assert notice.title.startswith(f"Notice of initiation of an anti-subsidy proceeding concerning imports of {BEV}")
    assert (notice.publication_date, notice.citation) == ("2023-10-04", "OJ C, C/2023/160")
    assert notice.html_url == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52023XC00160"
    assert notice.extra == {"case_number": "AS689", "eli": "http://data.europa.eu/eli/C/2023/160/oj"}


def test_a_listed_case_with_a_detail_page_is_followed(spider, tmp_path):
    path = edited_json(tmp_path, CASES, lambda cases: cases[0].update(id=4711, hasDetailPage=True))
    [request] = list(spider.parse(response_for(path)))
    assert request.url == (tmp_path / "details" / "4711.json").as_uri()
    assert request.cb_kwargs["listed"]["caseNumber"] == "AS689"
    live = EuTradeDefenceSpider()
    [request] = list(
        live.parse(response_for(path, url="https://tron.trade.ec.europa.eu/investigations/api/eucase/list/ongoing"))
    )
    assert request.url == "https://tron.trade.ec.europa.eu/investigations/api/eucase/details/4711"


def test_details_are_merged_with_the_listed_entry(spider):
    listed = {
        "id": 4711,
        "caseNumber": "AS689",
        "shortName": BEV,
        "hasDetailPage": True,
        "articleOfToc": "Article 10(8)",
    }
    case, _ = parse_items(
        spider, response_for(CASE), callback=lambda response: spider.parse_details(response, listed=listed)
    )
    assert case.html_url == "https://tron.trade.ec.europa.eu/investigations/case-view?caseId=4711"
    assert case.extra["tron_id"] == 4711
    assert case.extra["article_of_toc"] == "Article 10(8)"


def test_timetable_and_status_are_kept(spider, tmp_path):
    def details(case):
        case.update(
            ongoing=True, measStatus="Provisional measures", provMeasures="4 July 2024", defMeasures="Not applicable"
        )

    case, _ = parse_items(spider, response_for(edited_json(tmp_path, CASE, details)))
    assert case.extra["timetable"] == {"provMeasures": "4 July 2024", "defMeasures": "Not applicable"}
    assert case.extra["measure_status"] == "Provisional measures"


@pytest.mark.parametrize(
    "where, edit, field",
    [
        ("TRON case", lambda case: case.update(caseLawyer="x"), "caseLawyer"),
        ("TRON publication", lambda case: case["publications"][0].update(language="EN"), "language"),
    ],
)
def test_a_new_upstream_field_warns(spider, tmp_path, where, edit, field):
    parse_items(spider, response_for(edited_json(tmp_path, CASE, edit)))
    assert f"{where}: new upstream field {field!r} is not used" in spider.source_warnings


@pytest.mark.parametrize(
    "edit, error, message",
    [
        (lambda cases: cases.clear(), SourceEmpty, "lists no ongoing case"),
        (lambda cases: cases[0].pop("caseNumber"), SourceShapeChanged, "case 1 lacks required field.*caseNumber"),
        (lambda cases: cases[0].pop("shortName"), SourceShapeChanged, "case 1 lacks required field.*shortName"),
        (lambda cases: cases.append("AD608"), SourceShapeChanged, "case 2 is not an object"),
    ],
)
def test_a_broken_case_list_fails(spider, tmp_path, edit, error, message):
    with pytest.raises(error, match=message):
        parse_items(spider, response_for(edited_json(tmp_path, CASES, edit)))


@pytest.mark.parametrize(
    "body, error",
    [
        ("", SourceEmpty),
        ("<html><head><title>Access denied</title></head></html>", SourceBlocked),
        ('{"status": 500}', SourceShapeChanged),
        ("[{", SourceTruncated),  # cut short
    ],
)
def test_broken_answers_fail_by_name(spider, tmp_path, body, error):
    with fails_by_name(spider, error):
        parse_items(spider, response_for(written(tmp_path, "answer.json", body)))


# -- the Official Journal L feed ---------------------------------------------------------


def test_the_feed_keeps_trade_defence_acts_only(spider):
    items = parse_items(spider, response_for(FEED))
    assert [item.document_number for item in items] == ["32024R2754", "32024R1866"]  # the AI Act is dropped
    definitive, provisional = items
    assert (provisional.type, provisional.subtype) == ("Implementing regulation", "Provisional duty")
    assert (definitive.type, definitive.subtype) == ("Implementing regulation", "Definitive duty")
    assert provisional.publication_date == "2024-07-04"
    assert provisional.citation == "OJ L, 2024/1866"
    assert provisional.extra == {"eli": "http://data.europa.eu/eli/reg_impl/2024/1866/oj"}
    assert provisional.title == (
        "Commission Implementing Regulation (EU) 2024/1866 of 3 July 2024 imposing a provisional "
        f"countervailing duty on imports of {BEV} originating in the People’s Republic of China"
    )


def test_a_link_without_celex_falls_back_to_the_act_number(spider, tmp_path):
    path = edited_feed(tmp_path, "?uri=CELEX:32024R1866", "?uri=OJ:L_202401866")
    items = parse_items(spider, response_for(path))
    assert items[1].document_number == "32024R1866"
    assert items[1].html_url == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ:L_202401866"


def test_a_new_feed_element_warns(spider, tmp_path):
    parse_items(spider, response_for(edited_feed(tmp_path, "<pubDate>Thu", "<author>OP</author><pubDate>Thu")))
    assert "oj_l.xml: new feed element 'author' is not used" in spider.source_warnings


def test_an_item_without_a_title_fails(spider, tmp_path):
    path = tmp_path / "oj_l.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><item>'
        "<link>https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024R1866</link></item></channel></rss>"
    )
    with pytest.raises(SourceShapeChanged, match="oj_l.xml item 1 has no title"):
        parse_items(spider, response_for(path))


def test_a_trade_defence_act_without_a_celex_number_fails(spider, tmp_path):
    path = edited_feed(tmp_path, "?uri=CELEX:32024R1866", "?uri=OJ:L_202401866")
    path = edited(tmp_path, path, "Regulation (EU) 2024/1866", "Regulation 2024/1866", count=-1)
    with pytest.raises(SourceShapeChanged, match="item 3 .* gives no CELEX number"):
        parse_items(spider, response_for(path))


def test_an_empty_feed_fails(spider, tmp_path):
    path = tmp_path / "oj_l.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>EUR-Lex</title></channel></rss>')
    with pytest.raises(SourceEmpty, match="has no feed items"):
        parse_items(spider, response_for(path))


@pytest.mark.parametrize(
    "url, celex",
    [
        ("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024R2754", "32024R2754"),
        ("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A52025XC06545", "52025XC06545"),
        ("https://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=OJ:C_202300160", "52023XC00160"),
        ("https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=OJ:L_202401866", None),
        (None, None),
    ],
)
def test_celex_from_links(url, celex):
    assert _celex_from_url(url) == celex


@pytest.mark.parametrize(
    "title, celex",
    [
        ("Commission Implementing Regulation (EU) 2024/1866 of 3 July 2024 imposing ...", "32024R1866"),
        ("Commission Implementing Decision (EU) 2024/95 of ...", "32024D0095"),
        ("Notice of initiation of an anti-dumping proceeding", None),
    ],
)
def test_celex_from_titles(title, celex):
    assert _celex_from_title(title) == celex


# -- crawling -----------------------------------------------------------------------------


def test_default_urls_are_live():
    assert EuTradeDefenceSpider().start_urls == [
        "https://eur-lex.europa.eu/EN/display-feed.rss?rssId=221",
        "https://tron.trade.ec.europa.eu/investigations/api/eucase/list/ongoing",
        "https://tron.trade.ec.europa.eu/investigations/api/eucase/search",
        "https://eur-lex.europa.eu/EN/display-feed.rss?rssId=222",
    ]
    assert "Mozilla" in EuTradeDefenceSpider.custom_settings["USER_AGENT"]


# -- the Official Journal C feed and the case search (SOURCES_LIVE Updates) -----------------------

C_FEED = HERE / "feeds" / "oj_c.xml"
# AD590: the 2012 anti-dumping case on Chinese solar panels, whose measures expired in September 2018.
CLOSED = {
    "caseNumber": "AD590",
    "shortName": "Crystalline silicon photovoltaic modules and key components (i.e. cells and wafers)",
    "caseType": "Initial investigation",
    "caseCountries": [{"countryName": "China"}],
}


def test_the_c_feed_gives_notices_of_initiation_keyed_by_celex(spider):
    [notice] = parse_items(spider, response_for(C_FEED))
    assert notice.id == "eu_trade_defence:52023XC00160"
    assert (notice.type, notice.publication_date, notice.citation) == (
        "Notice of initiation",
        "2023-10-04",
        "OJ C, C/2023/160",
    )
    assert notice.extra == {"eli": "http://data.europa.eu/eli/C/2023/160/oj"}  # the feed names no case


def test_the_search_gives_the_cases_that_are_not_ongoing(spider, tmp_path):
    ongoing = json.loads(CASES.read_text())
    search = written(tmp_path, "search.json", json.dumps([*ongoing, CLOSED]))
    live = EuTradeDefenceSpider()
    [closed] = parse_items(live, response_for(search, url=SEARCH_URL), callback=search_callback(live, ongoing))
    assert closed.document_number == "AD590"
    assert (closed.type, closed.subtype) == ("Case", "Anti-dumping")
    replayed = {item.document_number for item in parse_items(spider, response_for(search))}
    assert replayed == {"AS689", "AD590"}  # a recorded search alone: every case


def search_callback(spider, ongoing):
    keys = frozenset(case.get("id", case["caseNumber"]) for case in ongoing)
    return lambda response: spider.parse_search(response, ongoing=frozenset(map(str, keys)))


@pytest.mark.parametrize("answer", ['{"content": []}', "[]"])
def test_a_search_answer_without_cases_fails(spider, tmp_path, answer):
    with pytest.raises(SourceShapeChanged, match="the case search gave no list of cases"):
        list(spider.parse_search(response_for(written(tmp_path, "search.json", answer), url=SEARCH_URL)))


SEARCH_URL = "https://tron.trade.ec.europa.eu/investigations/api/eucase/search"


def test_a_live_crawl_reads_the_c_feed_then_the_cases_then_the_search(live_stage, db_path):
    """Through the engine: the notice comes once (from the feed), the ongoing case with its details, the closed
    case from the search (asked by POST), the acts from the L feed."""
    spider = EuTradeDefenceSpider()
    c_feed, ongoing_url, search_url, l_feed = spider.start_urls
    live_stage.answer(c_feed, C_FEED.read_bytes(), content_type="application/rss+xml")
    live_stage.answer(l_feed, FEED.read_bytes(), content_type="application/rss+xml")
    listed = [{**json.loads(CASES.read_text())[0], "id": 4711, "hasDetailPage": True}]
    live_stage.answer(ongoing_url, json.dumps(listed), content_type="application/json")
    live_stage.answer(f"{TRON}/api/eucase/details/4711", CASE.read_bytes(), content_type="application/json")
    live_stage.answer(search_url, json.dumps([*listed, CLOSED]), content_type="application/json")
    result = crawl_live("eu_trade_defence", live_stage, db_path, "--expect", "1:10")
    assert result.returncode == 0, result.stderr
    assert "appears twice" not in result.stderr
    with sqlite3.connect(db_path) as conn:
        numbers = sorted(row[0] for row in conn.execute("SELECT document_number FROM documents"))
    assert numbers == ["32024R1866", "32024R2754", "52023XC00160", "AD590", "AS689"]
    order = [asked.url.split("?")[0].rsplit("/", 1)[-1] for asked in live_stage.requests]
    assert order.index("display-feed.rss") < order.index("ongoing") < order.index("search")


def test_crawl_stores_and_a_second_run_changes_nothing(db_path):
    args = ("crawl", "eu_trade_defence", "--url", HERE.as_uri(), "--db", str(db_path), "--expect", "1:10")
    first = run_cli(*args, check=True)
    assert "eu_trade_defence: ok, 3 items: 3 added" in first.stdout
    second = run_cli(*args, check=True)
    assert "0 added, 0 modified, 0 removed, 0 restored, 3 unchanged" in second.stdout
    with sqlite3.connect(db_path) as conn:
        assert sorted(row[0] for row in conn.execute("SELECT document_number FROM documents")) == [
            "32024R1866",
            "32024R2754",
            "AS689",
        ]


def test_a_crawl_below_the_declared_minimum_fails_and_stores_nothing(db_path):
    """A real case list holds dozens of ongoing cases; one case and two acts mean a broken list."""
    result = assert_out_of_range_crawl_fails("eu_trade_defence", HERE.as_uri(), db_path)
    assert "eu_trade_defence: item count out of range: 3 items, expected 10..10000" in result.stderr
