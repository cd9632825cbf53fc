"""NIST CHIPS Program Office: CHIPS rules and notices, funding announcements and news.

Two sources, one stream:
- the Federal Register documents API asked for NIST documents only (the same
  parsing as `federal_register`), keeping those that touch 15 CFR part 231
  ("Preventing the Improper Use of CHIPS Act Funding") or name CHIPS in their
  title or abstract; NIST has no separate Federal Register agency for the
  CHIPS Program Office, so the programme is recognised by its rules;
- the "CHIPS News & Releases" index on nist.gov (`article.nist-teaser` cards,
  pages `?page=N` counted from 0), one press-release document per card.

`--url` takes a recorded documents-search answer (JSON), a recorded news page
(HTML) or a directory holding any of both; each file is read by its content.
A recorded news page's pager is not followed.

What it relies on (`../shared/SOURCES_LIVE.md` §11 and "Updates", with how sure each is):
- in the Federal Register, CHIPS documents are NIST's
  (`national-institute-of-standards-and-technology`, seen); a separate CHIPS Program Office
  agency is not established, so 15 CFR part 231 and the word CHIPS pick them out (the
  part and the final rule 2023-20471 are reported; `cfr_references` is a seen field);
- the news index `https://www.nist.gov/chips/chips-news-releases`, its `article.nist-teaser`
  cards (title link, `time[datetime]`, summary) and its 0-based `?page=N` pager are reported
  (a third-party parser, 2026), not seen: a page without those cards fails as a shape change;
- a CHIPS-only feed is not established, so the index is crawled.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import scrapy

from spiders.federal_register.federal_register import FederalRegisterSpider, search_url
from spiders.kit.errors import SourceShapeChanged
from spiders.kit.formats import iso_date, squash
from spiders.kit.items import Document
from spiders.kit.recorded import file_name, files_in, is_local, local_directory

NIST = "national-institute-of-standards-and-technology"
NEWS_URL = "https://www.nist.gov/chips/chips-news-releases"
CHIPS = re.compile(r"\bCHIPS\b")
CHIPS_CFR = {"title": 15, "part": 231}
NEWS_PATH = re.compile(r"^/news-events/news/(\d{4}/\d{2}/[^/?#]+)")
# The first live crawl walks the index back to the CHIPS Act; later ones stop at the watermark.
MAX_NEWS_PAGES = 40
TEASER_PARTS = ("nist-teaser__title", "nist-teaser__date", "nist-teaser__content", "nist-teaser__image")


class ChipsNistSpider(FederalRegisterSpider):
    name = "chips_nist"
    publisher = "NIST CHIPS Program Office"
    jurisdiction = "US"
    kind = "documents"
    live_urls = [search_url(agencies=(NIST,)), NEWS_URL]
    # The news index always lists releases; the Federal Register part may add none.
    expected_items = (1, 2_000)
    agencies = (NIST,)
    default_since = "2022-08-09"  # the CHIPS and Science Act was signed that day
    news_publisher = "NIST CHIPS for America"

    async def start(self):
        if self.replaying:
            for url in self._replay_urls():
                yield scrapy.Request(url, callback=self.parse, errback=self.on_download_error)
            return
        async for request in super().start():
            yield request
        yield scrapy.Request(NEWS_URL, callback=self.parse_news, errback=self.on_download_error)

    def _replay_urls(self) -> list[str]:
        directory = local_directory(self.start_urls[0])
        return files_in(directory, (".json", ".html", ".htm")) if directory else list(self.start_urls)

    def parse(self, response, seen: frozenset[str] = frozenset()):
        """A recorded file is read by what it holds: a news page, or a documents-search answer."""
        head = response.body.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower()
        if head.startswith((b"<!doctype html", b"<html")):
            yield from self.parse_news(response)
        else:
            yield from super().parse(response, seen)

    # -- Federal Register ---------------------------------------------------------

    def wanted(self, document: Document) -> bool:
        if any(reference == CHIPS_CFR for reference in document.cfr_references):
            return True
        return any(CHIPS.search(text or "") for text in (document.title, document.abstract))

    def _parse_publisher(self, agencies: list[dict[str, Any]]) -> str:
        """Every CHIPS rule is the Program Office's, though the Federal Register names only NIST;
        a news release names no agency: it is CHIPS for America's."""
        return self.publisher if agencies else self.news_publisher

    # -- the news index -----------------------------------------------------------

    def parse_news(self, response, page: int = 0):
        # The site's pages are HTML, as a firewall's challenge is: told apart by the challenge's own marks.
        self.require_body(response, looks_like=(b"<",))
        teasers = response.css("article.nist-teaser")
        if not teasers:
            title = squash(" ".join(response.css("title::text").getall())) or "no title"
            raise SourceShapeChanged(
                self.name, f"{file_name(response.url)} has no article.nist-teaser cards (page title: {title!r})"
            )
        dates = []
        for number, teaser in enumerate(teasers, start=1):
            document = self._build_item(self._read_teaser(teaser, response, f"{file_name(response.url)} card {number}"))
            dates.append(document.publication_date)
            yield document
        next_href = response.css('nav.pager a[rel~="next"]::attr(href)').get()
        if (
            next_href
            and not is_local(response.url)
            and page + 1 < MAX_NEWS_PAGES
            and min(dates) >= self.since.isoformat()
        ):
            yield response.follow(
                next_href, callback=self.parse_news, errback=self.on_download_error, cb_kwargs={"page": page + 1}
            )

    def _read_teaser(self, teaser, response, where: str) -> dict[str, Any]:
        """A news card as the fields of a documents-search result, so one `_build_item` makes every document."""
        href = teaser.css(".nist-teaser__title a::attr(href)").get() or teaser.attrib.get("about")
        title = squash(" ".join(teaser.css(".nist-teaser__title a ::text").getall()))
        published = iso_date(teaser.css(".nist-teaser__date time::attr(datetime)").get())
        missing = [name for name, value in (("title link", href), ("title", title), ("date", published)) if not value]
        if missing:
            raise SourceShapeChanged(self.name, f"{where} lacks {', '.join(missing)}")
        parts = [
            name
            for value in teaser.css("*::attr(class)").getall()
            for name in value.split()
            if name.startswith("nist-teaser__")
        ]
        self.audit_parts(parts, TEASER_PARTS, "news card")
        url = response.urljoin(href)
        return {
            "document_number": self._parse_news_number(url, where),
            "title": title,
            "publication_date": published,
            "type": "Press release",
            "abstract": squash(" ".join(teaser.css('.nist-teaser__content [property="schema:text"] ::text').getall())),
            "html_url": _live_url(url),
        }

    def _parse_news_number(self, url: str, where: str) -> str:
        """The article's path is its stable id: news/YYYY/MM/<slug>."""
        match = NEWS_PATH.match(urlsplit(url).path)
        if not match:
            self.warn(f"{where}: link {url} is not a /news-events/news/ article; its path is its id")
            return urlsplit(url).path.strip("/")
        return f"news/{match.group(1)}"


def _live_url(url: str) -> str:
    """A link as the live site has it (a replayed page resolves relative links against the file)."""
    if not is_local(url):
        return url
    return f"https://www.nist.gov{urlsplit(url).path}" if NEWS_PATH.match(urlsplit(url).path) else url
