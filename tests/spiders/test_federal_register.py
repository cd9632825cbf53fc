"""The Federal Register spider's parsing, on the bundled sample and on broken copies of it."""

from datetime import date

import pytest
from scrapy.http import Request

from spiders.federal_register.federal_register import AGENCIES, FederalRegisterSpider, month_windows, search_url
from spiders.kit.errors import SourceBlocked, SourceEmpty, SourceShapeChanged, SourceTruncated
from spiders.kit.items import Document
from spiders.kit.offline import parse_items, response_for
from tests.kit.files import FILES, edited_json, written
from tests.kit.spiders import fails_by_name

SPIDER = FederalRegisterSpider
REPLAY = SAMPLE = FILES / "federal_register" / "documents_2024-01.json"


@pytest.fixture
def documents(items):
    return {doc.document_number: doc for doc in items}


def edited_page(tmp_path, edit):
    return edited_json(tmp_path, SAMPLE, edit, name="page.json")


def test_every_result_becomes_a_document(documents):
    assert len(documents) == 15
    assert all(isinstance(doc, Document) for doc in documents.values())


def test_fields_a_compliance_user_needs(documents):
    ofac = documents["2024-00273"]
    assert ofac.id == "federal_register:2024-00273"
    assert ofac.title == "Notice of OFAC Sanctions Actions"
    assert ofac.citation == "89 FR 1628"
    assert (ofac.volume, ofac.start_page, ofac.end_page) == (89, 1628, 1630)
    assert ofac.type == "Notice"
    assert ofac.publisher == "Foreign Assets Control Office"
    assert ofac.agencies == ["Treasury Department", "Foreign Assets Control Office"]
    assert ofac.agency_slugs == ["treasury-department", "foreign-assets-control-office"]
    assert ofac.jurisdiction == "US"
    assert ofac.publication_date == "2024-01-10"
    assert ofac.pdf_url.startswith("https://www.govinfo.gov/")
    assert ofac.full_text_url.endswith("2024-00273.txt")
    assert "page_views" not in ofac.extra  # volatile: would make every crawl a change


def test_rules_keep_cfr_references_and_effective_date(documents):
    rule = documents["2024-00594"]
    assert rule.type == "Rule"
    assert rule.action == "Final rule."
    assert rule.effective_on == "2024-01-12"
    assert {"title": 31, "part": 501} in rule.cfr_references


def test_trade_remedy_notices_keep_their_case_numbers(documents):
    solar = documents["2023-28999"]
    assert solar.docket_ids == ["A-570-979"]
    assert solar.publisher == "International Trade Administration"


def test_bis_notice_publisher_is_the_bureau(documents):
    assert documents["2024-00190"].publisher == "Industry and Security Bureau"


def test_parsing_warns_about_nothing_on_a_real_page(spider, documents):
    assert spider.source_warnings == []


def test_an_empty_answer_is_not_a_broken_one(spider):
    assert parse_items(spider, response_for(FILES / "federal_register" / "no_results.json")) == []


def test_a_new_upstream_field_is_a_warning(spider, tmp_path):
    items = parse_items(
        spider, response_for(edited_page(tmp_path, lambda page: page["results"][0].update(ai_summary="...")))
    )
    assert len(items) == 15
    assert any("new upstream field 'ai_summary'" in w for w in spider.source_warnings)


def test_a_missing_required_field_fails(spider, tmp_path):
    path = edited_page(tmp_path, lambda page: page["results"][3].pop("document_number"))
    with pytest.raises(SourceShapeChanged, match="lacks required field"):
        parse_items(spider, response_for(path))


def test_count_at_the_api_cap_fails_rather_than_truncating(spider, tmp_path):
    path = edited_page(tmp_path, lambda page: page.update(count=10_000))
    with pytest.raises(SourceShapeChanged, match="cap"):
        parse_items(spider, response_for(path))


@pytest.mark.parametrize(
    "body, error",
    [
        ("", SourceEmpty),
        ('{"count": 3, "description": "x"', SourceTruncated),  # truncated JSON
        ('{"results": []}', SourceShapeChanged),  # no count: not a search answer
        ("<html><body>Request unsuccessful</body></html>", SourceBlocked),
    ],
)
def test_broken_answers_fail_by_name(spider, tmp_path, body, error):
    with fails_by_name(spider, error):
        parse_items(spider, response_for(written(tmp_path, "page.json", body)))


def test_next_page_on_the_same_origin_is_followed(tmp_path):
    path = edited_page(
        tmp_path, lambda page: page.update(next_page_url="http://127.0.0.1:8999/api/v1/documents.json?page=2")
    )
    spider = FederalRegisterSpider(url="http://127.0.0.1:8999/api/v1/documents.json")
    outputs = list(spider.parse(response_for(path, url="http://127.0.0.1:8999/api/v1/documents.json")))
    requests = [o for o in outputs if isinstance(o, Request)]
    assert [r.url for r in requests] == ["http://127.0.0.1:8999/api/v1/documents.json?page=2"]


def test_a_recorded_page_never_reaches_the_live_api(spider, tmp_path):
    path = edited_page(
        tmp_path, lambda page: page.update(next_page_url="https://www.federalregister.gov/api/v1/documents?page=2")
    )
    outputs = list(spider.parse(response_for(path)))
    assert not any(isinstance(o, Request) for o in outputs)
    assert any("not following next_page_url" in w for w in spider.source_warnings)


def test_full_text_is_fetched_when_asked(tmp_path):
    spider = FederalRegisterSpider(full_text="true")
    outputs = list(spider.parse(response_for(SAMPLE, url=spider.start_urls[0])))
    requests = [o for o in outputs if isinstance(o, Request)]
    assert len(requests) == 15 and not any(isinstance(o, Document) for o in outputs)
    request = requests[0]
    text = tmp_path / "doc.txt"
    text.write_text("  BUREAU OF INDUSTRY AND SECURITY ... \n")
    (document,) = list(spider.parse_full_text(response_for(text, url=request.url), **request.cb_kwargs))
    assert document.full_text == "BUREAU OF INDUSTRY AND SECURITY ..."


def test_live_crawl_asks_one_month_at_a_time_for_our_agencies():
    spider = FederalRegisterSpider(since="2024-01-15", until="2024-03-02")
    assert list(month_windows(spider.since, spider.until)) == [
        (date(2024, 1, 15), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 3, 2)),
    ]
    url = search_url("2024-01-15", "2024-01-31")
    assert url.startswith("https://www.federalregister.gov/api/v1/documents.json?")
    for slug in AGENCIES:
        assert f"conditions%5Bagencies%5D%5B%5D={slug}" in url
    assert "conditions%5Bpublication_date%5D%5Bgte%5D=2024-01-15" in url
    assert "order=oldest" in url


def test_a_recording_reads_the_texts_recorded_beside_it_and_never_the_live_ones(tmp_path):
    recorded = FILES / "federal_register"
    answer = tmp_path / "denied_2018.json"
    answer.write_bytes((recorded / "denied_2018.json").read_bytes())
    spider = FederalRegisterSpider(url=answer.as_uri(), full_text="true")
    # No text recorded beside the answer: the document comes without one, and nothing is asked of the live site.
    (document,) = list(spider.parse(response_for(answer)))
    assert isinstance(document, Document) and document.full_text is None
    (tmp_path / "2018-25619.txt").write_bytes((recorded / "2018-25619.txt").read_bytes())
    (request,) = list(spider.parse(response_for(answer)))
    assert request.url == (tmp_path / "2018-25619.txt").as_uri()
    (document,) = list(spider.parse_full_text(response_for(tmp_path / "2018-25619.txt"), **request.cb_kwargs))
    assert document.full_text.startswith("[Federal Register Volume 83, Number 227 (Monday, November 26, 2018)]")
    assert document.full_text.endswith("and a $200 special assessment.")
