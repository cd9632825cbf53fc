"""The public-inspection spider on saved issues, and the view linking filings to published documents."""

import sqlite3
from datetime import date

import pytest

from pipeline import store
from spiders.federal_register.federal_register import FederalRegisterSpider
from spiders.federal_register.federal_register_public_inspection import (
    FederalRegisterPublicInspectionSpider,
    issue_days,
)
from spiders.kit.errors import SourceBlocked, SourceEmpty, SourceShapeChanged, SourceTruncated
from spiders.kit.items import Document, as_record
from spiders.kit.offline import parse_items, response_for
from tests.kit.cli import run_cli
from tests.kit.crawls import assert_out_of_range_crawl_fails
from tests.kit.files import FILES, edited_json, written
from tests.kit.spiders import fails_by_name

SPIDER = FederalRegisterPublicInspectionSpider
HERE = FILES / "federal_register_public_inspection"
REPLAY = SAMPLE = CURRENT = HERE / "current.json"
NAME = "federal_register_public_inspection"


@pytest.fixture
def documents(items):
    return {item.document_number: item for item in items}


def test_only_our_agencies_are_kept(documents):
    # The ITC special filing, the Interior notice and the State notice are other agencies' filings.
    assert sorted(documents) == ["2024-00273", "2024-00274", "2024-00320", "2024-00321", "2024-00329", "2024-00359"]
    assert all(isinstance(item, Document) for item in documents.values())


@pytest.mark.parametrize(
    "number, publisher, slug",
    [
        ("2024-00273", "Foreign Assets Control Office", "foreign-assets-control-office"),
        ("2024-00329", "International Trade Administration", "international-trade-administration"),
        ("2024-00359", "Industry and Security Bureau", "industry-and-security-bureau"),
    ],
)
def test_fields(documents, number, publisher, slug):
    document = documents[number]
    assert document.id == f"{NAME}:{number}"
    assert document.publisher == publisher
    assert document.agency_slugs == [slug]
    assert document.publication_date == "2024-01-10"
    assert document.jurisdiction == "US"
    assert document.type == "Notice"
    assert document.pdf_url == f"https://public-inspection.federalregister.gov/{number}.pdf"
    assert document.html_url.startswith(f"https://www.federalregister.gov/public-inspection/{number}/")
    assert document.extra["filed_at"] == "2024-01-09T08:45:00.000-05:00"
    assert document.extra["filing_type"] == "regular"
    assert "editorial_note" not in document.extra


def test_titles_lose_the_trailing_blank_and_dockets_are_kept(documents):
    assert documents["2024-00273"].title == "Notice of OFAC Sanctions Actions"
    assert documents["2024-00329"].docket_ids == ["A-570-062, C-570-063"]
    assert (
        documents["2024-00329"].full_text_url
        == "https://www.federalregister.gov/public-inspection/raw_text/202/400/329.txt"
    )


def test_a_special_filing_of_ours_is_marked(spider, tmp_path):
    def special(issue):
        issue["results"][1]["filing_type"] = "special"
        issue["results"][1]["filed_at"] = "2024-01-08T16:15:00.000-05:00"

    items = parse_items(spider, response_for(edited_json(tmp_path, CURRENT, special)))
    assert items[0].document_number == "2024-00273"
    assert items[0].extra["filing_type"] == "special"
    assert items[0].extra["filed_at"] == "2024-01-08T16:15:00.000-05:00"


def test_a_withdrawn_filing_keeps_its_note_and_has_no_dates(spider, tmp_path):
    note = "An agency letter requesting withdrawal of this document was received after placement on public inspection."

    def withdraw(issue):
        issue["results"][1].update(filed_at=None, publication_date=None, editorial_note=note)

    withdrawn = parse_items(spider, response_for(edited_json(tmp_path, CURRENT, withdraw)))[0]
    assert withdrawn.document_number == "2024-00273"
    assert withdrawn.publication_date is None
    assert withdrawn.extra == {
        "filing_type": "regular",
        "editorial_note": note,
        "pdf_updated_at": "2024-01-09T08:45:19.000-05:00",
        "json_url": "https://www.federalregister.gov/api/v1/public_inspection_documents/2024-00273",
    }


def test_an_agency_known_only_by_name_is_kept_with_a_warning(spider, tmp_path):
    def unmatched(issue):
        issue["results"][1]["agencies"] = [{"raw_name": "Office of Foreign Assets Control"}]

    document = parse_items(spider, response_for(edited_json(tmp_path, CURRENT, unmatched)))[0]
    assert document.document_number == "2024-00273"
    assert document.publisher == "Office of Foreign Assets Control"
    assert document.agency_slugs == []
    assert any("'Office of Foreign Assets Control' has no Federal Register match" in w for w in spider.source_warnings)


def test_a_repeated_filing_is_yielded_once_newest_issue_first(spider):
    """The ITC special filing is in both issues; BIS 2024-00190 only in the older one."""
    first = list(spider.parse(response_for(CURRENT), queue=[(HERE / "2024-01-08.json").as_uri()]))
    follow_up = first[-1]
    assert follow_up.url.endswith("2024-01-08.json")
    assert "2024-00464" in follow_up.cb_kwargs["seen"]
    older = parse_items(
        spider,
        response_for(HERE / "2024-01-08.json"),
        callback=lambda response: spider.parse(response, **{"queue": [], "seen": follow_up.cb_kwargs["seen"]}),
    )
    assert [item.document_number for item in older] == ["2024-00190", "2024-00227"]


def test_a_directory_is_read_current_issue_first():
    spider = FederalRegisterPublicInspectionSpider(url=HERE.as_uri())
    assert [url.rsplit("/", 1)[-1] for url in spider._replay_urls()] == ["current.json", "2024-01-08.json"]


def test_a_new_upstream_field_warns(spider, tmp_path):
    path = edited_json(
        tmp_path,
        CURRENT,
        lambda issue: issue["results"][1].update(agency_letters=[]) or issue["results"][1].update(risk=1),
    )
    parse_items(spider, response_for(path))
    assert any("new upstream field 'risk'" in warning for warning in spider.source_warnings)
    assert not any("'agency_letters'" in warning for warning in spider.source_warnings)


def test_a_missing_required_field_fails(spider, tmp_path):
    path = edited_json(tmp_path, CURRENT, lambda issue: issue["results"][3].pop("filing_type"))
    with pytest.raises(SourceShapeChanged, match="result 4 lacks required field.*filing_type"):
        parse_items(spider, response_for(path))


def test_an_empty_issue_is_healthy(spider, tmp_path):
    assert parse_items(spider, response_for(written(tmp_path, "current.json", '{"count": 0, "results": []}'))) == []


def test_an_issue_holding_fewer_results_than_its_count_is_truncated(spider, tmp_path):
    """An issue is not paginated and its count is its number of results: fewer is a cut answer."""
    with fails_by_name(spider, SourceTruncated, match="current.json holds 7 documents, its count says 9"):
        parse_items(
            spider,
            response_for(edited_json(tmp_path, CURRENT, lambda issue: issue.update(results=issue["results"][:7]))),
        )


@pytest.mark.parametrize(
    "body, error",
    [
        ("", SourceEmpty),
        ("<html><title>Request blocked</title></html>", SourceBlocked),
        ('{"results": []}', SourceShapeChanged),
        ('{"count": 3}', SourceShapeChanged),
        ('{"count": 1, "results": ["2024-00273"]}', SourceShapeChanged),
    ],
)
def test_broken_answers_fail_by_name(spider, tmp_path, body, error):
    with fails_by_name(spider, error):
        parse_items(spider, response_for(written(tmp_path, "current.json", body)))


def test_live_crawl_reads_the_current_issue_then_each_business_day_back():
    spider = FederalRegisterPublicInspectionSpider(since="2024-01-10")
    urls = spider._live_urls(date(2024, 1, 15))  # a Monday
    assert "/current.json?" in urls[0]
    days = [url.split("conditions%5Bavailable_on%5D=")[1][:10] for url in urls[1:]]
    assert days == ["2024-01-15", "2024-01-12", "2024-01-11", "2024-01-10"]  # the weekend has no issues
    assert all("&_=" in url and "fields%5B%5D=filing_type" in url for url in urls)


def test_a_watermark_in_the_future_still_reads_a_few_days_back():
    spider = FederalRegisterPublicInspectionSpider(since="2024-01-16")
    assert len(spider._live_urls(date(2024, 1, 15))) == 1 + len(issue_days(date(2024, 1, 11), date(2024, 1, 15)))


def test_a_long_backfill_is_capped_with_a_warning():
    spider = FederalRegisterPublicInspectionSpider(since="2020-01-01")
    urls = spider._live_urls(date(2024, 1, 15))
    assert len(urls) < 80
    assert any("more than 92 days back" in warning for warning in spider.source_warnings)


def test_default_url_is_the_live_current_issue():
    assert (
        FederalRegisterPublicInspectionSpider()
        .start_urls[0]
        .startswith("https://www.federalregister.gov/api/v1/public-inspection-documents/current.json?")
    )


# -- the link to the published document ----------------------------------------------


def stored(db, items, now="2024-01-09T14:00:00Z"):
    run_id = store.start_run(db, items[0].source, "documents", "test", now)
    store.apply_documents(db, run_id, [as_record(item) for item in items], now)


def test_the_view_links_a_filing_to_its_published_version(db, spider, tmp_path):
    note = "An agency letter requesting withdrawal of this document was received after placement on public inspection."
    path = edited_json(
        tmp_path,
        CURRENT,
        lambda issue: issue["results"][6].update(filed_at=None, publication_date=None, editorial_note=note),
    )
    stored(db, parse_items(spider, response_for(path)))
    published = parse_items(
        FederalRegisterSpider(), response_for(FILES / "federal_register" / "documents_2024-01.json")
    )
    stored(db, published, now="2024-01-10T12:00:00Z")
    rows = {row["document_number"]: row for row in db.query("SELECT * FROM public_inspection_links")}
    assert len(rows) == 6
    ofac = rows["2024-00273"]
    assert ofac["status"] == "published"
    assert ofac["pi_id"] == f"{NAME}:2024-00273"
    assert ofac["published_id"] == "federal_register:2024-00273"
    assert ofac["citation"] == "89 FR 1628"
    assert ofac["days_ahead"] == 1.0
    assert ofac["first_seen_on_inspection"] < ofac["published_first_seen"]
    assert rows["2024-00359"]["status"] == "withdrawn"  # BIS 2024-00359 is not in the published sample
    assert rows["2024-00359"]["published_id"] is None


def test_a_filing_whose_published_version_is_not_stored_yet_is_on_inspection(db, spider):
    stored(db, parse_items(spider, response_for(CURRENT)))
    statuses = {row["status"] for row in db.query("SELECT status FROM public_inspection_links")}
    assert statuses == {"on public inspection"}


# -- end to end through the Scrapy engine -------------------------------------------


def test_crawl_stores_and_a_second_run_changes_nothing(db_path):
    first = run_cli("crawl", NAME, "--url", HERE.as_uri(), "--db", str(db_path), check=True)
    assert f"{NAME}: ok, 8 items: 8 added" in first.stdout
    second = run_cli("crawl", NAME, "--url", HERE.as_uri(), "--db", str(db_path), check=True)
    assert "0 added, 0 modified, 0 removed, 0 restored, 8 unchanged" in second.stdout
    assert "appears twice" not in second.stderr  # the repeated special filing is skipped, not merged
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM changes").fetchone()[0] == 8


def test_a_crawl_out_of_its_range_fails_and_stores_nothing(db_path):
    result = assert_out_of_range_crawl_fails(NAME, HERE.as_uri(), db_path, "--expect", "20:30")
    assert "item count out of range: 8 items, expected 20..30" in result.stderr


def test_the_site_describes_the_view(tmp_path, spider):
    """Datasette serves the view with the description from datasette_metadata.json."""
    import asyncio

    from sqlite_utils import Database

    from pipeline import site
    from pipeline.store import ensure_schema

    db_path = tmp_path / "chokepoint.db"
    database = Database(db_path)
    ensure_schema(database)
    stored(database, parse_items(spider, response_for(CURRENT)))
    database.close()

    async def fetch():
        datasette = site.make_datasette(db_path)
        page = await datasette.client.get("/chokepoint/public_inspection_links")
        rows = await datasette.client.get(
            "/chokepoint/public_inspection_links.json?_shape=array&status=on+public+inspection"
        )
        return page, rows

    page, rows = asyncio.run(fetch())
    assert page.status_code == 200
    assert "Public inspection and publication" in page.text
    assert "how early public inspection told us" in page.text
    assert len(rows.json()) == 6
