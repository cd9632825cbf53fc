"""U.S. Federal Register: rules and notices of the agencies that run export controls,
sanctions, trade remedies and the CHIPS programme, from the documents search API.

The API caps offset paging at 10,000 results and a truncated answer looks
complete, so the live crawl asks one calendar month at a time and fails a
window that reports 10,000 matches.

A backfill (`citations="85 FR 83799,84 FR 29373"`, `agencies=<slugs>`) fetches
the documents listings cite. The API has no condition for a volume or a page,
so it asks for each cited volume's year (volume 87 is 2022) from the listing
agencies and keeps only the documents whose pages cover a cited page, with
their full text.

What it relies on (`../shared/SOURCES_LIVE.md` §1 and "Updates", with how sure each is):
- the documents search API needs no key (seen), takes `conditions[agencies][]`,
  `conditions[term]`, `fields[]` and `page` (seen) and `conditions[publication_date][gte|lte]`
  (reported); an unknown field is HTTP 400 (seen);
- `per_page` 1000 (seen): above 2000 it silently becomes 20 (seen in the API's code,
  reported by a 2026 client), so 1000 is the page size, never more;
- offset paging stops at 10,000 results and `count` is capped there (reported by several
  2026 clients): hence one month per request, and a window that counts 10,000 fails;
- `count: 0` comes without `results` (seen): an empty answer, not a broken one;
- follow `next_page_url` as given (it may carry a `search_after_cursor`, reported), never
  build one; federalregister.gov's HTML pages are bot-walled, its API is not (reported).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy

from spiders.kit import clock, fetch, licences, recorded
from spiders.kit.base import SourceSpider
from spiders.kit.errors import SourceBlocked, SourceEmpty, SourceShapeChanged, SourceTruncated
from spiders.kit.items import Document

API = "https://www.federalregister.gov/api/v1/documents.json"
AGENCIES = (
    "industry-and-security-bureau",
    "national-institute-of-standards-and-technology",
    "international-trade-administration",
    "foreign-assets-control-office",
    "trade-representative-office-of-united-states",
)
FIELDS = (
    "abstract",
    "action",
    "agencies",
    "body_html_url",
    "cfr_references",
    "citation",
    "comment_url",
    "comments_close_on",
    "correction_of",
    "corrections",
    "dates",
    "docket_ids",
    "document_number",
    "effective_on",
    "end_page",
    "full_text_xml_url",
    "html_url",
    "json_url",
    "page_length",
    "pdf_url",
    "president",
    "public_inspection_pdf_url",
    "publication_date",
    "raw_text_url",
    "regulation_id_numbers",
    "significant",
    "signing_date",
    "start_page",
    "subtype",
    "title",
    "toc_doc",
    "toc_subject",
    "topics",
    "type",
    "volume",
    "executive_order_number",
    "presidential_document_number",
    "proclamation_number",
    "disposition_notes",
    "regulations_dot_gov_url",
    "mods_url",
)
REQUIRED = ("document_number", "title", "type", "publication_date")
# Kept under `extra`: useful to a reader, not worth a column.
EXTRA = (
    "president",
    "comment_url",
    "comments_close_on",
    "significant",
    "signing_date",
    "executive_order_number",
    "presidential_document_number",
    "proclamation_number",
    "public_inspection_pdf_url",
    "toc_subject",
    "toc_doc",
    "topics",
    "body_html_url",
    "full_text_xml_url",
    "json_url",
    "page_length",
    "corrections",
    "disposition_notes",
    "regulations_dot_gov_url",
    "mods_url",
)
# Returned by the API but deliberately dropped: volatile (page_views changes on
# every fetch), search-specific, or duplicated by a field we keep.
IGNORED = (
    "page_views",
    "excerpts",
    "images",
    "images_metadata",
    "dockets",
    "regulations_dot_gov_info",
    "regulation_id_number_info",
    "executive_order_notes",
    "agency_names",
    "docket_id",
)
COUNT_CAP = 10_000
DEFAULT_SINCE = "2022-01-01"


def search_url(since: str | None = None, until: str | None = None, agencies=AGENCIES, page_size: int = 1000) -> str:
    """A documents-search URL for our agencies, oldest first, with every field we read."""
    params: list[tuple[str, str]] = [("conditions[agencies][]", slug) for slug in agencies]
    if since:
        params.append(("conditions[publication_date][gte]", since))
    if until:
        params.append(("conditions[publication_date][lte]", until))
    params += [("fields[]", name) for name in FIELDS]
    params += [("order", "oldest"), ("per_page", str(page_size))]
    return f"{API}?{urlencode(params)}"


def month_windows(since: date, until: date):
    """(first, last) date pairs covering since..until, one calendar month at most each."""
    start = since
    while start <= until:
        next_month = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(next_month - timedelta(days=1), until)
        yield start, end
        start = end + timedelta(days=1)


class FederalRegisterFields:
    """Fields the documents API and the public-inspection API print the same way."""

    @staticmethod
    def _parse_title(title: str) -> str:
        return " ".join(title.split())

    @staticmethod
    def _parse_agency_names(agencies: list[dict[str, Any]]) -> list[str]:
        names = [a.get("name") or a.get("raw_name") for a in agencies]
        return list(dict.fromkeys(name for name in names if name))

    @staticmethod
    def _parse_publisher(agencies: list[dict[str, Any]]) -> str:
        """The most specific agency: a bureau (it has a parent) before its department."""
        ranked = sorted(agencies, key=lambda a: a.get("parent_id") is None)
        for agency in ranked:
            if agency.get("name") or agency.get("raw_name"):
                return agency.get("name") or agency["raw_name"]
        return "Federal Register"

    def _agency_fields(self, agencies: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "publisher": self._parse_publisher(agencies),
            "agencies": self._parse_agency_names(agencies),
            "agency_slugs": [a["slug"] for a in agencies if a.get("slug")],
        }

    @staticmethod
    def _link_fields(record: dict[str, Any]) -> dict[str, Any]:
        return {
            "html_url": record.pop("html_url", None),
            "pdf_url": record.pop("pdf_url", None),
            "full_text_url": record.pop("raw_text_url", None),
        }


class FederalRegisterSpider(FederalRegisterFields, SourceSpider):
    name = "federal_register"
    publisher = "Office of the Federal Register (NARA)"
    jurisdiction = "US"
    license = licences.US_GOVERNMENT_WORK
    kind = "documents"
    live_urls = [search_url()]
    expected_items = (0, 20_000)  # a quiet week yields nothing; that is healthy
    reads_since = True
    # Subclasses watching one programme narrow the query (chips_nist asks NIST only).
    agencies: tuple[str, ...] = AGENCIES
    default_since = DEFAULT_SINCE

    def __init__(
        self,
        url: str | None = None,
        since: str | None = None,
        until: str | None = None,
        full_text: str | bool = False,
        citations: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(url=url, **kwargs)
        self.since = date.fromisoformat(since or self.default_since)
        self.until = date.fromisoformat(until or clock.today())
        self.fetch_full_text = str(full_text).lower() in ("1", "true", "yes")
        self.cited = parse_cited(citations) if citations else None
        if self.cited is not None:
            self.fetch_full_text = True
            slugs = kwargs.get("agencies")
            self.agencies = tuple(slugs.split(",")) if isinstance(slugs, str) and slugs else self.agencies

    async def start(self):
        if self.replaying:
            urls = self.start_urls
        elif self.cited is not None:
            urls = [
                search_url(f"{year}-01-01", f"{year}-12-31", agencies=self.agencies)
                for year in sorted({volume + 1935 for volume, _ in self.cited})
            ]
        else:
            urls = [
                search_url(first.isoformat(), last.isoformat(), agencies=self.agencies)
                for first, last in month_windows(self.since, self.until)
            ]
        for url in urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_download_error)

    def parse(self, response, seen: frozenset[str] = frozenset()):
        """One page of a search; `seen` holds the document numbers of the pages before it."""
        page = self.read_json(response, looks_like=(b"{",))
        if not isinstance(page, dict) or "count" not in page:
            raise SourceShapeChanged(self.name, f"{response.url} has no 'count': not a documents search answer")
        if page["count"] >= COUNT_CAP:
            raise SourceShapeChanged(
                self.name, f"{response.url} matched {page['count']} documents, the API's cap: narrow the date window"
            )
        # With no match the API leaves out `results` entirely: an empty answer, not a broken one.
        results = page.get("results", [])
        if page["count"] and not isinstance(results, list):
            raise SourceShapeChanged(
                self.name, f"{response.url} reports {page['count']} documents but has no 'results' list"
            )
        for record in results:
            document = self._build_item(dict(record))
            if not self.wanted(document):
                continue
            text_url = self._full_text_url(response.url, document)
            if text_url:
                yield response.follow(
                    text_url,
                    callback=self.parse_full_text,
                    errback=self.on_download_error,
                    cb_kwargs={"document": document},
                )
            else:
                yield document
        seen = seen | {str(record["document_number"]) for record in results}
        next_url = page.get("next_page_url")
        if not next_url and len(seen) != page["count"]:
            # A cut answer looks complete, and the next crawl asks only from the newest date stored.
            raise SourceTruncated(
                self.name,
                f"{_short(response.url)} ends the search at {len(seen)} documents, its count says {page['count']}",
            )
        if next_url:
            if self._same_origin(response.url, next_url):
                yield response.follow(
                    next_url, callback=self.parse, errback=self.on_download_error, cb_kwargs={"seen": seen}
                )
            else:
                # A recorded page links to the live API; replaying must not reach the network.
                self.warn(f"not following next_page_url to another origin while replaying {response.url}")

    def wanted(self, document: Document) -> bool:
        """Whether a parsed result belongs to this crawl: every one, or in a backfill one covering a cited page."""
        if self.cited is None:
            return True
        if document.volume is None or document.start_page is None:
            return False
        end = document.end_page or document.start_page
        return any(v == document.volume and document.start_page <= p <= end for v, p in self.cited)

    def _full_text_url(self, search_url: str, document: Document) -> str | None:
        """Where to read the document's text: its `raw_text_url` when asked for; replaying, a text recorded beside
        the search answer as <document number>.txt (none recorded, no text)."""
        if self.replaying and recorded.is_local(search_url):
            beside = recorded.sibling(search_url, f"{document.document_number}.txt")
            return beside if recorded.local_path(beside).is_file() else None
        return document.full_text_url if self.fetch_full_text else None

    def parse_full_text(self, response, document: Document):
        """The document's plain text; a page or an empty answer instead fails the crawl, naming the document."""
        where = f"the full text of {document.document_number} ({recorded.file_name(response.url)})"
        if fetch.is_html(response.body):
            raise SourceBlocked(self.name, f"{where} is an HTML page, not the document's text")
        text = self.body_text(response).strip()
        if not text:
            raise SourceEmpty(self.name, f"{where} is empty")
        document.full_text = text
        yield document

    # -- fields ---------------------------------------------------------------

    def _build_item(self, record: dict[str, Any]) -> Document:
        """One document from one search result; fields read are popped, so what is left is new upstream."""
        number = record.get("document_number") or "?"
        self.require_fields(record, REQUIRED, f"document {number}")
        agencies = record.pop("agencies", None) or []
        document = Document(
            source=self.name,
            document_number=record.pop("document_number"),
            title=self._parse_title(record.pop("title")),
            publication_date=record.pop("publication_date"),
            jurisdiction=self.jurisdiction,
            type=record.pop("type"),
            subtype=record.pop("subtype", None),
            abstract=record.pop("abstract", None),
            action=record.pop("action", None),
            dates=record.pop("dates", None),
            effective_on=record.pop("effective_on", None),
            citation=record.pop("citation", None),
            volume=record.pop("volume", None),
            start_page=record.pop("start_page", None),
            end_page=record.pop("end_page", None),
            cfr_references=self._parse_cfr_references(record.pop("cfr_references", None)),
            docket_ids=record.pop("docket_ids", None) or [],
            regulation_id_numbers=record.pop("regulation_id_numbers", None) or [],
            correction_of=self._parse_correction_of(record.pop("correction_of", None)),
            extra=self._parse_extra(record),
            **self._agency_fields(agencies),
            **self._link_fields(record),
        )
        self.audit_leftovers(record, "documents search result", ignored=IGNORED)
        return document

    @staticmethod
    def _parse_cfr_references(references) -> list[dict[str, Any]]:
        return [{"title": r.get("title"), "part": r.get("part")} for r in references or []]

    @staticmethod
    def _parse_correction_of(value: str | None) -> str | None:
        """The API gives the corrected document's API URL; keep its document number."""
        if not value:
            return None
        return urlsplit(value).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")

    @staticmethod
    def _parse_extra(record: dict[str, Any]) -> dict[str, Any]:
        extra = {}
        for name in EXTRA:
            value = record.pop(name, None)
            if value not in (None, [], {}, ""):
                extra[name] = value
        president = extra.get("president")
        if isinstance(president, dict):
            extra["president"] = president.get("name")
        return extra

    @staticmethod
    def _same_origin(a: str, b: str) -> bool:
        first, second = urlsplit(a), urlsplit(b)
        return (first.scheme, first.netloc) == (second.scheme, second.netloc)


def parse_cited(text: str) -> set[tuple[int, int]]:
    """(volume, page) pairs from "85 FR 83799,84 FR 29373"; anything else is a usage error."""
    cited = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        volume, mark, page = (part.split() + ["", "", ""])[:3]
        if mark != "FR" or not volume.isdigit() or not page.isdigit():
            raise ValueError(f"not a Federal Register citation: {part!r} (expected like '85 FR 83799')")
        cited.add((int(volume), int(page)))
    if not cited:
        raise ValueError("citations is empty: name at least one, like '85 FR 83799'")
    return cited


def _short(url: str) -> str:
    """A search URL without its long query, for messages (a recorded file by its name)."""
    return url.rsplit("/", 1)[-1] if url.startswith("file:") else url.split("?", 1)[0]
