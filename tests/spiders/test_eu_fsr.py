"""The FSR spider: cards of the FSR latest-news listing, completed from the press corner on request."""

import json

import pytest

from spiders.eu.eu_fsr import EuFsrSpider, press_reference
from spiders.kit.errors import SourceShapeChanged
from spiders.kit.offline import parse_items, response_for
from tests.kit.cli import run_cli
from tests.kit.crawls import assert_out_of_range_crawl_fails
from tests.kit.files import FILES, edited, written
from tests.kit.spiders import fails_by_name

SPIDER = EuFsrSpider
REPLAY = HERE = FILES / "eu_fsr"
SAMPLE = PAGE = HERE / "latest-news.html"
LIVE = "https://competition-policy.ec.europa.eu/foreign-subsidies-regulation/latest-news_en"
# The press corner's documented example reference (SOURCES_LIVE.md §9.3), to check how links are read.
PRESS_LINK = "https://ec.europa.eu/commission/presscorner/detail/en/ip_26_1799"
CRRC = "Commission opens first in-depth investigation under the Foreign Subsidies Regulation"


@pytest.fixture
def cards(items):
    return items


def linked_to_the_press_corner(tmp_path):
    return edited(
        tmp_path,
        PAGE,
        f"data-ecl-title-link>{CRRC}</div>",
        f'data-ecl-title-link><a href="{PRESS_LINK}" class="ecl-link ecl-link--standalone">{CRRC}</a></div>',
    )


def test_every_card_is_a_document(cards):
    assert [card.publication_date for card in cards] == ["2024-06-07", "2024-04-03", "2024-02-16"]
    assert all(
        (card.jurisdiction, card.language, card.publisher) == ("EU", "en", "European Commission, DG Competition")
        for card in cards
    )


@pytest.mark.parametrize(
    "index, kind, stage",
    [
        (0, "News", "Investigation closed"),
        (1, "Press release", "In-depth investigation opened"),
        (2, "Press release", "In-depth investigation opened"),
    ],
)
def test_type_and_stage(cards, index, kind, stage):
    assert (cards[index].type, cards[index].subtype) == (kind, stage)


def test_a_linked_card_is_keyed_by_its_address(cards):
    closed = cards[0]
    assert closed.document_number == (
        "public-buyers-community.ec.europa.eu/news/"
        "commission-closes-two-depth-investigations-solar-photovoltaic-sector-following-withdrawal"
    )
    assert closed.html_url.startswith("https://public-buyers-community.ec.europa.eu/news/")
    assert closed.abstract.startswith("ENEVO and Shanghai Electric have announced their withdrawal")


def test_a_card_without_a_link_is_keyed_by_date_and_title(cards, spider, tmp_path):
    crrc = cards[2]
    assert crrc.title == CRRC
    assert crrc.document_number.startswith("card-") and crrc.html_url is None
    reworded = parse_items(spider, response_for(edited(tmp_path, PAGE, "2024-02-16T12:00:00Z", "2024-02-19T12:00:00Z")))
    assert reworded[2].document_number != crrc.document_number
    assert parse_items(EuFsrSpider(), response_for(PAGE))[2].document_number == crrc.document_number  # stable


def test_a_press_release_link_gives_its_reference(spider, tmp_path):
    crrc = parse_items(spider, response_for(linked_to_the_press_corner(tmp_path)))[2]
    assert crrc.document_number == "IP/26/1799"
    assert crrc.html_url == PRESS_LINK


@pytest.mark.parametrize(
    "url, reference",
    [
        (PRESS_LINK, "IP/26/1799"),
        ("https://ec.europa.eu/commission/presscorner/detail/en/statement_24_1234", "STATEMENT/24/1234"),
        ("https://competition-policy.ec.europa.eu/foreign-subsidies-regulation_en", None),
        (None, None),
    ],
)
def test_press_references(url, reference):
    assert press_reference(url) == reference


def test_with_full_text_a_press_release_is_read_from_the_press_corner(tmp_path):
    path = linked_to_the_press_corner(tmp_path)
    replaying = EuFsrSpider(url=path.as_uri(), full_text=True)
    requests = [obj for obj in replaying.parse(response_for(path)) if hasattr(obj, "callback")]
    assert [request.url for request in requests] == [(tmp_path / "presscorner" / "IP_26_1799.json").as_uri()]
    live = EuFsrSpider(full_text=True)
    requests = [
        obj
        for obj in live.parse(response_for(path, url=LIVE))
        if hasattr(obj, "cb_kwargs") and "document" in obj.cb_kwargs
    ]
    assert (
        requests[0].url
        == "https://ec.europa.eu/commission/presscorner/api/documents?reference=IP%2F26%2F1799&language=en"
    )


def test_the_press_release_text_becomes_full_text(spider, cards, tmp_path):
    """The answer is built from the card's own words: the release's text is not recorded here."""
    closed = cards[0]
    answer = tmp_path / "release.json"
    answer.write_text(
        json.dumps(
            {
                "docuLanguageResource": {
                    "title": closed.title,
                    "htmlContent": f"<p>{closed.abstract}</p><p>As a consequence, the Commission will close its investigations.</p>",
                }
            }
        )
    )
    [document] = parse_items(
        spider, response_for(answer), callback=lambda r: spider.parse_press_release(r, document=closed)
    )
    assert document.full_text.endswith("As a consequence, the Commission will close its investigations.")
    assert document.full_text.startswith("ENEVO and Shanghai Electric")


def test_a_press_release_answer_for_another_reference_warns(spider, cards, tmp_path):
    answer = tmp_path / "release.json"
    answer.write_text(json.dumps({"refCd": "IP/24/1", "docuLanguageResource": {"htmlContent": "<p>Text.</p>"}}))
    [document] = parse_items(
        spider, response_for(answer), callback=lambda r: spider.parse_press_release(r, document=cards[2])
    )
    assert document.abstract == "Text."  # the card had none
    assert any("answered IP/24/1 for card-" in warning for warning in spider.source_warnings)


def test_a_press_release_answer_without_text_fails(spider, cards, tmp_path):
    answer = tmp_path / "release.json"
    answer.write_text(json.dumps({"refCd": "IP/24/1", "docuLanguageResource": None}))
    with pytest.raises(SourceShapeChanged, match="has no docuLanguageResource.htmlContent"):
        parse_items(spider, response_for(answer), callback=lambda r: spider.parse_press_release(r, document=cards[2]))


def test_a_new_part_of_a_card_warns(spider, tmp_path):
    path = edited(
        tmp_path,
        PAGE,
        '<div class="ecl-content-block__description">',
        '<ul class="ecl-content-block__label-container"><li>Closed</li></ul><div class="ecl-content-block__description">',
    )
    assert len(parse_items(spider, response_for(path))) == 3
    assert (
        "latest-news card: new upstream part 'ecl-content-block__label-container' is not read" in spider.source_warnings
    )


@pytest.mark.parametrize(
    "old, new, missing",
    [
        ('<time datetime="2024-04-03T12:00:00Z">3 April 2024</time>', "", "date"),
        ("data-ecl-title-link>Commission opens two", "data-ecl-title-link><!-- -->", "title"),
    ],
)
def test_a_card_missing_a_required_part_fails(spider, tmp_path, old, new, missing):
    path = edited(tmp_path, PAGE, old, new)
    if missing == "title":
        path = edited(
            tmp_path,
            path,
            "<!-- --> in-depth investigations under the Foreign Subsidies Regulation in the solar photovoltaic sector",
            "",
            count=-1,
        )
    with pytest.raises(SourceShapeChanged, match=f"card 2 lacks {missing}"):
        parse_items(spider, response_for(path))


def test_a_date_printed_only_as_text_is_read(spider, tmp_path):
    path = edited(tmp_path, PAGE, '<time datetime="2024-04-03T12:00:00Z">3 April 2024</time>', "3 April 2024")
    assert parse_items(spider, response_for(path))[1].publication_date == "2024-04-03"


@pytest.mark.parametrize(
    "body, error, message",
    [
        ("", "SourceEmpty", "empty response"),
        ('{"error": "blocked"}', "SourceShapeChanged", "does not look like the expected format"),
        (
            "<!DOCTYPE html><html><head><title>Access Denied</title></head><body></body></html>",
            "SourceBlocked",
            'a challenge page \\(a page titled "Access Denied"\\)',
        ),
    ],
)
def test_broken_pages_fail_by_name(spider, tmp_path, body, error, message):
    with fails_by_name(spider, Exception, match=message) as raised:
        parse_items(spider, response_for(written(tmp_path, "latest-news.html", body)))
    assert type(raised.value).__name__ == error


def test_a_live_page_follows_its_pager_a_recorded_one_does_not(spider):
    assert not [obj for obj in spider.parse(response_for(PAGE)) if hasattr(obj, "callback")]
    live = [obj for obj in EuFsrSpider().parse(response_for(PAGE, url=LIVE)) if hasattr(obj, "callback")]
    assert [request.url for request in live] == [LIVE + "?page=1"]
    assert not [obj for obj in EuFsrSpider().parse(response_for(PAGE, url=LIVE), page=4) if hasattr(obj, "callback")]


def test_default_url_is_the_live_listing():
    assert EuFsrSpider().start_urls == [LIVE]


def test_crawl_stores_and_a_second_run_changes_nothing(db_path):
    first = run_cli("crawl", "eu_fsr", "--url", HERE.as_uri(), "--db", str(db_path), check=True)
    assert "eu_fsr: ok, 3 items: 3 added" in first.stdout
    second = run_cli("crawl", "eu_fsr", "--url", HERE.as_uri(), "--db", str(db_path), check=True)
    assert "0 added, 0 modified, 0 removed, 0 restored, 3 unchanged" in second.stdout


def test_a_crawl_out_of_its_range_fails_and_stores_nothing(db_path):
    result = assert_out_of_range_crawl_fails("eu_fsr", PAGE.as_uri(), db_path, "--expect", "5:50")
    assert "eu_fsr: item count out of range: 3 items, expected 5..50" in result.stderr
