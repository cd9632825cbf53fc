"""The MOFCOM spider: list answers, announcements, designations, removals, encodings."""

import json

import pytest
from scrapy.http import Request

from spiders.kit.errors import SourceBlocked, SourceShapeChanged
from spiders.kit.items import Document, Listing
from spiders.kit.offline import follow, response_for
from spiders.mofcom.mofcom import MofcomSpider
from spiders.mofcom.notices import Notice, Party, announcement_key, is_relevant, parse_parties, reconcile
from tests.kit.crawls import assert_crawls_twice_without_changes, assert_out_of_range_crawl_fails, crawl_live, stored
from tests.kit.files import FILES, edited, edited_json, written

SAMPLE = FILES / "mofcom" / "list.json"
AQYGZJ = FILES / "mofcom" / "list_aqygzj.json"
ARTICLE = FILES / "mofcom" / "flzc" / "gzjgfxwj" / "art" / "2025" / "art_00000000000000000000000000000004.html"


def crawl(path):
    spider = MofcomSpider(url=path.as_uri())
    items, fetched = follow(spider, path)
    return spider, items, fetched


@pytest.fixture(scope="module")
def sample():
    return crawl(SAMPLE)


def documents(items):
    return {item.document_number: item for item in items if isinstance(item, Document)}


def listings(items):
    return [item for item in items if isinstance(item, Listing)]


def test_export_control_and_trade_remedy_announcements_are_fetched(sample):
    _, _, fetched = sample
    assert [url.rsplit("/", 1)[1] for url in fetched] == [
        "list.json",
        "art_00000000000000000000000000000003.html",
        "art_00000000000000000000000000000005.html",  # the brandy anti-dumping investigation
        "art_00000000000000000000000000000002.html",
        "art_00000000000000000000000000000001.html",
    ]


@pytest.mark.parametrize(
    "key, title_start, published, effective, publisher_start, subtype",
    [
        (
            "MOFCOM-UEL-2023-1",
            "不可靠实体清单工作机制关于将洛克希德·马丁公司",
            "2023-02-16",
            "2023-02-16",
            "Unreliable Entity List",
            "UEL add",
        ),
        (
            "MOFCOM-2023-23",
            "商务部 海关总署公告2023年第23号 关于对镓、锗",
            "2023-07-03",
            "2023-08-01",
            "Ministry of Commerce",
            "Export control",
        ),
        (
            "MOFCOM-2024-46",
            "商务部公告2024年第46号 关于加强相关两用物项对美国出口管制",
            "2024-12-03",
            "2024-12-03",
            "Ministry of Commerce",
            "Export control",
        ),
        (
            "MOFCOM-2024-1",
            "商务部公告2024年第1号 关于对原产于欧盟的进口相关白兰地进行反倾销立案调查",
            "2024-01-05",
            "2024-01-05",
            "Ministry of Commerce",
            "Trade remedy",
        ),
    ],
)
def test_announcements_become_chinese_documents(
    sample, key, title_start, published, effective, publisher_start, subtype
):
    document = documents(sample[1])[key]
    assert document.id == f"mofcom:{key}"
    assert document.title.startswith(title_start)
    assert (document.publication_date, document.effective_on) == (published, effective)
    assert document.publisher.startswith(publisher_start)
    assert document.subtype == subtype
    assert (document.language, document.jurisdiction, document.type) == ("zh", "CN", "Announcement")
    assert document.html_url.startswith("https://www.mofcom.gov.cn/zwgk/zcfb/art/")
    assert document.full_text.splitlines()[-1].endswith("日")  # the text runs to the signature date


def test_a_designation_lists_each_party_in_both_scripts(sample):
    lockheed, raytheon = listings(sample[1])
    assert (lockheed.name, lockheed.alt_names) == ("Lockheed Martin Corporation", ["洛克希德·马丁公司"])
    assert (raytheon.name, raytheon.alt_names) == ("Raytheon Missiles & Defense", ["雷神导弹与防务公司"])
    for item in (lockheed, raytheon):
        assert (item.list_code, item.start_date, item.programs) == ("UEL", "2023-02-16", ["MOFCOM-UEL-2023-1"])
        assert item.list_name.startswith("Unreliable Entity List")
        assert item.id.startswith("mofcom:UEL:MOFCOM-UEL-2023-1-")
    assert documents(sample[1])["MOFCOM-UEL-2023-1"].extra["parties"] == [
        "Lockheed Martin Corporation",
        "Raytheon Missiles & Defense",
    ]
    assert sample[0].source_warnings == []


def test_numbered_entries_and_a_stated_count(tmp_path):
    spider, items, _ = crawl(AQYGZJ)
    [skydio] = listings(items)
    assert (skydio.name, skydio.alt_names, skydio.countries) == ("Skydio Inc.", ["斯凯迪奥公司"], ["US"])
    assert (
        skydio.source_list_url
        == "https://aqygzj.mofcom.gov.cn/flzc/gzjgfxwj/art/2025/art_00000000000000000000000000000004.html"
    )
    assert documents(items)["MOFCOM-UEL-2025-7"].publication_date == "2025-04-04"
    assert spider.source_warnings == ["MOFCOM-UEL-2025-7: the notice states 11 parties, 1 read from its text"]


def test_a_new_upstream_field_warns(tmp_path):
    path = edited_json(tmp_path, AQYGZJ, lambda answer: answer.update(total=1), name="list.json")
    spider = MofcomSpider(url=path.as_uri())
    requests = list(spider.parse(response_for(path)))
    assert len(requests) == 1 and isinstance(requests[0], Request)
    assert any("new upstream field 'total'" in warning for warning in spider.source_warnings)


@pytest.mark.parametrize(
    "answer, message",
    [
        ({"success": True, "data": {}}, "has no data.html"),
        ({"success": False, "message": "error"}, "has no data.html"),
        ({"success": True, "data": {"html": "<ul></ul>"}}, "lists no linked item"),
    ],
)
def test_a_list_answer_without_its_list_fails(tmp_path, answer, message):
    path = written(tmp_path, "list.json", json.dumps(answer))
    with pytest.raises(SourceShapeChanged, match=message):
        list(MofcomSpider(url=path.as_uri()).parse(response_for(path)))


def test_a_page_instead_of_the_list_is_a_block(tmp_path):
    path = written(tmp_path, "list.json", "<html><body>Please enable JavaScript</body></html>")
    spider = MofcomSpider(url=path.as_uri())
    with pytest.raises(SourceBlocked, match="an HTML page where the file was due"):
        list(spider.parse_list(response_for(path), pending=[], queue=[]))


def test_bodies_are_decoded_by_their_declared_charset(tmp_path):
    declared = edited(tmp_path, ARTICLE, 'charset="utf-8"', 'charset="gbk"', count=-1, name="article.html")
    gbk = written(tmp_path, "article.html", declared.read_text(encoding="utf-8").encode("gbk"))
    spider = MofcomSpider(url=gbk.as_uri())
    items, _ = follow(spider, gbk)
    assert listings(items)[0].alt_names == ["斯凯迪奥公司"]
    wrong = written(
        tmp_path, "wrong.html", ARTICLE.read_text(encoding="utf-8").encode("gbk")
    )  # GBK bytes, UTF-8 declared
    with pytest.raises(SourceShapeChanged, match="is not valid utf-8"):
        follow(MofcomSpider(url=wrong.as_uri()), wrong)


def test_an_article_without_a_known_container_is_read_and_reported(tmp_path):
    path = edited(tmp_path, ARTICLE, 'class="art-con"', 'class="detail-main"', count=-1, name="article.html")
    spider = MofcomSpider(url=path.as_uri())
    items, _ = follow(spider, path)
    assert [item.name for item in listings(items)] == ["Skydio Inc."]
    assert any("no known article container" in warning for warning in spider.source_warnings)


# -- recognising notices (real titles and names) ---------------------------------------------


@pytest.mark.parametrize(
    "title, key",
    [
        ("商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告", "MOFCOM-2023-23"),
        ("商务部 海关总署公告2024年第33号 关于对锑等物项实施出口管制的公告", "MOFCOM-2024-33"),
        ("商务部 海关总署公告2023年第39号 关于优化调整石墨物项临时出口管制措施的公告", "MOFCOM-2023-39"),
        ("商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告", "MOFCOM-2024-46"),
        ("商务部公告2024年第1号 关于对原产于欧盟的进口相关白兰地进行反倾销立案调查的公告", "MOFCOM-2024-1"),
        ("不可靠实体清单工作机制公告〔2025〕7号", "MOFCOM-UEL-2025-7"),
    ],
)
def test_keys_and_relevance_of_real_titles(title, key):
    assert announcement_key(title, "") == key
    assert is_relevant(title)


def test_the_heading_gives_the_key_when_the_title_does_not():
    body = "不可靠实体清单工作机制\n公 告\n2023年 第1号\n为维护国家主权……"
    assert (
        announcement_key(
            "不可靠实体清单工作机制关于将洛克希德·马丁公司、雷神导弹与防务公司列入不可靠实体清单的公告", body
        )
        == "MOFCOM-UEL-2023-1"
    )


def test_inline_names_joined_by_and():
    text = (
        "决定将亨廷顿·英格尔斯工业公司（Huntington Ingalls Industries, Inc.）、扁平地球管理公司（Planate Management Group）"
        "及全球维度公司（Global Dimensions LLC）等3家美国实体列入出口管制管控名单"
    )
    assert [(p.name_zh, p.name_en) for p in parse_parties(text)] == [
        ("亨廷顿·英格尔斯工业公司", "Huntington Ingalls Industries, Inc."),
        ("扁平地球管理公司", "Planate Management Group"),
        ("全球维度公司", "Global Dimensions LLC"),
    ]


def test_removals_and_suspensions_change_the_snapshot():
    """Placeholder parties ("Entity A"…): the state-change logic on its own, not a real measure."""
    added = Notice("K-1", "t", "2025-01-01", ["UEL"], "add", [Party("甲公司", "Entity A"), Party("乙公司", "Entity B")])
    watch = Notice("K-2", "t", "2025-01-02", ["ECWL"], "add", [Party("丙公司", "Entity C")])
    removed = Notice("K-3", "t", "2025-02-01", ["UEL"], "remove", [Party("甲公司", None)])
    suspended = Notice("K-4", "t", "2025-03-01", ["UEL"], "suspend", [], references=["K-1"])
    off_the_other_list = Notice("K-5", "t", "2025-03-02", ["ECWL"], "remove", [Party(None, "Entity B")])
    result = reconcile([suspended, watch, removed, added, off_the_other_list])
    assert [(notice.key, party.name, status) for notice, party, status in result] == [
        ("K-1", "Entity B", "measures suspended from 2025-03-01"),
        ("K-2", "Entity C", None),
    ]


# -- defaults and end to end ------------------------------------------------------------------


def test_live_defaults():
    spider = MofcomSpider()
    www, aqygzj = spider.start_urls
    assert www.startswith("https://www.mofcom.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?")
    assert "webId=8f43c7ad3afc411fb56f281724b73708" in www and "pageNo%22%3A1" in www
    assert aqygzj.startswith("https://aqygzj.mofcom.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?")
    assert "pageSize%22%3A99999" in aqygzj and "parseType=bulidstatic" in aqygzj
    request = spider._request(www, spider.parse, {})
    assert request.headers["Referer"] == b"https://www.mofcom.gov.cn/zwgk/zcfb/index.html"
    assert MofcomSpider.custom_settings["USER_AGENT"].startswith("Mozilla/5.0")


def paged(answer: dict, items: slice, rows: int, count: int, page: int) -> dict:
    """The saved www list answer cut to some of its items, with the pagination the site renders under them."""
    html = answer["data"]["html"]
    head, _, rest = html.partition("<li>")
    entries = ["<li>" + entry for entry in rest.split("<li>")]
    entries[-1] = entries[-1].removesuffix("</ul></div>")
    pager = f'<div class="pagination" rows="{rows}" count="{count}" pageNo="{page}"></div>'
    return {**answer, "data": {"html": head + "".join(entries[items]) + "</ul></div>" + pager}}


def test_the_next_page_follows_the_pagination_not_the_page_size_asked_for(tmp_path):
    answer = json.loads(SAMPLE.read_text())
    first = written(tmp_path, "list.json", json.dumps(paged(answer, slice(0, 2), rows=2, count=4, page=1)))
    spider = MofcomSpider()
    [next_page] = list(spider.parse(response_for(first, url=spider.start_urls[0])))
    assert "pageNo%22%3A2" in next_page.url and "pageSize%22%3A2%7D" in next_page.url  # the server's page size
    assert next_page.callback == spider.parse_list
    last = written(tmp_path, "last.json", json.dumps(paged(answer, slice(2, 4), rows=2, count=4, page=2)))
    [aqygzj] = list(spider.parse_list(response_for(last, url=next_page.url), pending=[spider.start_urls[1]], queue=[]))
    assert aqygzj.url == spider.start_urls[1]


def test_a_live_policy_release_list_without_its_pagination_fails(tmp_path):
    spider = MofcomSpider()
    with pytest.raises(SourceShapeChanged, match="no div.pagination in data.html: cannot tell what pages follow"):
        list(spider.parse(response_for(SAMPLE, url=spider.start_urls[0])))


def test_the_security_bureau_list_comes_whole_without_pagination():
    spider = MofcomSpider()
    [article] = list(spider.parse_list(response_for(AQYGZJ, url=spider.start_urls[1]), pending=[], queue=[]))
    assert article.url.endswith("art_00000000000000000000000000000004.html")


def test_the_known_top_level_keys_do_not_warn(tmp_path):
    def add_keys(answer):
        answer.update(roles=[], permissions=[], traceId="6a1b", code=200, message="", newKey=1)

    spider = MofcomSpider(url=SAMPLE.as_uri())
    list(spider.parse(response_for(edited_json(tmp_path, SAMPLE, add_keys))))
    assert [w for w in spider.source_warnings if "new upstream field" in w] == [
        f"{(tmp_path / 'list.json').as_uri()}: new upstream field 'newKey' is not used"
    ]


def test_a_paged_live_crawl_reads_every_page(live_stage, db_path):
    """Through the engine: two pages of 2 items (the server keeps to pages of 2, not the 100 asked), then the bureau's list."""
    spider = MofcomSpider()
    www, aqygzj = spider.start_urls
    answer = json.loads(SAMPLE.read_text())
    live_stage.answer(www, json.dumps(paged(answer, slice(0, 2), rows=2, count=4, page=1)))
    live_stage.answer(spider._with_page(www, 2, 2), json.dumps(paged(answer, slice(2, 4), rows=2, count=4, page=2)))
    live_stage.answer(aqygzj, AQYGZJ.read_bytes())
    for article in (FILES / "mofcom").rglob("art_*.html"):
        path = article.relative_to(FILES / "mofcom").as_posix()
        host = "aqygzj.mofcom.gov.cn" if path.startswith("flzc/") else "www.mofcom.gov.cn"
        live_stage.answer(f"https://{host}/{path}", article.read_bytes(), content_type="text/html; charset=utf-8")
    result = crawl_live("mofcom", live_stage, db_path, "--expect", "1:10")
    assert result.returncode == 0, result.stderr
    assert len(live_stage.asked(spider._with_page(www, 2, 2))) == 1
    numbers = [row["document_number"] for row in stored(db_path, "mofcom", "documents")]
    assert "MOFCOM-UEL-2023-1" in numbers and "MOFCOM-UEL-2025-7" in numbers  # page 2's, and the bureau's
    assert all("editType=null" in asked.url for asked in live_stage.requests if "build/unit" in asked.url)


def test_crawl_stores_listings_and_documents_and_a_second_run_changes_nothing(db_path):
    run = assert_crawls_twice_without_changes("mofcom", SAMPLE.as_uri(), db_path, "--expect", "1:5")
    assert run["added"] == 6  # 2 listings and 4 documents
    assert sorted(row["name"] for row in stored(db_path, "mofcom")) == [
        "Lockheed Martin Corporation",
        "Raytheon Missiles & Defense",
    ]
    assert [row["document_number"] for row in stored(db_path, "mofcom", "documents")] == [
        "MOFCOM-2023-23",
        "MOFCOM-2024-1",
        "MOFCOM-2024-46",
        "MOFCOM-UEL-2023-1",
    ]


def test_a_crawl_below_the_declared_range_fails_and_stores_nothing(db_path):
    assert_out_of_range_crawl_fails("mofcom", SAMPLE.as_uri(), db_path)  # 2 listed parties, 100 expected at least


def test_an_announcement_outside_the_known_url_families_is_followed_and_reported(tmp_path):
    def relink(answer):
        answer["data"]["html"] = answer["data"]["html"].replace(
            "/flzc/gzjgfxwj/art/2025/art_", "/flzc/gzjgfxwj/2025/new_"
        )

    path = edited_json(tmp_path, AQYGZJ, relink, name="list.json")
    spider = MofcomSpider(url=path.as_uri())
    [article] = list(spider.parse(response_for(path)))
    assert article.url.endswith("/flzc/gzjgfxwj/2025/new_00000000000000000000000000000004.html")
    assert spider.source_warnings == [
        f"{path.as_uri()}: 1 announcement link(s) outside the known article URL families, "
        "e.g. https://aqygzj.mofcom.gov.cn/flzc/gzjgfxwj/2025/new_00000000000000000000000000000004.html (a new site layout?)"
    ]
