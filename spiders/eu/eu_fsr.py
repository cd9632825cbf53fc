"""EU Foreign Subsidies Regulation (Regulation (EU) 2022/2560): in-depth investigations and decisions.

The Commission announces FSR steps (in-depth investigations opened, closed
after a withdrawal, commitments accepted, inspections) in press releases and
news items listed on competition-policy.ec.europa.eu's FSR "Latest news" page:
Europa Component Library cards (`article.ecl-content-item`) with a type
("Press release", "News"), a date and a title linking to the release.

One document per card. Its id is the press-corner reference when the card
links to a press release (`IP/24/887` for `.../presscorner/detail/en/ip_24_887`),
the linked page's address otherwise, and a hash of date and title for a card
without a link. With `--full-text`, press releases are completed from the
press corner's JSON API (`/api/documents?reference=...`): the release's text
becomes `full_text`.

`--url` takes a recorded listing page (HTML) or a directory holding one; a
recorded page's pager is not followed, and its press releases are read from
`presscorner/<IP_24_887>.json` beside it.

What it relies on (`../shared/SOURCES_LIVE.md` §10 and "Updates", with how sure each is):
- the latest-news page and its cards (`article.ecl-content-item`, `a[data-ecl-title-link]`,
  `time[datetime]`, the type in `li.ecl-content-block__primary-meta-item`) are reported, still
  used by a client (undated), not seen: a page without those cards fails as a shape change;
- the press corner's JSON API (`/api/documents?reference=ip_26_...`) is reported, used by many
  2026 clients;
- the case register (`competition-cases.ec.europa.eu`) is a JavaScript application whose data
  API is not established, and where final decisions are published is not established: neither
  is crawled.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import scrapy
from parsel import Selector

from spiders.kit import licences
from spiders.kit.base import SourceSpider
from spiders.kit.errors import SourceShapeChanged
from spiders.kit.formats import iso_date, squash
from spiders.kit.items import Document
from spiders.kit.recorded import file_name, files_in, is_local, local_directory, sibling

NEWS_URL = "https://competition-policy.ec.europa.eu/foreign-subsidies-regulation/latest-news_en"
PRESS_API = "https://ec.europa.eu/commission/presscorner/api/documents"
PRESS_DETAIL = re.compile(r"/presscorner/detail/[a-z]{2}/([a-z]+)_(\d{2})_(\d+)", re.IGNORECASE)
MAX_PAGES = 5
CARD_PARTS = ("ecl-content-block__primary-meta-container", "ecl-content-block__title", "ecl-content-block__description")
# What a release title says about the step it announces (the regulation's own vocabulary).
STAGES = (
    (re.compile(r"\bopens?\b.*\bin-depth investigation", re.IGNORECASE), "In-depth investigation opened"),
    (re.compile(r"\bcloses?\b.*\binvestigation", re.IGNORECASE), "Investigation closed"),
    (re.compile(r"\b(accepts?|approves?)\b.*\bcommitments?\b", re.IGNORECASE), "Commitments accepted"),
    (re.compile(r"\b(prohibits?|no-objection|clears?)\b", re.IGNORECASE), "Decision"),
    (re.compile(r"\b(inspections?|unannounced)\b", re.IGNORECASE), "Inspection"),
)


def press_reference(url: str | None) -> str | None:
    """'.../presscorner/detail/en/ip_24_887' -> 'IP/24/887' (the press corner's own reference)."""
    match = PRESS_DETAIL.search(url or "")
    return f"{match.group(1).upper()}/{match.group(2)}/{match.group(3)}" if match else None


class EuFsrSpider(SourceSpider):
    name = "eu_fsr"
    publisher = "European Commission, DG Competition"
    jurisdiction = "EU"
    license = licences.EUROPEAN_UNION
    kind = "documents"
    live_urls = [NEWS_URL]
    # The listing always shows the latest items; a page without cards is a changed page.
    expected_items = (1, 500)

    def __init__(self, url: str | None = None, full_text: str | bool = False, **kwargs: Any):
        super().__init__(url=url, **kwargs)  # the listing is short: every crawl reads it whole, so no `since`
        self.fetch_full_text = str(full_text).lower() in ("1", "true", "yes")

    async def start(self):
        directory = local_directory(self.start_urls[0])
        for url in files_in(directory, (".html", ".htm")) if directory else self.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_download_error)

    def parse(self, response, page: int = 0):
        self.require_body(response, looks_like=(b"<!DOCTYPE", b"<!doctype", b"<html", b"<HTML"))
        cards = response.css("article.ecl-content-item")
        if not cards:
            title = squash(" ".join(response.css("title::text").getall())) or "no title"
            raise SourceShapeChanged(
                self.name, f"{file_name(response.url)} has no article.ecl-content-item cards (page title: {title!r})"
            )
        for number, card in enumerate(cards, start=1):
            document = self._build_item(card, response, f"{file_name(response.url)} card {number}")
            reference = press_reference(document.html_url)
            if self.fetch_full_text and reference:
                yield scrapy.Request(
                    self._press_url(response.url, reference),
                    callback=self.parse_press_release,
                    errback=self.on_download_error,
                    cb_kwargs={"document": document},
                )
            else:
                yield document
        next_href = response.css('a[rel="next"]::attr(href), .ecl-pagination__item--next a::attr(href)').get()
        if next_href and not is_local(response.url) and page + 1 < MAX_PAGES:
            yield response.follow(
                next_href, callback=self.parse, errback=self.on_download_error, cb_kwargs={"page": page + 1}
            )

    # -- a card -----------------------------------------------------------------------

    def _build_item(self, card, response, where: str) -> Document:
        """One document per card of the listing."""
        title_element = card.css("[data-ecl-title-link], .ecl-content-block__title")[:1]
        title = squash(" ".join(title_element.css("::text").getall()))
        href = title_element.attrib.get("href") or title_element.css("a::attr(href)").get()
        # A recorded page's relative links are resolved as the live page would resolve them.
        url = urljoin(NEWS_URL if is_local(response.url) else response.url, href) if href else None
        meta = [
            squash(" ".join(item.css("::text").getall())) or ""
            for item in card.css(".ecl-content-block__primary-meta-item")
        ]
        published = iso_date(card.css("time::attr(datetime)").get()) or next(filter(None, map(iso_date, meta)), None)
        missing = [name for name, value in (("title", title), ("date", published)) if not value]
        if missing:
            raise SourceShapeChanged(self.name, f"{where} lacks {', '.join(missing)}")
        kinds = [item for item in meta if item and not iso_date(item)]
        self.audit_parts(_block_parts(card), CARD_PARTS, "latest-news card")
        return Document(
            source=self.name,
            document_number=self._parse_number(url, title, published),
            title=title,
            publication_date=published,
            jurisdiction=self.jurisdiction,
            publisher=self.publisher,
            type=kinds[0] if kinds else "News",
            subtype=self._parse_stage(title),
            abstract=squash(" ".join(card.css(".ecl-content-block__description ::text").getall())),
            html_url=url,
            extra={"labels": kinds[1:]} if len(kinds) > 1 else {},
        )

    @staticmethod
    def _parse_number(url: str | None, title: str, published: str) -> str:
        reference = press_reference(url)
        if reference:
            return reference
        if url:
            parts = urlsplit(url)
            host = "" if parts.netloc == urlsplit(NEWS_URL).netloc else parts.netloc
            return f"{host}{parts.path}".strip("/")
        basis = f"{published}|{' '.join(title.casefold().split())}"
        return "card-" + hashlib.sha1(basis.encode()).hexdigest()[:12]

    @staticmethod
    def _parse_stage(title: str) -> str | None:
        return next((stage for pattern, stage in STAGES if pattern.search(title)), None)

    # -- the press release behind a card ----------------------------------------------------

    @staticmethod
    def _press_url(page_url: str, reference: str) -> str:
        if is_local(page_url):
            return sibling(page_url, f"presscorner/{reference.replace('/', '_')}.json")
        return f"{PRESS_API}?reference={quote(reference, safe='')}&language=en"

    def parse_press_release(self, response, document: Document):
        data = self.read_json(response, looks_like=(b"{",))
        resource = data.get("docuLanguageResource") if isinstance(data, dict) else None
        if not isinstance(resource, dict) or not resource.get("htmlContent"):
            raise SourceShapeChanged(self.name, f"{file_name(response.url)} has no docuLanguageResource.htmlContent")
        reference = data.get("refCd")
        if reference and reference != document.document_number:
            self.warn(
                f"{file_name(response.url)}: the press corner answered {reference} for {document.document_number}"
            )
        paragraphs = [
            squash(" ".join(p.xpath(".//text()").getall())) for p in Selector(text=resource["htmlContent"]).css("p")
        ]
        paragraphs = [p for p in paragraphs if p]
        document.full_text = "\n\n".join(paragraphs) or None
        document.abstract = (
            document.abstract or squash(resource.get("subtitle")) or (paragraphs[0] if paragraphs else None)
        )
        yield document


def _block_parts(card) -> list[str]:
    """The ECL block classes of a card's content block children (title, description, labels...)."""
    classes = card.css(".ecl-content-block > *::attr(class)").getall()
    return [name for value in classes for name in value.split() if name.startswith("ecl-content-block__")]
