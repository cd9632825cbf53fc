"""The METI spider: the End User List PDF (built by tests/sample_pdf.py) and the numbered export-ban lists as text."""

import copy

import pytest
from scrapy.http import Request

from spiders.kit.errors import CountOutOfRange, SourceBlocked, SourceShapeChanged
from spiders.kit.items import Listing
from spiders.kit.offline import parse_items, response_for
from spiders.meti import sample_pdf
from spiders.meti.meti_end_user import END_USER_PAGE, END_USER_PAGE_JA, RUSSIA_PAGE, MetiEndUserSpider
from tests.kit.crawls import assert_crawls_twice_without_changes, assert_out_of_range_crawl_fails, stored
from tests.kit.files import FILES, edited, written
from tests.kit.sheets import xlsx_file

HERE = FILES / "meti_end_user"
SAMPLE_PDF = FILES / "meti_end_user" / "end_user_list.pdf"
RUSSIA_TEXT = HERE / "list_russia_excerpt.pdf.txt"


@pytest.fixture
def spider():
    return MetiEndUserSpider(url="file:///replay")


def pdf_listings(spider, path):
    return parse_items(spider, response_for(path), callback=spider.parse_document)


def built(tmp_path, pages, name="end_user_list.pdf"):
    return sample_pdf.build(tmp_path / name, pages)


# -- End User List PDF ----------------------------------------------------------------


def test_the_bundled_pdf_is_what_the_builder_makes(tmp_path, spider):
    fresh = pdf_listings(spider, sample_pdf.build(tmp_path / "fresh.pdf"))
    assert [item.id for item in pdf_listings(spider, SAMPLE_PDF)] == [item.id for item in fresh]


@pytest.mark.parametrize(
    "index, name, country, country_ja, wmd, remarks",
    [
        (0, "Aerospace Industries Organization (AIO)", "IR", "イラン", ["M"], "Type of WMD: missile (M)"),
        (1, "Pakistan Atomic Energy Commission (PAEC)", "PK", "パキスタン", ["N"], "Type of WMD: nuclear (N)"),
    ],
)
def test_end_user_list_rows(spider, index, name, country, country_ja, wmd, remarks):
    item = pdf_listings(spider, SAMPLE_PDF)[index]
    assert isinstance(item, Listing)
    assert (item.list_code, item.list_name) == ("METI-EUL", "METI End User List")
    assert item.name == name  # row 2 continues on page 2 with an empty No. cell: merged
    assert item.countries == [country]
    assert item.extra["country_ja"] == country_ja and item.extra["type_of_wmd"] == wmd
    assert item.remarks == remarks
    assert item.source_list_url == END_USER_PAGE
    assert item.entry_id.startswith("h")


def test_aliases_bullets_and_a_repeated_header_page(spider, tmp_path):
    pages = copy.deepcopy(sample_pdf.PAGES)
    pages[0][1][3] = "・AIO"
    pages[1].insert(0, sample_pdf.HEADER)  # some revisions repeat the header on every page
    items = pdf_listings(spider, built(tmp_path, pages))
    assert [item.alt_names for item in items] == [["AIO"], []]
    assert items[1].name == "Pakistan Atomic Energy Commission (PAEC)"


def test_a_new_column_warns_and_is_kept(spider, tmp_path):
    pages = copy.deepcopy(sample_pdf.PAGES)
    pages[0][0] = [*pages[0][0], "備考\nRemarks"]
    for row in pages[0][1:] + pages[1]:
        row.append("")
    pages[0][1][-1] = "2025"
    items = pdf_listings(spider, built(tmp_path, pages))
    assert items[0].extra["remarks"] == "2025"
    assert any("new upstream column 'remarks'" in warning for warning in spider.source_warnings)


def test_a_missing_required_column_fails(spider, tmp_path):
    pages = copy.deepcopy(sample_pdf.PAGES)
    pages[0][0][4] = "懸念区分\nConcern"
    with pytest.raises(SourceShapeChanged, match="header lacks wmd"):
        pdf_listings(spider, built(tmp_path, pages))


def test_a_gap_in_the_numbers_fails(spider, tmp_path):
    pages = copy.deepcopy(sample_pdf.PAGES)
    pages[0][2][0] = "3"
    with pytest.raises(SourceShapeChanged, match="row No. 3 follows No. 1"):
        pdf_listings(spider, built(tmp_path, pages))


def test_a_challenge_page_instead_of_the_pdf_is_a_block(spider, tmp_path):
    page = tmp_path / "20250929_3.pdf"
    page.write_bytes(b"<!DOCTYPE html><html><head><title>Access Denied</title></head></html>")
    with pytest.raises(SourceBlocked, match="Access Denied"):
        pdf_listings(spider, page)


def test_another_file_instead_of_the_pdf_changed_shape(spider, tmp_path):
    page = written(tmp_path, "20250929_3.pdf", b"GIF89a an image")
    with pytest.raises(SourceShapeChanged, match="does not look like the expected format"):
        pdf_listings(spider, page)


def test_a_live_list_out_of_its_own_range_fails():
    with pytest.raises(CountOutOfRange, match="2 METI-EUL entries, expected 500..2000"):
        pdf_listings(MetiEndUserSpider(), SAMPLE_PDF)


# -- numbered export-ban lists ------------------------------------------------------------


@pytest.fixture
def russia(spider):
    return pdf_listings(spider, RUSSIA_TEXT)


def test_numbered_list_as_text(russia):
    assert [item.name for item in russia] == [
        "Federal Security Service (FSB)",
        "Main Intelligence Directorate",
        "Rostec (Russian Technologies State Corporation)",
    ]
    assert {item.list_code for item in russia} == {"METI-RU"}
    assert {tuple(item.programs) for item in russia} == {("令和四年外務省告示第八十二号",)}
    assert all(item.countries == ["RU"] and item.source_list_url == RUSSIA_PAGE for item in russia)
    fsb, gru, rostec = russia
    assert fsb.alt_names == ["Federalnaya Sluzhba Bezopasnosti", "連邦保安庁"]
    assert fsb.addresses == [
        "Ulitsa Kuznetskiy Most, Dom 22, Moscow 107031, Russia",
        "Lubyanskaya Ploschad, Dom 2, Moscow 107031, Russia",
    ]
    assert gru.alt_names == [
        "Glavnoe Razvedyvatel’noe Upravlenie",
        "GRU",
        "Main Intelligence Department",
        "参謀本部情報総局",
        "情報総局",
    ]
    assert gru.extra == {"name_ja": "参謀本部情報総局"}
    assert rostec.addresses == ["24 Usacheva Street, Moscow, Russia 119048"]  # started mid-line after GRU's address


def test_the_same_list_as_a_pdf(spider, russia, tmp_path):
    lines = RUSSIA_TEXT.read_text().splitlines()
    path = built(tmp_path, [[[line] for line in lines]], name="list_russia_tokutei.pdf")
    from_pdf = pdf_listings(spider, path)
    assert [(item.id, item.alt_names) for item in from_pdf] == [(item.id, item.alt_names) for item in russia]


def test_a_missing_entry_number_fails(spider, tmp_path):
    path = edited(tmp_path, RUSSIA_TEXT, "２ 参謀本部", "参謀本部", count=-1, name="list.pdf.txt")
    with pytest.raises(SourceShapeChanged, match="entry 2 is missing but entry 3 follows entry 1"):
        pdf_listings(spider, path)


def test_an_unknown_list_title_fails(spider, tmp_path):
    path = edited(tmp_path, RUSSIA_TEXT, "ロシア連邦の団体", "団体", count=-1, name="list.pdf.txt")
    with pytest.raises(SourceShapeChanged, match="unknown list title"):
        pdf_listings(spider, path)


# -- navigation ------------------------------------------------------------------------


def followed(spider, name, url):
    return [r for r in spider.parse(response_for(HERE / name, url=url)) if isinstance(r, Request)]


def test_the_crawl_discovers_the_pdfs():
    spider = MetiEndUserSpider()
    assert spider.start_urls == [END_USER_PAGE_JA, RUSSIA_PAGE]
    [review] = followed(spider, "trade_control_index.html", END_USER_PAGE)
    assert review.callback == spider.parse_page
    [pdf] = followed(spider, "review_end_user_list.html", review.url)
    assert pdf.url == "https://www.meti.go.jp/policy/anpo/20250929_3.pdf"
    assert pdf.callback == spider.parse_document
    lists = followed(spider, "russia_measures.html", RUSSIA_PAGE)
    assert [request.url.rsplit("/", 1)[1] for request in lists] == [
        "list_belarus_tokutei.pdf",
        "250912_list_russia_tokutei.pdf",
        "250912_list_daisangoku_tokutei.pdf",
    ]
    assert spider.custom_settings["USER_AGENT"].startswith("Mozilla/5.0")


def test_two_end_user_list_pdfs_take_the_first_and_warn(tmp_path):
    page = edited(
        tmp_path,
        HERE / "review_end_user_list.html",
        "</ul>",
        '<li><a href="/policy/anpo/20240101_1.pdf">End User List (PDF)</a></li></ul>',
        count=-1,
        name="review.html",
    )
    spider = MetiEndUserSpider()
    [pdf] = [r for r in spider.parse(response_for(page, url=END_USER_PAGE)) if isinstance(r, Request)]
    assert pdf.url.endswith("20250929_3.pdf")
    assert any("2 End User List PDF links" in warning for warning in spider.source_warnings)


def test_a_page_without_the_links_fails(spider, tmp_path):
    page = written(tmp_path, "index.html", "<html><body><p>Trade control</p><a href='/x.html'>News</a></body></html>")
    with pytest.raises(SourceShapeChanged, match="no link to the End User List"):
        list(spider.parse(response_for(page, url=END_USER_PAGE)))


def test_a_challenge_page_instead_of_the_page_is_a_block(spider):
    with pytest.raises(SourceBlocked, match="Access Denied"):
        list(spider.parse(response_for(FILES / "fcc_covered" / "access_denied.html", url=END_USER_PAGE)))


# -- end to end ---------------------------------------------------------------------------


def test_crawl_a_directory_of_lists_twice(db_path, tmp_path):
    folder = tmp_path / "meti"
    folder.mkdir()
    (folder / "end_user_list.pdf").write_bytes(SAMPLE_PDF.read_bytes())
    (folder / "list_russia_excerpt.pdf.txt").write_text(RUSSIA_TEXT.read_text())
    (folder / "page_content.txt").write_text("not a list: skipped")
    run = assert_crawls_twice_without_changes("meti_end_user", folder.as_uri() + "/", db_path, "--expect", "1:10")
    assert run["added"] == 5
    codes = sorted(row["list_code"] for row in stored(db_path, "meti_end_user"))
    assert codes == ["METI-EUL"] * 2 + ["METI-RU"] * 3


def test_a_crawl_below_the_declared_range_fails_and_stores_nothing(db_path):
    assert_out_of_range_crawl_fails("meti_end_user", SAMPLE_PDF.as_uri(), db_path)  # 2 entries, 20 expected at least


# -- the End User List's XLSX copy, preferred to the PDF ---------------------------------------

XLSX_HEADER = ["No.", "国名", "企業名", "別名", "懸念区分", "通常兵器"]  # as reported for the 2025-09-29 revision
XLSX_URL = "https://www.meti.go.jp/policy/anpo/20250929_4.xlsx"


def xlsx(tmp_path, rows, sheet="ユーザーリスト", header=XLSX_HEADER, name="20250929_4.xlsx"):
    """The XLSX copy, with the PDF sample's entries (one row each, as a spreadsheet holds them)."""
    return xlsx_file(tmp_path / name, sheet, [header, *rows])


SAMPLE_ROWS = [
    [1, "イラン\nIran", "Aerospace Industries Organization (AIO)", None, "M", None],
    [2, "パキスタン\nPakistan", "Pakistan Atomic Energy Commission (PAEC)", None, "N", None],
]


def test_the_xlsx_reads_as_the_pdf_does(tmp_path, spider):
    from_pdf = pdf_listings(spider, SAMPLE_PDF)
    from_sheet = pdf_listings(spider, xlsx(tmp_path, SAMPLE_ROWS))
    assert [(i.id, i.name, i.countries, i.remarks, i.extra) for i in from_sheet] == [
        (i.id, i.name, i.countries, i.remarks, i.extra) for i in from_pdf
    ]
    assert spider.source_warnings == []


def test_the_conventional_weapons_column_of_the_2025_revision(tmp_path, spider):
    rows = copy.deepcopy(SAMPLE_ROWS)
    rows[0][5] = "CW"
    aio, _ = pdf_listings(spider, xlsx(tmp_path, rows))
    assert aio.extra["type_of_wmd"] == ["M", "CW"]
    assert aio.remarks == "Type of WMD: missile (M), conventional weapons (CW)"


def test_an_xlsx_without_the_list_sheet_or_its_columns_changed_shape(tmp_path, spider):
    import openpyxl

    other = xlsx(tmp_path, SAMPLE_ROWS, sheet="Sheet1")
    book = openpyxl.load_workbook(other)
    book.create_sheet("Notes")
    book.save(other)
    with pytest.raises(SourceShapeChanged, match="has no sheet 'ユーザーリスト'"):
        pdf_listings(spider, other)
    renamed = xlsx(tmp_path, SAMPLE_ROWS, header=["No.", "国", "企業名", "別名", "区分", "通常兵器"], name="r.xlsx")
    with pytest.raises(SourceShapeChanged, match="header lacks country, wmd"):
        pdf_listings(spider, renamed)


def test_the_japanese_page_leads_to_the_xlsx_with_the_english_pages_as_fallback():
    spider = MetiEndUserSpider()
    [sheet] = followed(spider, "law00.html", END_USER_PAGE_JA)
    assert sheet.url == XLSX_URL
    assert sheet.callback == spider.parse_end_user_sheet
    assert sheet.cb_kwargs == {"fallback": END_USER_PAGE}


def test_a_page_linking_the_xlsx_and_the_pdf_takes_the_xlsx_and_keeps_the_pdf_as_fallback(tmp_path):
    page = edited(
        tmp_path,
        HERE / "review_end_user_list.html",
        "</ul>",
        '<li><a href="/policy/anpo/20250929_4.xlsx">End User List (Excel)</a></li></ul>',
        name="review.html",
    )
    spider = MetiEndUserSpider()
    [sheet] = [r for r in spider.parse(response_for(page, url=END_USER_PAGE)) if isinstance(r, Request)]
    assert sheet.url == XLSX_URL
    assert sheet.cb_kwargs == {"fallback": "https://www.meti.go.jp/policy/anpo/20250929_3.pdf"}


def test_an_xlsx_that_cannot_be_read_falls_back_to_the_pdf_with_a_warning(tmp_path):
    spider = MetiEndUserSpider()
    broken = written(tmp_path, "20250929_4.xlsx", b"PK\x03\x04 not a workbook")
    [pdf] = list(spider.parse_end_user_sheet(response_for(broken, url=XLSX_URL), fallback=END_USER_PAGE))
    assert pdf.url == END_USER_PAGE
    assert "the End User List XLSX could not be read" in spider.source_warnings[0]
    small = xlsx(
        tmp_path, SAMPLE_ROWS, name="small.xlsx"
    )  # live, 2 entries are out of the list's own range: the PDF is read instead
    [pdf] = list(spider.parse_end_user_sheet(response_for(small, url=XLSX_URL), fallback=END_USER_PAGE))
    assert "2 METI-EUL entries, expected 500..2000" in spider.source_warnings[1]
    with pytest.raises(SourceShapeChanged):  # no fallback (a replayed XLSX): the failure is the crawl's
        list(spider.parse_end_user_sheet(response_for(broken, url=XLSX_URL), fallback=None))


def test_a_japanese_page_without_the_xlsx_link_reads_the_pdf_and_says_so(tmp_path):
    page = written(
        tmp_path, "law00.html", "<html><body><a href='/policy/anpo/index.html'>安全保障貿易管理</a></body></html>"
    )
    spider = MetiEndUserSpider()
    [english] = [r for r in spider.parse(response_for(page, url=END_USER_PAGE_JA)) if isinstance(r, Request)]
    assert english.url == END_USER_PAGE and english.callback == spider.parse_page
    assert "links no End User List XLSX" in spider.source_warnings[0]


def test_a_replayed_directory_reads_an_xlsx_beside_the_pdfs(tmp_path, db_path):
    xlsx(tmp_path, SAMPLE_ROWS)
    (tmp_path / "list_russia_excerpt.pdf.txt").write_bytes(RUSSIA_TEXT.read_bytes())
    result = assert_crawls_twice_without_changes("meti_end_user", tmp_path.as_uri() + "/", db_path, "--expect", "1:10")
    assert result["list_counts"] == '{"METI-EUL": 2, "METI-RU": 3}'
