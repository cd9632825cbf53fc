"""The BIS Denied Persons List spider: the bis.gov page and CSV, and the retired dpl.txt (real excerpt, 2023-11)."""

import shutil
from pathlib import Path

import pytest
from scrapy.http import Request

from spiders.bis.bis_denied import BisDeniedSpider, listing_key
from spiders.kit.errors import CountOutOfRange, SourceBlocked, SourceEmpty, SourceShapeChanged, SourceTruncated
from spiders.kit.offline import follow, parse_items, response_for
from tests.kit.crawls import assert_out_of_range_crawl_fails, assert_stores_then_changes_nothing, runs
from tests.kit.files import FILES, edited, rewritten
from tests.kit.sheets import xls_file, xlsx_file
from tests.kit.spiders import by_name, fails_by_name

SPIDER = BisDeniedSpider
REPLAY = SAMPLE = TXT = FILES / "bis_denied" / "dpl.txt"
PAGE = FILES / "bis_denied" / "dpl_page.html"
CSV = FILES / "bis_denied" / "dpl_export.csv"


@pytest.fixture
def rows(items):
    return items


def written(tmp_path, text: str, name: str = "dpl.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_row_is_a_listing_and_exact_duplicates_share_an_id(rows):
    assert len(rows) == 15
    assert len({item.id for item in rows}) == 14
    zhou = [item for item in rows if item.name == "DAQING ZHOU"]
    assert len(zhou) == 2 and zhou[0].id == zhou[1].id  # the runner merges them


def test_spelling_variants_stay_separate_listings(rows):
    variants = {item.name for item in rows if "NASER AIRLINES" in item.name}
    assert variants == {"AL NASER AIRLINES", "ALNASER AIRLINES"}
    assert len({item.id for item in rows if "NASER AIRLINES" in item.name}) == 8


def test_fields_of_a_us_row(rows):
    villa = by_name(rows, "AARON ABRAHAM VILLA")
    assert villa.list_code == "DPL"
    assert villa.addresses == ["3415 RIVERA AVENUE, EL PASO, TX 79905"]
    assert villa.countries == ["US"]  # blank Country, but a US state
    assert (villa.start_date, villa.end_date) == ("2022-08-24", "2026-01-14")
    assert villa.federal_register_notice == "87 F.R. 52741 8/29/2022"
    assert villa.extra == {"standard_order": "Y", "last_update": "2022-08-29", "action": "F.R. NOTICE ADDED"}
    assert villa.entry_id == listing_key("AARON ABRAHAM VILLA", "3415 RIVERA AVENUE, EL PASO, TX 79905")


def test_ids_ignore_case_and_spacing_only():
    assert listing_key("Daqing  Zhou", "Beijing,  CN") == listing_key("DAQING ZHOU", "BEIJING, CN")
    assert listing_key("AL NASER AIRLINES", "X") != listing_key("AL-NASER AIRLINES", "X")


def test_names_are_tidied(rows):
    assert by_name(rows, "I. ASH").addresses[0].startswith("UPON THE DATE OF THE ORDER INCARCERATED")


def test_malformed_years_are_kept_and_warned(rows, spider):
    assert by_name(rows, "JOSE ERNESTO GARCIA").extra["last_update"] == "3033-09-30"
    assert by_name(rows, "GIE KERMAN AVIATION").extra["last_update"] == "1023-11-01"
    assert any("implausible Last_Update '3033-09-30' kept as printed" in w for w in spider.source_warnings)
    assert any("implausible Last_Update '1023-11-01'" in w for w in spider.source_warnings)


def test_a_country_that_is_no_iso_code_is_warned(rows, spider):
    smith = by_name(rows, "STEPHEN EDWARD SMITH")
    assert smith.countries == []
    assert any("country 'NM' is not an ISO code" in w for w in spider.source_warnings)


# -- the bis.gov page and its CSV -------------------------------------------------------------


def test_the_page_leads_to_its_csv_link(spider):
    (request,) = list(
        spider.parse(response_for(PAGE, url="https://www.bis.gov/licensing/end-user-guidance/denied-persons-list-dpl"))
    )
    assert isinstance(request, Request)
    assert request.url == "https://www.bis.gov/licensing/end-user-guidance/dpl_export.csv"
    assert request.callback == spider.parse_list


@pytest.mark.parametrize("path", [CSV, FILES / "bis_denied" / "dpl_export_normalised_headers.csv"])
def test_csv_with_either_header_style(spider, path):
    items = {item.name: item for item in parse_items(spider, response_for(path))}
    assert set(items) == {"AARON ABRAHAM VILLA", "GIE KERMAN AVIATION", "DAQING ZHOU"}
    villa = items["AARON ABRAHAM VILLA"]
    assert villa.addresses == ["3415 RIVERA AVENUE, EL PASO, TX 79905"]
    assert villa.countries == ["US"]
    assert (villa.start_date, villa.end_date) == ("2022-08-24", "2026-01-14")
    assert items["GIE KERMAN AVIATION"].countries == ["FR"]
    assert items["DAQING ZHOU"].countries == ["CN"]
    assert spider.source_warnings == []


def test_type_of_denial_is_kept(spider, tmp_path):
    path = edited(tmp_path, CSV, '"87 F.R. 52741 8/29/2022",""', '"87 F.R. 52741 8/29/2022","Standard"', name="dpl.csv")
    items = parse_items(spider, response_for(path))
    assert by_name(items, "AARON ABRAHAM VILLA").extra == {"type_of_denial": "Standard"}


def test_page_then_csv_end_to_end_over_files(spider):
    items = follow(spider, PAGE).items
    assert len(items) == 3


@pytest.mark.parametrize(
    "html, count",
    [
        ("<html><body><p>Export as PDF</p></body></html>", 0),
        ('<html><body><a href="a.csv">Export as CSV</a> <a href="b.csv">Export as CSV</a></body></html>', 2),
    ],
)
def test_a_page_without_exactly_one_csv_link_fails(spider, tmp_path, html, count):
    with pytest.raises(SourceShapeChanged, match=f"has {count} 'Export as CSV' links"):
        parse_items(spider, response_for(written(tmp_path, html, "dpl.html")))


def test_a_new_column_warns_but_parses(spider, tmp_path):
    lines = TXT.read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0] + '\t"Risk"'] + [line + '\t""' for line in lines[1:]]) + "\n"
    assert len(parse_items(spider, response_for(written(tmp_path, text)))) == 15
    assert any("new upstream column 'Risk'" in w for w in spider.source_warnings)


@pytest.mark.parametrize(
    "change, error, message",
    [
        (
            lambda t: t.replace('"Effective_Date"', '"Start"', 1),
            SourceShapeChanged,
            "header lacks column.s.: Effective_Date",
        ),
        (lambda t: t.replace('"AARON ABRAHAM VILLA"', '""', 1), SourceShapeChanged, "line 3 has no name"),
        (lambda t: t[:-300], SourceTruncated, "dpl.txt line"),
        (lambda t: "", SourceEmpty, "empty response"),
        (
            lambda t: "<html><body>The page you requested cannot be found</body></html>",
            SourceShapeChanged,
            "has 0 'Export as CSV'",
        ),
    ],
)
def test_broken_files_fail_by_name(spider, tmp_path, change, error, message):
    with fails_by_name(spider, error, match=message):
        follow(spider, rewritten(tmp_path, TXT, change))


def test_a_csv_link_answered_with_html_fails(spider, tmp_path):
    shutil.copy(PAGE, tmp_path / "dpl_page.html")
    (tmp_path / "dpl_export.csv").write_text("<html><body>Bureau of Industry and Security</body></html>")
    with pytest.raises(SourceBlocked, match="an HTML page where the file was due"):
        follow(spider, tmp_path / "dpl_page.html").items


def test_live_default_is_the_dpl_page():
    assert BisDeniedSpider().start_urls == ["https://www.bis.gov/licensing/end-user-guidance/denied-persons-list-dpl"]
    assert BisDeniedSpider.expected_items == (400, 940)


def test_crawl_from_the_page_stores_and_a_second_run_changes_nothing(db_path, tmp_path):
    shutil.copy(PAGE, tmp_path / "dpl_page.html")
    shutil.copy(CSV, tmp_path / "dpl_export.csv")
    assert_stores_then_changes_nothing(
        "bis_denied", (tmp_path / "dpl_page.html").as_uri(), db_path, 3, "--expect", "1:10"
    )


def test_duplicates_in_the_file_are_merged_and_counted(db_path):
    assert_stores_then_changes_nothing("bis_denied", TXT.as_uri(), db_path, 14, "--expect", "10:20")
    assert runs(db_path)[0]["duplicates_merged"] == 1


def test_a_crawl_below_the_declared_range_fails_and_stores_nothing(db_path):
    assert_out_of_range_crawl_fails("bis_denied", TXT.as_uri(), db_path)


# -- the export as .xlsx, .xls or .csv, under any of its headers (SOURCES_LIVE Updates) ---------------

HEADERS = {
    # The bis.gov export's own names, and the variants reported since 2025.
    "bis.gov": ["Name and Address", "Effective Date", "Expiration Date", "Appropriate Federal Register Citations"],
    "variant": ["Name_and_Address", "Beginning_Date", "Ending_Date", "FR_Citation"],
    "variant with old dates": ["Name_and_Address", "Effective_Date", "Expiration_Date", "FR_Citation"],
}


def csv_rows() -> list[list[str]]:
    """The real rows of the saved export, without its header and type-of-denial column."""
    import csv as csv_module

    rows = list(csv_module.reader(CSV.read_text(encoding="utf-8-sig").splitlines()))[1:]
    return [row[:4] for row in rows]


def unpadded(date: str) -> str:
    """'08/24/2022' -> '8/24/2022', as the export printed dates at times."""
    month, day, year = date.split("/")
    return f"{int(month)}/{int(day)}/{year}"


def xlsx(tmp_path, header, rows, name="dpl_export.xlsx", sheet="dpl", title=None):
    return xlsx_file(tmp_path / name, sheet, ([[title]] if title else []) + [header, *rows])


def xls(tmp_path, header, rows, name="dpl_export.xls"):
    return xls_file(tmp_path / name, "dpl", [header, *rows])


def page_linking(tmp_path, target) -> Path:
    """The saved DPL page, its "Export as CSV" link pointing at `target` (in tmp_path)."""
    return written(
        tmp_path, PAGE.read_text().replace('href="dpl_export.csv"', f'href="{target.name}"'), "dpl_page.html"
    )


@pytest.fixture
def from_csv(spider):
    return {item.id: item for item in follow(spider, PAGE).items}


@pytest.mark.parametrize("header", HEADERS)
@pytest.mark.parametrize("maker", [xlsx, xls])
def test_a_spreadsheet_export_reads_as_the_csv_does(tmp_path, from_csv, header, maker):
    rows = [[name, unpadded(start), unpadded(end), citation] for name, start, end, citation in csv_rows()]
    page = page_linking(tmp_path, maker(tmp_path, HEADERS[header], rows))
    spider = BisDeniedSpider(url=page.as_uri())
    read = {item.id: item for item in follow(spider, page).items}
    assert read.keys() == from_csv.keys()
    for key, item in read.items():
        assert (item.name, item.addresses, item.start_date, item.end_date, item.federal_register_notice) == (
            from_csv[key].name,
            from_csv[key].addresses,
            from_csv[key].start_date,
            from_csv[key].end_date,
            from_csv[key].federal_register_notice,
        )
    assert spider.source_warnings == []


def test_dates_the_spreadsheet_stores_as_dates_are_read(tmp_path, from_csv):
    from datetime import datetime

    rows = [[name, datetime.strptime(start, "%m/%d/%Y"), end, cite] for name, start, end, cite in csv_rows()]
    read = follow(BisDeniedSpider(url="file:///x"), xlsx(tmp_path, HEADERS["variant"], rows)).items
    assert sorted(item.start_date for item in read) == sorted(item.start_date for item in from_csv.values())


def test_a_csv_under_the_variant_header_with_unpadded_dates(tmp_path, from_csv):
    lines = CSV.read_text(encoding="utf-8-sig").splitlines()
    header = '"Name_and_Address","Beginning_Date","Ending_Date","FR_Citation","Type_of_Denial"'
    body = "\n".join([header, *(line.replace('"08/24/2022"', '"8/24/2022"') for line in lines[1:])])
    read = follow(BisDeniedSpider(url="file:///x"), written(tmp_path, body, "dpl_export.csv")).items
    assert {item.id: item.start_date for item in read} == {k: item.start_date for k, item in from_csv.items()}


def test_a_workbook_without_the_dpl_sheet_or_its_header_changed_shape(tmp_path):
    two = xlsx(tmp_path, HEADERS["variant"], csv_rows(), sheet="Sheet1")
    import openpyxl

    book = openpyxl.load_workbook(two)
    book.create_sheet("Notes")
    book.save(two)
    with pytest.raises(SourceShapeChanged, match="has no sheet 'dpl'"):
        follow(BisDeniedSpider(url="file:///x"), two)
    headless = xlsx(tmp_path, ["Party", "Date"], [["X", "1/1/2025"]], name="headless.xlsx")
    with pytest.raises(SourceShapeChanged, match="no 'Name and Address' header row"):
        follow(BisDeniedSpider(url="file:///x"), headless)


def test_a_live_file_of_only_the_recent_changes_rows_is_named(tmp_path):
    recent = xlsx(tmp_path, HEADERS["bis.gov"], csv_rows(), title="Recent Changes")
    spider = BisDeniedSpider()  # live: the spider checks the file's own size
    with fails_by_name(spider, CountOutOfRange, match="3 rows, expected 400..940: the file holds only the 'Recent"):
        list(spider.parse_list(response_for(recent, url="https://media.bis.gov/sites/default/files/dpl.xlsx")))
    assert "its title says so" in str(spider_error(spider, recent))
    untitled = written(tmp_path, CSV.read_text(encoding="utf-8-sig"), "dpl_export.csv")
    assert "as in December 2025?" in str(spider_error(spider, untitled))


def spider_error(spider, path):
    try:
        list(spider.parse_list(response_for(path, url="https://media.bis.gov/sites/default/files/" + path.name)))
    except CountOutOfRange as error:
        return error
    raise AssertionError("no CountOutOfRange")
