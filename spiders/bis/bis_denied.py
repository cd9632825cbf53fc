"""BIS Denied Persons List (DPL): parties whose U.S. export privileges are denied.

The list has moved (SOURCES_LIVE §5). The live crawl opens the DPL page on
bis.gov, finds the one link whose text says "Export as CSV" (its file name
changes with every update, so it is discovered on every crawl, never
hard-coded) and reads what it serves, told by its first bytes: a CSV, an .xls
or an .xlsx workbook (sheet `dpl`, else its only sheet; read with
python-calamine, spiders/kit/sheets.py). Columns, by normalised name:
name_and_address, effective_date, expiration_date,
appropriate_federal_register_citations, type_of_denial; the variants
Name_and_Address, Beginning_Date/Effective_Date, Ending_Date/Expiration_Date and
FR_Citation map onto them. Dates are MM/DD/YYYY, with or without leading zeros,
or real dates in a workbook. Name and address share one cell; the name is the
part before the first comma.

Facts of SOURCES_LIVE.md relied on (§5 and Updates):
- the page URL, the "Export as CSV" link, the five columns and the 400-940 guard:
  seen (OpenSanctions' crawler and dataset yml);
- bis.doc.gov/dpl/dpl.txt gone since May 2025; the link serving .xls (May 2025),
  .csv (from October 2025) and at times .xlsx; the header variants; dates without
  leading zeros: reported (OpenSanctions PR #2219, commit c3b4dc8, issue #3179);
- once (December 2025) the file held only the "Recent Changes" rows: reported.
  A live file under the declared range fails the crawl naming that case (as fact
  when the sheet's title says "Recent Changes", as a question otherwise);
- old bis.doc.gov URLs redirecting to the bis.gov home page: reported; the page
  then has no "Export as CSV" link and the crawl fails by name.

`--url` may also point straight at a list file, told apart by content: the
CSV above, or the retired tab-separated dpl.txt of bis.doc.gov (12 quoted
columns: Name, Street_Address, City, State, Country, Postal_Code,
Effective_Date, Expiration_Date, Standard_Order, Last_Update, Action,
FR_Citation). The real dpl.txt has impossible Last_Update years ("1023-11-01",
"3033-09-30"): such a row is kept with the date as printed, and warned about.

The DPL has no ids: a listing's id is a hash of the list, the normalised name
and the normalised address, so the same party gets the same id on every crawl.
Two rows with the same name and address are one listing (the crawl gate merges
them and counts the duplicate).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import scrapy

from spiders.kit import licences, sheets
from spiders.kit.base import SourceSpider
from spiders.kit.countries import code_or_country
from spiders.kit.errors import CountOutOfRange, SourceShapeChanged
from spiders.kit.formats import clean, hashed_id, plausible_iso_date, read_csv, unique, us_date_to_iso
from spiders.kit.items import Listing

PAGE = "https://www.bis.gov/licensing/end-user-guidance/denied-persons-list-dpl"
CSV_LINK_TEXT = "Export as CSV"
LIST_CODE = "DPL"
LIST_NAME = "Denied Persons List (DPL) - Bureau of Industry and Security"
# The retired dpl.txt
TXT_COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)
TXT_REQUIRED = {
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
}
# The bis.gov CSV, by normalised header
CSV_COLUMNS = (
    "name_and_address",
    "effective_date",
    "expiration_date",
    "appropriate_federal_register_citations",
    "type_of_denial",
)
CSV_REQUIRED = {"name_and_address", "effective_date", "expiration_date"}
# Header variants the export has used (reported, SOURCES_LIVE Updates), by normalised name.
CSV_ALIASES = {
    "beginning_date": "effective_date",
    "ending_date": "expiration_date",
    "fr_citation": "appropriate_federal_register_citations",
}
SHEET = "dpl"  # the sheet OpenSanctions reads in the .xls/.xlsx exports (seen)
RECENT_CHANGES = "Recent Changes"
# A list file starts with its header (any of its variants) or is a workbook.
LIST_FILE_STARTS = (b'"Name', b"Name", b'"name', b"name", *sheets.MAGIC)
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)
US_STATE_AND_ZIP = re.compile(r"^([A-Z]{2}) \d{5}(?:-\d{4})?$")


def normalise_header(name: str) -> str:
    """'Name and Address' -> 'name_and_address'."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def listing_key(name: str, address: str) -> str:
    """Case and spacing do not change a party's id. Punctuation does: BIS lists spelling
    variants of one party as rows of their own ("AL NASER AIRLINES", "AL-NASER AIRLINES")."""
    return hashed_id(LIST_CODE, name, address)


class BisDeniedSpider(SourceSpider):
    name = "bis_denied"
    publisher = "U.S. Department of Commerce, Bureau of Industry and Security (BIS)"
    jurisdiction = "US"
    license = licences.US_GOVERNMENT_WORK
    kind = "listings"
    live_urls = [PAGE]
    expected_items = (400, 940)  # OpenSanctions' guard; 663 parties in November 2023
    # BIS's exports carry stray Windows-1252 bytes in UTF-8 text (the recorded Unverified List of 2017 has
    # "53\x9659 Wuhu S..." for "53–59"): each is replaced by U+FFFD, with a warning, instead of failing the list.
    undecodable_bytes = "replace"

    def parse(self, response):
        """The DPL page (find the CSV link) or, with --url, a list file itself."""
        self.require_body(response, looks_like=(b"<", *LIST_FILE_STARTS))
        if response.body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
            yield self._follow_csv_link(response)
        else:
            yield from self.parse_list(response)

    def _build_item(
        self,
        name: str,
        address: str,
        countries: list[str],
        effective: str,
        expiration: str,
        citation: str | None,
        where: str,
        line: int,
        extra: dict,
    ) -> Listing:
        """One listing from one row of either file, read into the same fields (`_parse_txt`, `_parse_csv`)."""
        return Listing(
            source=self.name,
            list_code=LIST_CODE,
            list_name=LIST_NAME,
            entry_id=listing_key(name, address),
            name=name,
            addresses=[address] if address else [],
            countries=countries,
            federal_register_notice=" ".join(citation.split()) if citation and citation.strip() else None,
            start_date=self._parse_date(effective, where, line),
            end_date=self._parse_date(expiration, where, line),
            source_information_url=PAGE,
            extra={key: value for key, value in extra.items() if value},
        )

    def _follow_csv_link(self, response):
        links = unique(
            response.urljoin(href)
            for href in response.xpath(f".//a[contains(normalize-space(.), '{CSV_LINK_TEXT}')]/@href").getall()
        )
        if len(links) != 1:
            raise SourceShapeChanged(
                self.name, f"{response.url} has {len(links)} '{CSV_LINK_TEXT}' links, expected one"
            )
        return scrapy.Request(links[0], callback=self.parse_list, errback=self.on_download_error)

    def parse_list(self, response):
        """The list file, told by its first bytes: a spreadsheet (.xls, .xlsx), the CSV, or the retired dpl.txt."""
        self.require_body(response, looks_like=LIST_FILE_STARTS)
        where = response.url.rsplit("/", 1)[-1] or response.url
        title = ""
        if sheets.is_sheet(response.body):
            title, rows = self._read_sheet(response.body, where)
            listings = list(rows)
        else:
            text = self.body_text(response).lstrip("\ufeff")
            first_line = text.split("\n", 1)[0]
            listings = list(self._read_txt(text, where) if "\t" in first_line else self._read_csv(text, where))
        self._check_live_count(listings, title, where)
        yield from self.batched(listings)

    def _check_live_count(self, listings: list[Listing], title: str, where: str) -> None:
        """Name the one known way a live file came up short: in December 2025 it held only the Recent Changes rows."""
        low, high = self.expected_items
        if self.replaying or low <= len(listings) <= high:
            return
        hint = ""
        if len(listings) < low:
            seen = "its title says so" if RECENT_CHANGES.lower() in title.lower() else "as in December 2025?"
            hint = f": the file holds only the {RECENT_CHANGES!r} rows, not the full list ({seen})"
        raise CountOutOfRange(self.name, f"{where}: {len(listings)} rows, expected {low}..{high}{hint}")

    # -- the retired dpl.txt --------------------------------------------------------------

    def _read_txt(self, text: str, where: str):
        header, rows = read_csv(text, self.name, where, TXT_REQUIRED, delimiter="\t")
        self.audit_columns(header, TXT_COLUMNS, where)
        for line, row in rows:
            if not any(value.strip() for value in row.values()):
                self.warn(f"{where} line {line} is empty; skipped")
                continue
            name = self._parse_name(row.pop("Name"), where, line)
            street, city, state, postal = (
                clean(row.pop(key)) for key in ("Street_Address", "City", "State", "Postal_Code")
            )
            country = clean(row.pop("Country"))
            state_and_postal = " ".join(part for part in (state, postal) if part)
            address = ", ".join(part for part in (street, city, state_and_postal, country) if part)
            yield self._build_item(
                name=name,
                address=address,
                countries=self._parse_countries(country, state, where, line),
                effective=row.pop("Effective_Date"),
                expiration=row.pop("Expiration_Date"),
                citation=row.pop("FR_Citation", None),
                where=where,
                line=line,
                extra={
                    "standard_order": clean(row.pop("Standard_Order", None)),
                    "last_update": self._parse_last_update(row.pop("Last_Update", None), where, line),
                    "action": clean(row.pop("Action", None)),
                },
            )

    # -- the bis.gov CSV ----------------------------------------------------------------------

    def _read_csv(self, text: str, where: str):
        first, newline, rest = text.partition("\n")
        header = ",".join(self._parse_column(name) for name in next(csv.reader([first.rstrip("\r")])))
        columns, rows = read_csv(header + newline + rest, self.name, where, CSV_REQUIRED)
        yield from self._read_rows(columns, rows, where)

    def _read_sheet(self, body: bytes, where: str) -> tuple[str, Iterator[Listing]]:
        """(the text above the header and the sheet's name, the listings): the same columns in a workbook,
        sheet `dpl` (else the only one), the header row wherever it starts."""
        names = sheets.sheet_names(body, self.name, where)
        chosen = next((name for name in names if name.lower() == SHEET), None)
        if chosen is None:
            if len(names) != 1:
                raise SourceShapeChanged(self.name, f"{where} has no sheet {SHEET!r} (it has {', '.join(names)})")
            chosen = names[0]
        rows = sheets.read_rows(body, self.name, where, chosen)
        found = next((n for n, row in enumerate(rows[:20]) if "name_and_address" in map(self._parse_column, row)), None)
        if found is None:
            raise SourceShapeChanged(self.name, f"{where} sheet {chosen!r} has no 'Name and Address' header row")
        title = " ".join([chosen, *(cell for row in rows[:found] for cell in row)])
        columns = [self._parse_column(name) for name in rows[found]]
        missing = CSV_REQUIRED - set(columns)
        if missing:
            raise SourceShapeChanged(self.name, f"{where} header lacks column(s): {', '.join(sorted(missing))}")
        records = (
            (number + 1, dict(zip(columns, row + [""] * (len(columns) - len(row)))))
            for number, row in enumerate(rows[found + 1 :], start=found + 1)
            if any(cell for cell in row)
        )
        return title, self._read_rows(columns, records, where)

    def _read_rows(self, columns: list[str], rows, where: str):
        """Rows of the CSV or a sheet, by normalised column name."""
        self.audit_columns(columns, CSV_COLUMNS, where)
        for line, row in rows:
            name, address = self._split_name_and_address(row.pop("name_and_address"), where, line)
            yield self._build_item(
                name=name,
                address=address,
                countries=self._countries_from_address(address),
                effective=row.pop("effective_date"),
                expiration=row.pop("expiration_date"),
                citation=row.pop("appropriate_federal_register_citations", None),
                where=where,
                line=line,
                extra={"type_of_denial": clean(row.pop("type_of_denial", None))},
            )

    @staticmethod
    def _parse_column(name: str) -> str:
        """'Name and Address', 'Name_and_Address' -> 'name_and_address'; 'Beginning_Date' -> 'effective_date'."""
        normal = normalise_header(name)
        return CSV_ALIASES.get(normal, normal)

    def _split_name_and_address(self, cell: str, where: str, line: int) -> tuple[str, str]:
        name, _, address = cell.partition(",")
        return self._parse_name(name, where, line), " ".join(address.split())

    # -- fields ---------------------------------------------------------------------------------

    def _parse_name(self, value: str, where: str, line: int) -> str:
        name = " ".join(value.split())
        if not name:
            raise SourceShapeChanged(self.name, f"{where} line {line} has no name")
        return name

    def _parse_countries(self, country: str | None, state: str | None, where: str, line: int) -> list[str]:
        """The Country column is an ISO code (or 'PRC'); US rows often leave it blank but give a state."""
        if country:
            code = code_or_country(country)
            if code is None:
                self.warn(f"{where} line {line}: country {country!r} is not an ISO code; kept in the address only")
            return [code] if code else []
        if state and state.upper() in US_STATES:
            return ["US"]
        return []

    @staticmethod
    def _countries_from_address(address: str) -> list[str]:
        """The CSV has no country column: read the address's last part ('..., Germany', '..., TX 79905')."""
        last = address.rsplit(",", 1)[-1].strip()
        if match := US_STATE_AND_ZIP.match(last):
            return ["US"] if match.group(1) in US_STATES else []
        if last.upper() in US_STATES:
            return ["US"]
        code = code_or_country(last)
        return [code] if code else []

    def _parse_date(self, value: str | None, where: str, line: int) -> str | None:
        """MM/DD/YYYY -> ISO; an impossible year is kept as printed, with a warning."""
        iso = us_date_to_iso(value)
        if iso and not plausible_iso_date(iso):
            self.warn(f"{where} line {line}: implausible date {value!r} kept as printed")
        return iso

    def _parse_last_update(self, value: str | None, where: str, line: int) -> str | None:
        value = clean(value)
        if value and not plausible_iso_date(value):
            self.warn(f"{where} line {line}: implausible Last_Update {value!r} kept as printed")
        return value
