"""European Commission trade defence: anti-dumping, anti-subsidy and safeguard cases, and their Official Journal acts.

Sources (SOURCES_LIVE.md §9 and Updates):
- the EUR-Lex feed of the Official Journal C series (`rssId=221`), kept to
  trade-defence titles: notices of initiation, of expiry reviews, of expiry;
  keyed by CELEX (52023XC00160 for C/2023/160);
- TRON's JSON API: `/list/ongoing` lists the ongoing cases; `/details/{id}`
  adds the case's publications. One document per case, keyed by its case
  number (e.g. AS689, the anti-subsidy case on battery electric vehicles from
  China). The notices among its publications that sit in the Official Journal
  C series become documents of their own, keyed by CELEX, unless the C feed
  gave them this crawl (so a notice is yielded once);
- TRON's case search (`POST /search` with `{}`): every case, closed ones too,
  so a case opened and closed between two crawls is not missed; the cases not
  ongoing become documents from what the search gives (no details fetched);
- the EUR-Lex feed of Official Journal L acts (`rssId=222`), kept to
  trade-defence titles: the implementing regulations imposing provisional and
  definitive duties, keyed by CELEX (32024R1866 for Regulation (EU) 2024/1866).

Live, the C feed is read first, then the ongoing cases, then the search (the
order carries what was read in `cb_kwargs`); the L feed beside them.

Facts relied on: `list/ongoing`, `details/{id}`, their fields: reported (three
2026 clients); `POST /api/eucase/search` with `{}` returning all cases: reported
(2026-07/09), its answer taken to be a list of case objects like `list/ongoing`'s
(not established: anything else fails the crawl by name); `rssId=222` = OJ L acts:
reported ("verified 200"); `rssId=221` = OJ C: reported (2026); notices of
initiation published in OJ C: seen (a public copy of 2017/C 122/06); the C-series
CELEX form: reported; EUR-Lex sometimes serving an AWS WAF challenge: reported,
and named a block.

A case that drops off the ongoing list is not closed for that (measures may
still apply), and nothing is ever removed from a document stream.

`--url` takes a recorded case list (JSON array; `search.json` is read as a
search answer), a recorded case (JSON object), a recorded feed (RSS), or a
directory of such files. A recorded list's cases are followed to
`details/<id>.json` beside it.
"""

from __future__ import annotations

import re
from typing import Any

import scrapy

from spiders.kit import licences
from spiders.kit.base import SourceSpider
from spiders.kit.errors import SourceEmpty, SourceShapeChanged
from spiders.kit.formats import iso_date, squash
from spiders.kit.items import Document
from spiders.kit.recorded import file_name, files_in, is_local, local_directory, sibling
from spiders.kit.safe_xml import refuse_entities
from spiders.kit.useragent import BROWSER_USER_AGENT

TRON = "https://tron.trade.ec.europa.eu/investigations"
CASE_LIST = f"{TRON}/api/eucase/list/ongoing"
CASE_SEARCH = f"{TRON}/api/eucase/search"  # POST {}: every case, closed ones too (reported)
OJ_C_FEED = "https://eur-lex.europa.eu/EN/display-feed.rss?rssId=221"  # OJ C series (reported)
OJ_L_FEED = "https://eur-lex.europa.eu/EN/display-feed.rss?rssId=222"
SEARCH_FILE = "search.json"  # a recorded search answer, in a replayed directory
EURLEX_CELEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{}"

INSTRUMENTS = {"AD": "Anti-dumping", "AS": "Anti-subsidy", "SG": "Safeguard"}
TIMETABLE = ("predisc", "provMeasures", "returnCMTSDisc", "returnCMTSFinalDisc", "defMeasures", "tpvFrom", "tpvTo")
FEED_ITEM_TAGS = {"title", "link", "description", "pubDate", "guid", "category", "date"}

TRADE_DEFENCE = re.compile(
    r"anti-?dumping|countervailing|anti-?subsid|safeguard|circumvention|dumped|subsidised imports", re.IGNORECASE
)
CELEX_IN_URL = re.compile(r"CELEX(?::|%3A)(\d{5}[A-Z]{1,2}\d{4,5}(?:\(\d{2}\))?)", re.IGNORECASE)
OJ_C_IN_URL = re.compile(r"OJ(?::|%3A)C_(\d{4})(\d{5})", re.IGNORECASE)
ACT_NUMBER = re.compile(r"\b(Implementing\s+)?(Regulation|Decision)\s+\(EU\)\s+(\d{4})/(\d+)", re.IGNORECASE)
# One crawl that finds fewer ongoing cases than this has read a broken or partial list.
MIN_ONGOING_CASES = 1


class EuTradeDefenceSpider(SourceSpider):
    name = "eu_trade_defence"
    publisher = "European Commission, DG Trade"
    jurisdiction = "EU"
    license = licences.EUROPEAN_UNION
    kind = "documents"
    live_urls = [OJ_C_FEED, CASE_LIST, CASE_SEARCH, OJ_L_FEED]
    # Dozens of cases are always under investigation; the search adds every closed case (how many is not
    # established: the case numbers run to the 700s per instrument), the feeds the day's notices and acts.
    expected_items = (10, 10_000)
    # EUR-Lex sits behind a WAF that turns away non-browser clients (reported).
    custom_settings = {"USER_AGENT": BROWSER_USER_AGENT}

    # Every crawl reads the whole case list and feed (the store keeps what is new), so it takes no `since`.

    async def start(self):
        """Live: the OJ C feed, then the ongoing cases (with their details), then the search for all others;
        the OJ L feed beside them. The order lets a notice read from the feed not come again from its case."""
        directory = local_directory(self.start_urls[0])
        if directory or self.replaying:
            for url in files_in(directory, (".json", ".xml", ".rss")) if directory else self.start_urls:
                yield scrapy.Request(url, callback=self.parse, errback=self.on_download_error)
            return
        yield scrapy.Request(OJ_C_FEED, self.parse_feed, errback=self.on_download_error, cb_kwargs={"then_cases": True})
        yield scrapy.Request(OJ_L_FEED, self.parse_feed, errback=self.on_download_error)

    def parse(self, response):
        """Each answer is read by what it holds: a case list, one case, or the Official Journal feed."""
        self.require_body(response, looks_like=(b"[", b"{", b"<?xml", b"<rss"))
        if response.body.lstrip()[:1] == b"<":
            yield from self.parse_feed(response)
            return
        data = self.read_json(response)
        if isinstance(data, list) and file_name(response.url) == SEARCH_FILE:
            yield from self.parse_search(response, data)
        elif isinstance(data, list):
            yield from self.parse_case_list(response, data)
        elif isinstance(data, dict) and "caseNumber" in data:
            yield from self.parse_case(response, listed=None, case=data)
        else:
            raise SourceShapeChanged(
                self.name, f"{file_name(response.url)} is neither a TRON case list nor a TRON case"
            )

    def _build_item(self, **fields: Any) -> Document:
        """Every document of this source (a case, one of its notices, an act) is this body's, in the EU."""
        return Document(source=self.name, jurisdiction=self.jurisdiction, publisher=self.publisher, **fields)

    # -- TRON ---------------------------------------------------------------------

    def parse_ongoing(self, response, notices_read: frozenset[str] = frozenset()):
        """Live: the ongoing cases, then the search for every other case."""
        cases = self.read_json(response, looks_like=(b"[",))
        yield from self.parse_case_list(response, cases, notices_read)
        ongoing = frozenset(_case_key(case) for case in cases)
        yield scrapy.Request(
            CASE_SEARCH,
            method="POST",
            body=b"{}",
            headers={"Content-Type": "application/json"},
            callback=self.parse_search,
            errback=self.on_download_error,
            cb_kwargs={"ongoing": ongoing},
        )

    def parse_case_list(self, response, cases: list[Any], notices_read: frozenset[str] = frozenset()):
        if not isinstance(cases, list):
            raise SourceShapeChanged(self.name, f"{file_name(response.url)} is not a list of cases")
        if len(cases) < MIN_ONGOING_CASES:
            raise SourceEmpty(self.name, f"{file_name(response.url)} lists no ongoing case")
        for number, case in enumerate(cases, start=1):
            where = f"{file_name(response.url)} case {number}"
            self._check_listed(case, where)
            if case.get("id") is not None and case.get("hasDetailPage") is not False:
                yield scrapy.Request(
                    self._details_url(response.url, case["id"]),
                    callback=self.parse_details,
                    errback=self.on_download_error,
                    cb_kwargs={"listed": case, "notices_read": notices_read},
                )
            else:
                yield from self.parse_case(response, listed=None, case=dict(case))

    def parse_search(self, response, cases: list[Any] | None = None, ongoing: frozenset[str] = frozenset()):
        """Every case, closed ones too: those not ongoing become documents from what the search gives."""
        if cases is None:
            cases = self.read_json(response)
        if not isinstance(cases, list) or not cases:
            raise SourceShapeChanged(self.name, f"{file_name(response.url)}: the case search gave no list of cases")
        for number, case in enumerate(cases, start=1):
            self._check_listed(case, f"{file_name(response.url)} case {number}")
            if _case_key(case) not in ongoing:
                yield from self.parse_case(response, listed=None, case=dict(case))

    def _check_listed(self, case: Any, where: str) -> None:
        if not isinstance(case, dict):
            raise SourceShapeChanged(self.name, f"{where} is not an object")
        self.require_fields(case, ("caseNumber", "shortName"), where)

    def parse_details(self, response, listed: dict[str, Any], notices_read: frozenset[str] = frozenset()):
        case = self.read_json(response, looks_like=(b"{",))
        if not isinstance(case, dict):
            raise SourceShapeChanged(self.name, f"{file_name(response.url)} is not a TRON case")
        yield from self.parse_case(response, listed=listed, case=case, notices_read=notices_read)

    @staticmethod
    def _details_url(list_url: str, case_id: Any) -> str:
        if is_local(list_url):
            return sibling(list_url, f"details/{case_id}.json")
        return f"{TRON}/api/eucase/details/{case_id}"

    def parse_case(
        self, response, listed: dict[str, Any] | None, case: dict[str, Any], notices_read: frozenset[str] = frozenset()
    ):
        """One case document, then one document per Official Journal C notice among its publications
        (unless the OJ C feed gave it already this crawl)."""
        where = f"{file_name(response.url)} case {case.get('caseNumber') or '?'}"
        record = {**(listed or {}), **case}
        self.require_fields(record, ("caseNumber", "shortName"), where)
        number = str(record.pop("caseNumber")).strip()
        product = squash(record.pop("shortName"))
        countries = self._parse_countries(record.pop("caseCountries", None) or [])
        case_id = record.pop("id", None)
        publications = [self._parse_publication(dict(p), where) for p in record.pop("publications", None) or []]
        instrument = INSTRUMENTS.get(number[:2].upper())
        case_type = squash(record.pop("caseType", None))
        initiated = iso_date(record.pop("initDate", None)) or _initiation_date(publications)
        extra = {
            "tron_id": case_id,
            "countries": countries,
            "article_of_toc": record.pop("articleOfToc", None),
            "has_detail_page": record.pop("hasDetailPage", None),
            "ongoing": record.pop("ongoing", None),
            "category": record.pop("category", None),
            "measure_status": record.pop("measStatus", None),
            "timetable": {key: record.pop(key) for key in TIMETABLE if key in record} or None,
            "publications": publications or None,
        }
        self.audit_leftovers(record, "TRON case")
        yield self._build_item(
            document_number=number,
            title=self._parse_case_title(number, product, countries),
            publication_date=initiated,
            type="Case",
            subtype=instrument,
            action=case_type,
            abstract=self._parse_case_abstract(instrument, case_type, product, countries),
            html_url=f"{TRON}/case-view?caseId={case_id}" if case_id is not None else None,
            extra={key: value for key, value in extra.items() if value not in (None, [], {})},
        )
        for publication in publications:
            if publication.get("celex", "").startswith("5") and publication["celex"] not in notices_read:
                yield self._read_notice(publication, number)

    @staticmethod
    def _parse_countries(countries: list[dict[str, Any]]) -> list[str]:
        names = [squash(c.get("countryName")) for c in countries if isinstance(c, dict)]
        return [name for name in names if name]

    @staticmethod
    def _parse_case_title(number: str, product: str, countries: list[str]) -> str:
        origin = f" originating in {', '.join(countries)}" if countries else ""
        return f"{number}: {product}{origin}"

    @staticmethod
    def _parse_case_abstract(instrument, case_type, product, countries) -> str | None:
        if not instrument:
            return None
        kind = f"{instrument} {case_type.lower()}" if case_type else f"{instrument} case"
        origin = f" originating in {', '.join(countries)}" if countries else ""
        return f"{kind} concerning imports of {product[0].lower() + product[1:]}{origin}."

    def _parse_publication(self, publication: dict[str, Any], where: str) -> dict[str, Any]:
        transformed, plain = publication.pop("urlTransformed", None), publication.pop("url", None)
        url = transformed or plain
        parsed = {
            "type": squash(publication.pop("typeOfPublication", None)),
            "title": squash(publication.pop("contents", None)),
            "date": iso_date(publication.pop("datePublication", None)),
            "url": url if url and url != "N/A" else None,
            "celex": _celex_from_url(url),
            "tron_publication_id": publication.pop("casePublicationId", None),
        }
        publication.pop("caseId", None)
        self.audit_leftovers(publication, "TRON publication")
        return {key: value for key, value in parsed.items() if value not in (None, "")}

    def _read_notice(self, publication: dict[str, Any], case_number: str | None) -> Document:
        """A notice in the Official Journal C series (among a case's publications, or in the OJ C feed), by CELEX."""
        celex = publication["celex"]
        # Since October 2023 a C-series act is numbered C/<year>/<n>, and its CELEX is 5<year>XC<n, 5 digits>.
        numbered = re.fullmatch(r"5(\d{4})XC(\d{5})", celex)
        reference = f"C/{numbered.group(1)}/{int(numbered.group(2))}" if numbered else None
        title = publication.get("title") or f"{publication.get('type') or 'Notice'} ({case_number})"
        is_initiation = re.search(r"initiation", f"{publication.get('type')} {title}", re.IGNORECASE)
        return self._build_item(
            document_number=celex,
            title=title,
            publication_date=publication.get("date"),
            type="Notice of initiation" if is_initiation else "Notice",
            subtype=publication.get("type"),
            citation=f"OJ C, {reference}" if reference else None,
            html_url=EURLEX_CELEX.format(celex),
            extra={
                **({"case_number": case_number} if case_number else {}),
                **({"eli": f"http://data.europa.eu/eli/{reference}/oj"} if reference else {}),
            },
        )

    # -- the Official Journal L feed ------------------------------------------------

    def parse_feed(self, response, then_cases: bool = False):
        """An Official Journal feed: L acts and C notices (notices of initiation), trade-defence titles only."""
        # Parsed as XML whatever the served type: an HTML parser would drop RSS <link> text.
        refuse_entities(response.body, self.name, file_name(response.url))
        feed = scrapy.Selector(text=self.body_text(response), type="xml")
        feed.remove_namespaces()
        items = feed.xpath("//channel/item | //entry")
        if not items:
            raise SourceEmpty(self.name, f"{file_name(response.url)} has no feed items")
        for number, item in enumerate(items, start=1):
            where = f"{file_name(response.url)} item {number}"
            for tag in sorted({child.xpath("name()").get() for child in item.xpath("*")} - FEED_ITEM_TAGS):
                self.warn(f"{file_name(response.url)}: new feed element {tag!r} is not used")
            title = squash(" ".join(item.xpath("title//text()").getall()))
            if not title:
                raise SourceShapeChanged(self.name, f"{where} has no title")
            if TRADE_DEFENCE.search(title):
                yield self._read_act(item, title, where)
        if then_cases:
            notices = frozenset(_celex_from_url(squash(item.xpath("link/text()").get())) or "" for item in items)
            yield scrapy.Request(
                CASE_LIST,
                callback=self.parse_ongoing,
                errback=self.on_download_error,
                cb_kwargs={"notices_read": notices - {""}},
            )

    def _read_act(self, item, title: str, where: str) -> Document:
        """A trade-defence act of the Official Journal L feed (or a notice of the C feed), keyed by CELEX."""
        link = squash(item.xpath("link/text()").get() or item.xpath("link/@href").get())
        celex = _celex_from_url(link) or _celex_from_title(title)
        if not celex:
            raise SourceShapeChanged(self.name, f"{where} ({title[:60]}...) gives no CELEX number in its link or title")
        if celex.startswith("5"):  # the C series: a notice (of initiation, of an expiry review, ...)
            date = iso_date(item.xpath("pubDate/text() | date/text()").get())
            return self._read_notice({"title": title, "date": date, "celex": celex}, case_number=None)
        act = ACT_NUMBER.search(title)
        description = squash(" ".join(item.xpath("description//text()").getall()))
        return self._build_item(
            document_number=celex,
            title=title,
            publication_date=iso_date(item.xpath("pubDate/text() | date/text()").get()),
            type=_act_type(title),
            subtype=_duty_stage(title),
            abstract=description if description and description != title else None,
            citation=f"OJ L, {act.group(3)}/{act.group(4)}" if act else None,
            html_url=link or EURLEX_CELEX.format(celex),
            extra=_act_extra(act),
        )


def _case_key(case: Any) -> str:
    """A case's identity across TRON's answers: its id, else its case number."""
    if not isinstance(case, dict):
        return ""
    return str(case.get("id") if case.get("id") is not None else case.get("caseNumber"))


def _initiation_date(publications: list[dict[str, Any]]) -> str | None:
    dates = [
        p["date"] for p in publications if "date" in p and re.search(r"initiation", p.get("type", ""), re.IGNORECASE)
    ]
    return min(dates) if dates else None


def _celex_from_url(url: str | None) -> str | None:
    """CELEX from a EUR-Lex link: `uri=CELEX:32024R1866`, or `uri=OJ:C_202300160` (C notices since October 2023)."""
    if not url:
        return None
    match = CELEX_IN_URL.search(url)
    if match:
        return match.group(1).upper()
    match = OJ_C_IN_URL.search(url)
    if match:
        return f"5{match.group(1)}XC{match.group(2)}"
    return None


def _celex_from_title(title: str) -> str | None:
    """'Commission Implementing Regulation (EU) 2024/1866 of ...' is CELEX 32024R1866."""
    match = ACT_NUMBER.search(title)
    if not match:
        return None
    letter = "R" if match.group(2).lower() == "regulation" else "D"
    return f"3{match.group(3)}{letter}{int(match.group(4)):04d}"


def _act_type(title: str) -> str:
    match = ACT_NUMBER.search(title)
    if not match:
        return "Act"
    return ("Implementing " + match.group(2).lower()) if match.group(1) else match.group(2).capitalize()


def _duty_stage(title: str) -> str | None:
    lowered = title.lower()
    for stage in ("provisional", "definitive"):
        if (
            f"imposing a {stage}" in lowered
            or f"{stage} anti-dumping" in lowered
            or f"{stage} countervailing" in lowered
        ):
            return f"{stage.capitalize()} duty"
    return None


def _act_extra(act) -> dict[str, Any]:
    if not act:
        return {}
    kind = ("reg" if act.group(2).lower() == "regulation" else "dec") + ("_impl" if act.group(1) else "")
    return {"eli": f"http://data.europa.eu/eli/{kind}/{act.group(3)}/{int(act.group(4))}/oj"}
