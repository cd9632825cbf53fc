"""U.S. Federal Register public inspection: rules and notices filed the day(s) before they publish.

The public-inspection API answers one issue at a time (`current.json`, or an
issue by date) for every agency at once, so our agencies are picked out
here, by slug, or by name when the API could not match an agency (it then
gives only `raw_name`). A document keeps its Federal Register document number
when it publishes; the `public_inspection_links` view joins the two records.

Quirks handled (SOURCES_LIVE.md §1.2):
- a late special filing appears in that day's issue and again in the next,
  so the issues of one crawl are read newest first, one after the other, and
  a document number already seen is skipped (the newest state wins);
- a withdrawn document has no `filed_at` and no `publication_date`, and an
  `editorial_note` says why: it is kept, with the note;
- answers come from a shared cache that can be an hour old: live requests
  carry a throwaway `_` parameter.

`--url` takes a recorded issue (file:// or http://), or a directory of them
(`current.json` is read first, the other `*.json` files newest name first).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import scrapy

from spiders.federal_register.federal_register import AGENCIES, FederalRegisterFields
from spiders.kit import clock, licences
from spiders.kit.base import SourceSpider
from spiders.kit.errors import SourceShapeChanged, SourceTruncated
from spiders.kit.formats import clean
from spiders.kit.items import Document
from spiders.kit.recorded import files_in, is_local, local_directory

API = "https://www.federalregister.gov/api/v1/public-inspection-documents"
FIELDS = (
    "agencies",
    "docket_numbers",
    "document_number",
    "editorial_note",
    "filed_at",
    "filing_type",
    "html_url",
    "json_url",
    "pdf_updated_at",
    "pdf_url",
    "publication_date",
    "raw_text_url",
    "title",
    "type",
)
# The API always sends these keys (null when there is no value); a missing key is a changed API.
REQUIRED = ("document_number", "title", "type", "filing_type", "filed_at", "publication_date", "agencies")
# Kept under `extra`; the public_inspection_links view reads filed_at, filing_type and editorial_note.
EXTRA = ("filed_at", "filing_type", "editorial_note", "pdf_updated_at", "json_url")
# Sent when asked for or by default, but not worth keeping: volatile or repeated elsewhere.
IGNORED = (
    "agency_names",
    "agency_letters",
    "page_views",
    "excerpts",
    "subject_1",
    "subject_2",
    "subject_3",
    "toc_doc",
    "toc_subject",
    "pdf_file_name",
    "pdf_file_size",
    "num_pages",
    "last_public_inspection_issue",
)
# Names the API prints for our agencies, to recognise an agency it could not match to a slug.
AGENCY_NAMES = {
    "industry-and-security-bureau": ("Industry and Security Bureau", "Bureau of Industry and Security"),
    "national-institute-of-standards-and-technology": ("National Institute of Standards and Technology",),
    "international-trade-administration": ("International Trade Administration",),
    "foreign-assets-control-office": ("Foreign Assets Control Office", "Office of Foreign Assets Control"),
    "trade-representative-office-of-united-states": (
        "Trade Representative, Office of United States",
        "Office of the United States Trade Representative",
    ),
}
KNOWN_NAMES = {name.casefold() for slug in AGENCIES for name in AGENCY_NAMES[slug]}
# Every live crawl reads back this many days, so an issue a failed crawl missed is still seen.
LOOKBACK_DAYS = 4
MAX_DAYS = 92


def issue_url(available_on: str | None = None) -> str:
    """The current issue, or the issue of one day, with the fields we read."""
    params: list[tuple[str, str]] = []
    if available_on:
        params.append(("conditions[available_on]", available_on))
    params += [("fields[]", name) for name in FIELDS]
    path = f"{API}.json" if available_on else f"{API}/current.json"
    return f"{path}?{urlencode(params)}"


def cache_busted(url: str) -> str:
    """A throwaway parameter past the API's shared cache (it ignores unknown parameters)."""
    return f"{url}&_={int(clock.current().timestamp() * 1000)}"


def issue_days(since: date, today: date) -> list[date]:
    """Business days from today back to `since`, newest first (the API has no weekend issues)."""
    days, day = [], today
    while day >= since:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days


class FederalRegisterPublicInspectionSpider(FederalRegisterFields, SourceSpider):
    name = "federal_register_public_inspection"
    publisher = "Office of the Federal Register (NARA)"
    jurisdiction = "US"
    license = licences.US_GOVERNMENT_WORK
    kind = "documents"
    live_urls = [issue_url()]
    # Most issues hold nothing from our five agencies; a crawl reading back weeks may hold hundreds.
    expected_items = (0, 2_000)
    schedule = "hourly on federal business days (filings post at 08:45 ET, specials until about 18:00)"
    reads_since = True

    def __init__(self, url: str | None = None, since: str | None = None, **kwargs: Any):
        super().__init__(url=url, **kwargs)
        self.since = since

    async def start(self):
        urls = self._replay_urls() if self.replaying else self._live_urls(date.fromisoformat(clock.today()))
        if urls:
            yield self._issue_request(urls, seen=frozenset())

    def _replay_urls(self) -> list[str]:
        directory = local_directory(self.start_urls[0])
        if directory is None:
            return list(self.start_urls)
        urls = files_in(directory, (".json",))
        current = [url for url in urls if url.endswith("/current.json")]
        return current + sorted((url for url in urls if url not in current), reverse=True)

    def _live_urls(self, today: date) -> list[str]:
        """The current issue, then every issue from today back to `since` (at least a few days back)."""
        first = today - timedelta(days=LOOKBACK_DAYS)
        if self.since:
            first = min(first, date.fromisoformat(self.since))
        if first < today - timedelta(days=MAX_DAYS):
            self.warn(f"--since {self.since} is more than {MAX_DAYS} days back; reading the last {MAX_DAYS} days only")
            first = today - timedelta(days=MAX_DAYS)
        urls = [issue_url()] + [issue_url(day.isoformat()) for day in issue_days(first, today)]
        return [cache_busted(url) for url in urls]

    def _issue_request(self, urls: list[str], seen: frozenset[str]) -> scrapy.Request:
        """Issues are read one after another so a document repeated in an older issue can be skipped."""
        return scrapy.Request(
            urls[0],
            callback=self.parse,
            errback=self.on_download_error,
            dont_filter=True,
            cb_kwargs={"queue": urls[1:], "seen": seen},
        )

    def parse(self, response, queue: Iterable[str] = (), seen: frozenset[str] = frozenset()):
        page = self._read_answer(response)
        numbers = set(seen)
        for number, record in enumerate(page.get("results", []), start=1):
            where = f"{_short(response.url)} result {number}"
            if not isinstance(record, dict):
                raise SourceShapeChanged(self.name, f"{where} is not an object")
            self.require_fields(record, REQUIRED, where)
            document_number = str(record["document_number"]).strip()
            if document_number in numbers:
                continue  # a late special filing repeated in an older issue
            numbers.add(document_number)
            if self._is_ours(record.get("agencies") or [], where):
                yield self._build_item(dict(record))
        next_url = page.get("next_page_url")
        if next_url and not self.replaying:
            queue = [next_url, *queue]  # a search answer (not an issue) continues on its next page
        queue = list(queue)
        if queue:
            yield self._issue_request(queue, frozenset(numbers))

    def _read_answer(self, response) -> dict[str, Any]:
        page = self.read_json(response, looks_like=(b"{",))
        if not isinstance(page, dict) or "count" not in page:
            raise SourceShapeChanged(
                self.name, f"{_short(response.url)} has no 'count': not a public-inspection answer"
            )
        results = page.get("results", [])
        if not isinstance(results, list) or (page["count"] and "results" not in page):
            raise SourceShapeChanged(
                self.name, f"{_short(response.url)} reports {page['count']} documents but has no 'results' list"
            )
        numbers = {str(r.get("document_number")) for r in results if isinstance(r, dict)}
        whole = all(isinstance(r, dict) for r in results)  # else the results are read as broken, by name
        if whole and page["count"] != len(numbers) and not page.get("next_page_url"):
            # An issue is not paginated and its count is its number of documents (SOURCES_LIVE §1.2): a cut answer.
            raise SourceTruncated(
                self.name, f"{_short(response.url)} holds {len(numbers)} documents, its count says {page['count']}"
            )
        return page

    # -- which documents are ours -----------------------------------------------

    def _is_ours(self, agencies: list[dict[str, Any]], where: str) -> bool:
        if any(agency.get("slug") in AGENCIES for agency in agencies):
            return True
        for agency in agencies:
            if not agency.get("slug") and str(agency.get("raw_name") or "").strip().casefold() in KNOWN_NAMES:
                self.warn(
                    f"{where}: agency {agency['raw_name']!r} has no Federal Register match upstream; kept by its name"
                )
                return True
        return False

    # -- fields ---------------------------------------------------------------

    def _build_item(self, record: dict[str, Any]) -> Document:
        """One document from one filing; fields read are popped, so what is left is new upstream."""
        agencies = record.pop("agencies") or []
        document = Document(
            source=self.name,
            document_number=str(record.pop("document_number")).strip(),
            title=self._parse_title(record.pop("title") or ""),
            # The scheduled publication date; None for a withdrawn document.
            publication_date=record.pop("publication_date"),
            jurisdiction=self.jurisdiction,
            type=record.pop("type"),
            docket_ids=[str(n).strip() for n in record.pop("docket_numbers", None) or [] if str(n).strip()],
            extra=self._parse_extra(record),
            **self._agency_fields(agencies),
            **self._link_fields(record),
        )
        self.audit_leftovers(record, "public-inspection document", ignored=IGNORED)
        return document

    @staticmethod
    def _parse_extra(record: dict[str, Any]) -> dict[str, Any]:
        extra = {name: record.pop(name, None) for name in EXTRA}
        extra["editorial_note"] = clean(extra["editorial_note"])
        return {name: value for name, value in extra.items() if value not in (None, "")}


def _short(url: str) -> str:
    """An answer's URL without the long fields[] list, for messages."""
    parts = urlsplit(url)
    if is_local(url):
        return parts.path.rsplit("/", 1)[-1]
    day = parse_qs(parts.query).get("conditions[available_on]")
    return f"{parts.netloc}{parts.path}" + (f" (issue of {day[0]})" if day else "")
