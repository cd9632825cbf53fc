"""The CHIPS spider: NIST's Federal Register documents narrowed to CHIPS, and the CHIPS news index."""

import asyncio
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest

from spiders.federal_register.chips_nist import ChipsNistSpider
from spiders.kit.errors import SourceShapeChanged
from spiders.kit.offline import parse_items, response_for
from tests.kit.cli import run_cli
from tests.kit.crawls import assert_out_of_range_crawl_fails
from tests.kit.files import FILES, edited, edited_json

SPIDER = ChipsNistSpider
REPLAY = HERE = FILES / "chips_nist"
DOCUMENTS = HERE / "documents.json"
NEWS = HERE / "news.html"


def edited_documents(tmp_path, edit):
    """The documents-search answer with `edit(results)` applied."""
    return edited_json(tmp_path, DOCUMENTS, lambda page: edit(page["results"]))


def edited_news(tmp_path, old, new):
    return edited(tmp_path, NEWS, old, new, count=-1)


# -- the Federal Register part ----------------------------------------------------------


def test_only_chips_documents_are_kept(spider):
    items = parse_items(spider, response_for(DOCUMENTS))
    assert [item.document_number for item in items] == ["2023-20471"]  # the NIST AI committee notice is dropped
    rule = items[0]
    assert rule.id == "chips_nist:2023-20471"
    assert rule.title == "Preventing the Improper Use of CHIPS Act Funding"
    assert rule.type == "Rule"
    assert rule.publisher == "NIST CHIPS Program Office"
    assert rule.agencies == ["Commerce Department", "National Institute of Standards and Technology"]
    assert rule.cfr_references == [{"title": 15, "part": 231}]
    assert (rule.citation, rule.publication_date, rule.effective_on) == ("88 FR 65600", "2023-09-25", "2023-11-24")
    assert rule.regulation_id_numbers == ["0693-AB70"]


def test_part_231_alone_is_enough(spider, tmp_path):
    def retitle(results):
        results[0]["title"] = "Preventing the Improper Use of Incentives Funding"

    items = parse_items(spider, response_for(edited_documents(tmp_path, retitle)))
    assert [item.document_number for item in items] == ["2023-20471"]


@pytest.mark.parametrize(
    "field, text, kept",
    [
        ("title", "CHIPS Incentives Program; Notice of Funding Opportunity", True),
        ("abstract", "The CHIPS Program Office invites applications.", True),
        ("title", "Potato chips: standards of identity", False),  # "chips" is not the programme
    ],
)
def test_a_nist_document_naming_chips_is_kept(spider, tmp_path, field, text, kept):
    def name_chips(results):
        results[1][field] = text

    items = parse_items(spider, response_for(edited_documents(tmp_path, name_chips)))
    assert ("2024-00116" in [item.document_number for item in items]) is kept


def test_a_new_upstream_field_warns(spider, tmp_path):
    parse_items(spider, response_for(edited_documents(tmp_path, lambda results: results[0].update(chips_award=1))))
    assert any("new upstream field 'chips_award'" in warning for warning in spider.source_warnings)


def test_a_missing_required_field_fails(spider, tmp_path):
    with pytest.raises(SourceShapeChanged, match="document 2023-20471 lacks required field.*publication_date"):
        parse_items(
            spider, response_for(edited_documents(tmp_path, lambda results: results[0].pop("publication_date")))
        )


# -- the news index ---------------------------------------------------------------------


def test_news_cards_become_press_releases(spider):
    items = parse_items(spider, response_for(NEWS))
    assert [item.publication_date for item in items] == ["2025-01-16", "2023-11-20"]
    awards, vision = items
    assert (
        awards.document_number == "news/2025/01/us-department-commerce-announces-14-billion-final-awards-support-next"
    )
    assert awards.title.startswith("U.S. Department of Commerce Announces $1.4 Billion in Final Awards")
    assert awards.html_url == (
        "https://www.nist.gov/news-events/news/2025/01/"
        "us-department-commerce-announces-14-billion-final-awards-support-next"
    )
    assert awards.abstract.startswith("The U.S. Department of Commerce has announced that CHIPS National Advanced")
    assert awards.type == "Press release"
    assert (awards.jurisdiction, awards.language, awards.publisher) == ("US", "en", "NIST CHIPS for America")
    assert (
        vision.title
        == "CHIPS for America Releases Vision for Approximately $3 Billion National Advanced Packaging Manufacturing Program"
    )
    assert vision.abstract is None


def test_a_new_part_of_a_card_warns(spider, tmp_path):
    path = edited_news(
        tmp_path,
        '<div class="nist-teaser__date">',
        '<div class="nist-teaser__award-amount">$1.4B</div><div class="nist-teaser__date">',
    )
    assert len(parse_items(spider, response_for(path))) == 2
    assert "news card: new upstream part 'nist-teaser__award-amount' is not read" in spider.source_warnings


def test_a_replayed_page_does_not_follow_its_pager(spider):
    assert all(not hasattr(obj, "callback") for obj in spider.parse_news(response_for(NEWS)))


def test_a_live_page_follows_its_pager_until_the_watermark():
    spider = ChipsNistSpider(since="2023-01-01")
    live = response_for(NEWS, url="https://www.nist.gov/chips/chips-news-releases")
    requests = [obj for obj in spider.parse_news(live) if hasattr(obj, "callback")]
    assert [request.url for request in requests] == ["https://www.nist.gov/chips/chips-news-releases?page=1"]
    assert requests[0].cb_kwargs == {"page": 1}
    caught_up = ChipsNistSpider(since="2024-01-01")
    assert not [obj for obj in caught_up.parse_news(live) if hasattr(obj, "callback")]


@pytest.mark.parametrize(
    "old, new, missing",
    [
        ('<time datetime="2023-11-20T12:00:00Z">', "<time>", "date"),
        (
            '<h3 class="nist-teaser__title"><a href="/news-events/news/2023/11/chips-america-releases-vision-approximately-3-billion-national-advanced">',
            '<h3 class="nist-teaser__title"><a>',
            "title link",
        ),
    ],
)
def test_a_card_missing_a_required_part_fails(spider, tmp_path, old, new, missing):
    path = edited_news(tmp_path, old, new)
    if missing == "title link":  # the card's @about would still give the link
        path = edited(tmp_path, path, ' about="/news-events/news/2023/11/', ' data-x="', count=-1)
    with pytest.raises(SourceShapeChanged, match=f"card 2 lacks {missing}"):
        parse_items(spider, response_for(path))


def test_a_page_without_cards_fails(spider, tmp_path):
    path = edited_news(tmp_path, 'class="nist-teaser"', 'class="nist-card"')
    with pytest.raises(
        SourceShapeChanged, match=r"has no article.nist-teaser cards \(page title: 'CHIPS News & Releases \| NIST'\)"
    ):
        parse_items(spider, response_for(path))


def test_a_link_outside_the_news_section_warns_and_keeps_its_path(spider, tmp_path):
    path = edited_news(tmp_path, 'href="/news-events/news/2023/11/', 'href="/chips/2023/11/')
    items = parse_items(spider, response_for(path))
    assert (
        items[1].document_number
        == "chips/2023/11/chips-america-releases-vision-approximately-3-billion-national-advanced"
    )
    assert any("is not a /news-events/news/ article" in warning for warning in spider.source_warnings)


# -- crawling -----------------------------------------------------------------------------


def test_the_live_crawl_asks_nist_only_month_by_month_and_reads_the_news_index():
    spider = ChipsNistSpider(since="2023-09-01", until="2023-10-15")

    async def requests():
        return [request async for request in spider.start()]

    urls = [request.url for request in asyncio.run(requests())]
    assert urls[-1] == "https://www.nist.gov/chips/chips-news-releases"
    searches = [parse_qs(urlsplit(url).query) for url in urls[:-1]]
    assert [query["conditions[publication_date][gte]"] for query in searches] == [["2023-09-01"], ["2023-10-01"]]
    assert all(
        query["conditions[agencies][]"] == ["national-institute-of-standards-and-technology"] for query in searches
    )


def test_default_urls_are_live():
    assert ChipsNistSpider().start_urls[1] == "https://www.nist.gov/chips/chips-news-releases"
    assert (
        "conditions%5Bagencies%5D%5B%5D=national-institute-of-standards-and-technology"
        in ChipsNistSpider().start_urls[0]
    )


def test_crawl_stores_and_a_second_run_changes_nothing(db_path):
    first = run_cli("crawl", "chips_nist", "--url", HERE.as_uri(), "--db", str(db_path), check=True)
    assert "chips_nist: ok, 3 items: 3 added" in first.stdout
    second = run_cli("crawl", "chips_nist", "--url", HERE.as_uri(), "--db", str(db_path), check=True)
    assert "0 added, 0 modified, 0 removed, 0 restored, 3 unchanged" in second.stdout
    with sqlite3.connect(db_path) as conn:
        types = dict(conn.execute("SELECT type, count(*) FROM documents GROUP BY type").fetchall())
    assert types == {"Press release": 2, "Rule": 1}


def test_a_crawl_below_its_declared_range_fails_and_stores_nothing(tmp_path, db_path):
    """No CHIPS document and no news page: fewer than the one item every healthy crawl has."""
    path = edited_json(tmp_path, DOCUMENTS, lambda page: page.update(count=1, results=page["results"][1:]))
    result = assert_out_of_range_crawl_fails("chips_nist", path.as_uri(), db_path)
    assert "chips_nist: item count out of range: 0 items, expected 1..2000" in result.stderr
