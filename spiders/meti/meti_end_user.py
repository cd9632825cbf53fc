"""Japan's Ministry of Economy, Trade and Industry (METI): the End User List and the export-ban lists.

Two kinds of list, four list codes, one crawl:

- `METI-EUL`, the End User List (外国ユーザーリスト): foreign entities of concern for
  weapons of mass destruction, for the catch-all control. Its XLSX copy is read
  first: the Japanese page law00.html links it (an .xlsx link that names the list,
  or stands in an item that does; the file name changes with every revision, so
  it is discovered, never hard-coded), sheet ユーザーリスト, headings 国名, 企業名,
  別名, 懸念区分, 通常兵器 (or bilingual ones, as in the PDF). When the page links
  no XLSX, or it cannot be fetched or read, or it is out of the list's range, a
  warning says so and the PDF is read instead: from the English trade-control page
  the crawl follows the link "Review of the End User List", then the first link
  whose text contains "End User List" and whose address ends in .pdf. The PDF is
  one table (see spiders/meti/end_user_table.py).
- `METI-RU`, `METI-BY`, `METI-TC`: the entities of Russia, of Belarus and of third
  countries under the export ban of 外為法 Art. 48(3) (MOFA notices 令和四年第82号,
  第104号, 令和五年第447号). From METI's Russia-measures page the crawl follows every
  link whose text contains 特定団体一覧. Each PDF is a numbered list (see
  spiders/meti/numbered_list.py); the list is identified by its title, not its file name.

Live, every request goes through headless Chromium (`fetch_mode = "browser"`,
spiders/kit/browser.py): pages past METI's JavaScript challenge, files fetched
from inside a page of the site. A list must start with `%PDF-` (or be a
workbook): METI sits behind a firewall that can answer with an HTML challenge
instead, and that is a block. Entry numbers must run 1..N; a gap is a bad
extraction and fails the crawl. METI gives no ids and renumbers between
revisions, so an entry's id hashes the list code, the normalised English name
and its address (the country on the End User List).

Facts of SOURCES_LIVE.md relied on (§7 and Updates):
- the English page, the link texts and the PDF table's layout, `No.` running
  1..N: seen (OpenSanctions' crawler and yml);
- the XLSX copy beside the PDF (2025-09-29: `/policy/anpo/20250929_4.xlsx`),
  linked from law00.html, sheet ユーザーリスト, its six headings, the 通常兵器
  column of that revision and its 835 entries: reported (METI release copy,
  third-party clients); how law00.html words the link: not established;
- METI behind Akamai, answering plain fetches with a challenge, and OpenSanctions
  fetching it through a browser-rendering service since 2026-03/04: reported;
  a challenge page is a block (`SourceBlocked`), never an empty list.

`--url` takes the Japanese or English page, the Russia page, a PDF, the XLSX,
text extracted from a PDF (a `.txt` file, as in the corpus), or a file://
directory, whose `*.pdf`, `*.xlsx` and `*.pdf.txt` files are all crawled. Only a live crawl checks each list's
own count range: a replay may hold any subset of the lists. A replay that lacks
a list the database already holds fails the crawl gate's shrinkage check rather
than delisting it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy

from spiders.kit import fetch, licences, pdf, sheets
from spiders.kit.base import SourceSpider
from spiders.kit.countries import country_code, country_in_address
from spiders.kit.errors import CountOutOfRange, SourceError, SourceShapeChanged
from spiders.kit.formats import hashed_id, unique
from spiders.kit.items import Listing
from spiders.kit.recorded import local_directory
from spiders.kit.useragent import BROWSER_USER_AGENT
from spiders.meti.end_user_table import (
    WMD_CODES,
    EndUserRow,
    TableShapeChanged,
    looks_like_end_user_table,
    parse_end_user_table,
)
from spiders.meti.numbered_list import NumberedList, NumberingGap, looks_numbered, parse_numbered

# The Japanese page that links the End User List's XLSX (reported), and the English one that leads to its PDF (seen).
END_USER_PAGE_JA = "https://www.meti.go.jp/policy/anpo/law00.html"
END_USER_PAGE = "https://www.meti.go.jp/english/policy/external_economy/trade_control/index.html"
RUSSIA_PAGE = "https://www.meti.go.jp/policy/external_economy/trade_control/02_export/17_russia/russia.html"
REVIEW_LINK = "Review of the End User List"
END_USER_LINK = "End User List"
EXPORT_BAN_LINK = "特定団体一覧"
# The XLSX copy of the End User List: a link to an .xlsx file named, or standing beside text naming, the list.
END_USER_SHEET_NAMES = ("外国ユーザーリスト", "End User List")
END_USER_SHEET = "ユーザーリスト"

END_USER = "METI-EUL"
# (title fragment, list code, list name, default country); the third-country title also names Russia, so it comes first.
EXPORT_BAN_LISTS = (
    (
        "ロシア連邦及びベラルーシ共和国以外の国の団体",
        "METI-TC",
        "METI export ban: specified entities of third countries",
        None,
    ),
    ("ロシア連邦の団体", "METI-RU", "METI export ban: specified entities of the Russian Federation", "RU"),
    ("ベラルーシ共和国の団体", "METI-BY", "METI export ban: specified entities of the Republic of Belarus", "BY"),
)
LIST_NAMES = {END_USER: "METI End User List", **{code: name for _, code, name, _ in EXPORT_BAN_LISTS}}
# Checked on live crawls, one list (one document) at a time. The 2025-09 End User List had 835 entries;
# the 2025-09 export-ban lists 561 (Russia) and 56 (third countries), the 2022-07 Belarus list 27.
LIVE_RANGES = {END_USER: (500, 2_000), "METI-RU": (400, 1_500), "METI-BY": (15, 150), "METI-TC": (30, 600)}


class MetiEndUserSpider(SourceSpider):
    name = "meti_end_user"
    publisher = "Ministry of Economy, Trade and Industry (METI), Japan"
    jurisdiction = "JP"
    license = licences.METI
    kind = "listings"
    live_urls = [END_USER_PAGE_JA, RUSSIA_PAGE]  # the English page only when the XLSX fails (for the PDF)
    expected_items = (20, 5_000)  # any one list (a replay) up to all four; LIVE_RANGES check each list
    schedule = "weekly"
    custom_settings = {"USER_AGENT": BROWSER_USER_AGENT}
    fetch_mode = "browser"  # plain fetches are challenged since early 2026 (reported)

    async def start(self):
        for url in self.start_urls:
            directory = local_directory(url)
            if directory is None:
                yield scrapy.Request(url, callback=self.parse, errback=self.on_download_error)
                continue
            files = sorted(p for p in directory.iterdir() if p.name.endswith((".pdf", ".pdf.txt", ".xlsx")))
            if not files:
                raise SourceShapeChanged(self.name, f"{url} holds no *.pdf, *.pdf.txt or *.xlsx file")
            for path in files:
                yield scrapy.Request(path.as_uri(), callback=self.parse_document, errback=self.on_download_error)

    def parse(self, response):
        if pdf.is_pdf(response.body) or sheets.is_sheet(response.body) or urlsplit(response.url).path.endswith(".txt"):
            yield from self.parse_document(response)
        else:
            yield from self.parse_page(response)

    # -- navigation -----------------------------------------------------------------

    def parse_page(self, response):
        """Follow the End User List (its XLSX first, else its review page and PDF) and the export-ban list PDFs."""
        self.require_body(response, looks_like=(b"<",))
        followed = 0
        end_user_pdfs, end_user_sheets = [], []
        for link in response.css("a[href]"):
            text = " ".join(" ".join(link.css("::text").getall()).split())
            href = link.attrib["href"]
            if urlsplit(href).path.lower().endswith(".xlsx") and self._names_end_user_list(link, text):
                end_user_sheets.append(response.urljoin(href))
            elif REVIEW_LINK in text:
                followed += 1
                yield response.follow(href, callback=self.parse_page, errback=self.on_download_error)
            elif END_USER_LINK in text and ".pdf" in href.lower():
                end_user_pdfs.append(response.urljoin(href))
            elif EXPORT_BAN_LINK in text:
                followed += 1
                yield response.follow(href, callback=self.parse_document, errback=self.on_download_error)
        end_user = self._end_user_request(response, unique(end_user_sheets), unique(end_user_pdfs))
        if end_user is not None:
            followed += 1
            yield end_user
        if not followed:
            raise SourceShapeChanged(
                self.name,
                f"{response.url} has no link to the End User List or the export-ban lists (the page changed)",
            )

    def _end_user_request(self, response, sheet_links: list[str], pdf_links: list[str]):
        """The XLSX when the page links one (the PDF, or the English pages, as its fallback), else the PDF."""
        for kind, links in (("XLSX", sheet_links), ("PDF", pdf_links)):
            if len(links) > 1:
                self.warn(f"{response.url}: {len(links)} End User List {kind} links; took the first, {links[0]}")
        fallback = pdf_links[0] if pdf_links else None
        if fallback is None and response.url == END_USER_PAGE_JA:
            fallback = END_USER_PAGE
        if sheet_links:
            return scrapy.Request(
                sheet_links[0],
                callback=self.parse_end_user_sheet,
                errback=self.end_user_sheet_unavailable,
                cb_kwargs={"fallback": fallback},
            )
        if pdf_links:
            return scrapy.Request(pdf_links[0], callback=self.parse_document, errback=self.on_download_error)
        if fallback:
            self.warn(f"{response.url} links no End User List XLSX; reading the PDF from {fallback}")
            return scrapy.Request(fallback, callback=self.parse_page, errback=self.on_download_error)
        return None

    @staticmethod
    def _names_end_user_list(link, text: str) -> bool:
        """The link's text, or the text of the item it stands in, names the End User List."""
        around = " ".join(link.xpath("ancestor::*[self::li or self::p or self::td or self::tr][1]//text()").getall())
        return any(name in text or name in around for name in END_USER_SHEET_NAMES)

    def parse_end_user_sheet(self, response, fallback: str | None = None):
        """The End User List's XLSX; when it cannot be read, the PDF (a warning says why)."""
        where = response.url.rsplit("/", 1)[-1]
        try:
            self.require_body(response, looks_like=(sheets.XLSX,))
            listings = self._end_user_sheet_listings(response.body, where)
            self._check_live_range(listings, where)
        except SourceError as error:
            if fallback is None:
                raise
            self.warn(f"the End User List XLSX could not be read ({error.detail}); reading the PDF from {fallback}")
            yield scrapy.Request(fallback, callback=self.parse, errback=self.on_download_error)
            return
        yield from self.batched(listings)

    def end_user_sheet_unavailable(self, failure):
        fallback = failure.request.cb_kwargs.get("fallback")
        if fallback is None:
            self.on_download_error(failure)
        error = fetch.download_error(self.name, failure)
        self.warn(f"the End User List XLSX could not be fetched ({error.detail}); reading the PDF from {fallback}")
        yield scrapy.Request(fallback, callback=self.parse, errback=self.on_download_error)

    # -- documents ------------------------------------------------------------------

    def parse_document(self, response):
        """One list: the End User List table, or a numbered export-ban list (PDF or its extracted text)."""
        body = response.body
        where = response.url.rsplit("/", 1)[-1]
        if sheets.is_sheet(body):
            listings = self._end_user_sheet_listings(body, where)
        elif pdf.is_pdf(body):
            if looks_like_end_user_table(pdf.first_page_rows(body)):
                listings = self._end_user_listings(pdf.table_rows(body), where)
            else:
                listings = self._export_ban_listings(pdf.text(body), where)
        elif urlsplit(response.url).path.endswith(".txt"):
            text = self.body_text(response)
            if not text.strip():
                self.require_body(response, looks_like=(b"%PDF-",))  # raises SourceEmpty
            listings = self._export_ban_listings(text, where)
        else:
            self.require_body(response, looks_like=(b"%PDF-",))  # a firewall's page is a block
            raise SourceShapeChanged(self.name, f"{response.url} is not a PDF")
        self._check_live_range(listings, where)
        yield from self.batched(listings)

    def _end_user_listings(self, rows, where: str) -> list[Listing]:
        try:
            table = parse_end_user_table(rows)
        except (TableShapeChanged, NumberingGap) as error:
            raise SourceShapeChanged(self.name, f"{where}: End User List table: {error}") from None
        for column in table.unknown_columns:
            self.warn(f"{where}: new upstream column {column!r} kept under extra")
        return [self._read_end_user_row(row, where) for row in table.rows]

    def _end_user_sheet_listings(self, body: bytes, where: str) -> list[Listing]:
        """The XLSX copy: sheet ユーザーリスト (else its only sheet), the same table as the PDF's."""
        names = sheets.sheet_names(body, self.name, where)
        sheet = END_USER_SHEET if END_USER_SHEET in names else (names[0] if len(names) == 1 else None)
        if sheet is None:
            raise SourceShapeChanged(self.name, f"{where} has no sheet {END_USER_SHEET!r} (it has {', '.join(names)})")
        return self._end_user_listings(sheets.read_rows(body, self.name, where, sheet), where)

    def _export_ban_listings(self, text: str, where: str) -> list[Listing]:
        if not looks_numbered(text):
            raise SourceShapeChanged(
                self.name, f"{where} is neither the End User List table nor a numbered export-ban list"
            )
        try:
            parsed = parse_numbered(text)
        except NumberingGap as error:
            raise SourceShapeChanged(self.name, f"{where}: {error}") from None
        list_code, default_country = self._parse_list_code(parsed, where)
        return [
            self._read_export_ban_entry(entry, parsed, list_code, default_country, where) for entry in parsed.entries
        ]

    def _check_live_range(self, listings: list[Listing], where: str) -> None:
        if self.replaying or not listings:
            return
        code = listings[0].list_code
        low, high = LIVE_RANGES[code]
        if not low <= len(listings) <= high:
            raise CountOutOfRange(self.name, f"{where}: {len(listings)} {code} entries, expected {low}..{high}")

    # -- listings -------------------------------------------------------------------

    def _build_item(
        self,
        list_code: str,
        name: str,
        place: str,
        *,
        alt_names: list[str],
        countries: list[str],
        remarks: str | None,
        source_list_url: str,
        extra: dict,
        addresses: list[str] = (),
        programs: list[str] = (),
    ) -> Listing:
        """One listing of either kind of list; `place` (the country, or the addresses) goes into its id."""
        return Listing(
            source=self.name,
            list_code=list_code,
            list_name=LIST_NAMES[list_code],
            entry_id=self._parse_entry_id(list_code, name, place),
            name=name,
            entity_type="Entity",
            alt_names=alt_names,
            addresses=list(addresses),
            countries=countries,
            programs=list(programs),
            remarks=remarks,
            source_list_url=source_list_url,
            extra=extra,
        )

    def _read_end_user_row(self, row: EndUserRow, where: str) -> Listing:
        country = country_code(row.country)
        if row.country and not country:
            self.warn(f"{where} No. {row.number}: country {row.country!r} not recognised")
        unknown_codes = [code for code in row.wmd if code not in WMD_CODES]
        if unknown_codes:
            self.warn(f"{where} No. {row.number}: unknown type(s) of WMD {unknown_codes}")
        extra = {"type_of_wmd": row.wmd, "country_as_printed": row.country}
        if row.country_ja:
            extra["country_ja"] = row.country_ja
        if row.name_ja:
            extra["name_ja"] = row.name_ja
        extra.update(row.extra)
        return self._build_item(
            END_USER,
            row.name,
            row.country,
            alt_names=unique([*row.aliases, row.name_ja]),
            countries=[country] if country else [],
            remarks=self._parse_remarks(row.wmd),
            source_list_url=END_USER_PAGE,
            extra=extra,
        )

    def _read_export_ban_entry(
        self, entry, parsed: NumberedList, list_code: str, default_country: str | None, where: str
    ) -> Listing:
        countries = unique([country_in_address(address) for address in entry.addresses]) or (
            [default_country] if default_country else []
        )
        if not countries:
            self.warn(f"{where} entry {entry.number}: no country in its address")
        return self._build_item(
            list_code,
            entry.name,
            "; ".join(entry.addresses),
            alt_names=unique([*entry.aliases, entry.name_ja, *entry.aliases_ja]),
            countries=countries,
            remarks=parsed.title,
            source_list_url=RUSSIA_PAGE,
            extra={"name_ja": entry.name_ja} if entry.name_ja else {},
            addresses=entry.addresses,
            programs=[parsed.notice] if parsed.notice else [],
        )

    # -- fields -----------------------------------------------------------------------

    def _parse_list_code(self, parsed: NumberedList, where: str) -> tuple[str, str | None]:
        for fragment, code, _, country in EXPORT_BAN_LISTS:
            if fragment in parsed.title:
                return code, country
        raise SourceShapeChanged(self.name, f"{where}: unknown list title {parsed.title[:80]!r}")

    @staticmethod
    def _parse_remarks(codes: list[str]) -> str | None:
        if not codes:
            return None
        return "Type of WMD: " + ", ".join(f"{WMD_CODES.get(code, code)} ({code})" for code in codes)

    @staticmethod
    def _parse_entry_id(list_code: str, name: str, place: str) -> str:
        return hashed_id(list_code, name, place)
