"""The FCC Covered List: communications equipment and services found to pose an
unacceptable risk to U.S. national security (Secure and Trusted Communications
Networks Act, section 2).

The page has no download. Its body (`div.page-body`) holds one table with the
columns "Covered Equipment or Services*" and "Date of Inclusion on Covered
List". Each row's first cell is a sentence that names the producer(s) in
`<strong>`; the second holds the date of inclusion and, since 2026, "Updated:"
dates. One listing is yielded per producer named, with the sentence as remarks.

A row that names no producer covers a whole category (foreign-produced
routers, uncrewed aircraft systems): it is yielded as a listing of entity type
"Equipment category" named by the sentence's first clause, so that adding or
narrowing a category is a tracked change; screening should skip that type.

The page gives no identifiers: an entry's id is a hash of the list and the
normalised name (plus the row's sentence when one producer is named in two
rows). `--url` accepts the full page or the bare table (as recorded).

Live, the page is fetched in headless Chromium (`fetch_mode = "browser"`,
spiders/kit/browser.py), which passes a JavaScript challenge; a challenge or
refusal page that remains is a block (`SourceBlocked`), never an empty list.

Facts of SOURCES_LIVE.md relied on (§6 and Updates): the URL, `div.page-body`,
the table's two columns, the `<strong>` producers and the date forms: seen
(OpenSanctions' crawler and yml; a recorded fragment of 2026-05); 13 rows in
May 2026 and 16 in August 2026: seen/reported; the table in `div#covered-list`
(2026-08) and OpenSanctions fetching the page only through a paid
browser-rendering service since 2026-03, a plain fetch with a browser
User-Agent apparently challenged: reported; which of /coveredlist and
/covered-list is canonical: not established.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from spiders.kit import licences
from spiders.kit.base import SourceSpider
from spiders.kit.errors import SourceShapeChanged
from spiders.kit.items import EQUIPMENT_CATEGORY, Listing
from spiders.kit.useragent import BROWSER_USER_AGENT

PAGE_URL = "https://www.fcc.gov/supplychain/coveredlist"
LIST_CODE = "FCC"
LIST_NAME = "FCC Covered List"
EQUIPMENT_COLUMN = "Covered Equipment or Services"
DATE_COLUMN = "Date of Inclusion on Covered List"
DATE_TEXT = re.compile(r"[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}")
# The page marks footnotes inline with these signs ("Routers^ produced", "country†† —except").
FOOTNOTE_MARKS = re.compile(r"[†‡§¶^£*#¹²³⁴⁵⁶⁷⁸⁹]+")
# "China Mobile International USA Inc</strong>." : the page leaves the abbreviation's dot outside the bold.
ABBREVIATION_END = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Jr|Sr|L\.L\.C|S\.A)$")


class FccCoveredSpider(SourceSpider):
    name = "fcc_covered"
    publisher = "Federal Communications Commission"
    jurisdiction = "US"
    license = licences.US_GOVERNMENT_WORK
    kind = "listings"
    live_urls = [PAGE_URL]
    # 13 rows (12 producers, 2 categories) in May 2026, 16 rows in August 2026; the list only grows slowly.
    expected_items = (11, 40)
    schedule = "daily"
    custom_settings = {"USER_AGENT": BROWSER_USER_AGENT}
    fetch_mode = "browser"  # plain fetches are challenged since early 2026 (reported)

    def parse(self, response):
        self.require_body(response, looks_like=(b"<",))
        table = self._find_table(response)
        columns = self._parse_header(table, response.url)
        rows = table.xpath("./tbody/tr | ./tr[td]")
        if not rows:
            raise SourceShapeChanged(self.name, f"{response.url}: the Covered List table has no rows")
        seen_names: dict[str, int] = {}
        parsed = []
        for number, row in enumerate(rows, start=1):
            cells = row.xpath("./td")
            if len(cells) != len(columns):
                raise SourceShapeChanged(
                    self.name, f"{response.url} row {number} has {len(cells)} cells, the header has {len(columns)}"
                )
            record = dict(zip(columns, cells))
            row = self._read_row(record, response.url, number)
            if row in parsed:  # the same row served twice is one row, not a producer named in two rows
                self.warn(f"{response.url} row {number} repeats an earlier row; read once")
                continue
            parsed.append(row)
            for name, _ in row[0]:
                seen_names[_normalise(name)] = seen_names.get(_normalise(name), 0) + 1
        for producers, sentence, dates, entity_type in parsed:
            for name, co_listed in producers:
                yield self._build_item(name, co_listed, sentence, dates, entity_type, seen_names[_normalise(name)] > 1)

    def _build_item(
        self, name: str, co_listed: list[str], sentence: str, dates: list[str], entity_type: str, shared_name: bool
    ) -> Listing:
        """One listing per producer a row names (or the row's equipment category), with the row's sentence."""
        extra = {}
        if co_listed:
            extra["co_listed"] = co_listed
        if len(dates) > 1:
            extra["updated"] = dates[1:]
        return Listing(
            source=self.name,
            list_code=LIST_CODE,
            list_name=LIST_NAME,
            entry_id=self._parse_entry_id(name, sentence if shared_name else None),
            name=name,
            entity_type=entity_type,
            remarks=sentence,
            start_date=dates[0] if dates else None,
            source_list_url=PAGE_URL,
            extra=extra,
        )

    # -- structure ------------------------------------------------------------

    def _find_table(self, response):
        """The table whose header names the covered equipment, inside div.page-body when there is one."""
        scope = response.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " page-body ")]') or response
        for table in scope.xpath(".//table"):
            if EQUIPMENT_COLUMN in " ".join(table.xpath(".//th//text()").getall()):
                return table
        raise SourceShapeChanged(
            self.name,
            f"{response.url} has no table headed {EQUIPMENT_COLUMN!r} (a challenge page, or the page changed)",
        )

    def _parse_header(self, table, url: str) -> list[str]:
        columns = [_text(th).rstrip("*").strip() for th in table.xpath("./thead/tr/th | ./tr[th]/th")]
        missing = [name for name in (EQUIPMENT_COLUMN, DATE_COLUMN) if name not in columns]
        if missing:
            raise SourceShapeChanged(
                self.name, f"{url}: the table lacks column(s) {', '.join(map(repr, missing))}; it has {columns}"
            )
        self.audit_columns(columns, (EQUIPMENT_COLUMN, DATE_COLUMN), url)
        return columns

    def _read_row(self, record: dict, url: str, number: int):
        """(producers as (name, co-listed names), sentence, dates, entity type) for one table row."""
        equipment = record.pop(EQUIPMENT_COLUMN)
        sentence = self._parse_remarks(equipment)
        if not sentence:
            raise SourceShapeChanged(self.name, f"{url} row {number} has an empty {EQUIPMENT_COLUMN!r} cell")
        dates = self._parse_dates(record.pop(DATE_COLUMN), url, number)
        names = self._parse_producers(equipment)
        if names:
            producers = [(name, [other for other in names if other != name]) for name in names]
            return producers, sentence, dates, "Entity"
        return [(self._parse_category(sentence), [])], sentence, dates, EQUIPMENT_CATEGORY

    # -- fields ---------------------------------------------------------------

    @staticmethod
    def _parse_producers(cell) -> list[str]:
        """The names in <strong>, in page order, as the page gives them."""
        names = []
        for strong in cell.xpath(".//strong"):
            name = _text(strong).strip(" ,;:")
            after = "".join(strong.xpath("following-sibling::node()[1][self::text()]").getall())
            if after.startswith(".") and ABBREVIATION_END.search(name):
                name += "."
            if name and name not in names:
                names.append(name)
        return names

    @staticmethod
    def _parse_remarks(cell) -> str:
        return _text(cell)

    @staticmethod
    def _parse_category(sentence: str) -> str:
        """'Routers^ produced in a foreign country, except ...' -> 'Routers produced in a foreign country'."""
        plain = " ".join(FOOTNOTE_MARKS.sub(" ", sentence).split())
        return re.split(r"\s*[,—;]", plain, maxsplit=1)[0].strip()

    def _parse_dates(self, cell, url: str, number: int) -> list[str]:
        """The date of inclusion first, then any 'Updated:' dates, as ISO dates."""
        text = _text(cell)
        found = DATE_TEXT.findall(text)
        if not found:
            self.warn(f"{url} row {number}: no date of inclusion in {text!r}")
            return [text] if text else []
        dates = []
        for value in found:
            parsed = _parse_date(value)
            if parsed is None:
                self.warn(f"{url} row {number}: unreadable date {value!r} kept as printed")
                parsed = value
            dates.append(parsed)
        return dates

    @staticmethod
    def _parse_entry_id(name: str, sentence: str | None) -> str:
        basis = f"{LIST_CODE}|{_normalise(name)}" + (f"|{_normalise(sentence)}" if sentence else "")
        return "h" + hashlib.sha1(basis.encode()).hexdigest()[:16]


def _text(selector) -> str:
    return " ".join("".join(selector.xpath(".//text()").getall()).split())


def _normalise(value: str) -> str:
    return " ".join(value.casefold().replace(".", " ").replace(",", " ").split())


def _parse_date(value: str) -> str | None:
    """'March 12, 2021', 'Mar 12, 2021' or 'Sept. 20, 2022' as an ISO date."""
    cleaned = value.replace(".", "").replace("Sept ", "Sep ")
    for pattern in ("%B %d, %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(cleaned, pattern).date().isoformat()
        except ValueError:
            continue
    return None
