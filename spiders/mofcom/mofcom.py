"""China's Ministry of Commerce (MOFCOM): export-control announcements and the lists they change.

MOFCOM publishes announcements, not a list. The crawl reads two list APIs of the
JPaaS CMS behind the site's pages (their JSON answer carries the rendered list
in `data.html`): the www policy releases (政策发布, paged) and the Security and
Control Bureau's normative documents (安全与管制局, one call). It keeps the items
whose title concerns export controls, the Unreliable Entity List, the export-control
lists, countermeasures or trade remedies (anti-dumping, anti-subsidy, safeguards: see
spiders/mofcom/notices.py), and fetches each.

It yields both kinds:
- a Document per announcement, Chinese title and text kept (language "zh"),
  numbered by its stable key (MOFCOM-2023-23, MOFCOM-UEL-2023-1, MOFCOM-ORDER-…);
- a Listing per party a designation notice names, on UEL, ECCL (出口管制管控名单),
  ECWL (关注名单) or CM (countermeasures), named in English with the Chinese name
  as an alternative when both are given.

The listings of a complete crawl are the snapshot of designations, so the spider
is of kind "listings". To apply removals it reads the notices one after the
other, carrying what it read in `cb_kwargs`, and yields the listings at the end:
a party a later notice moves off its list (移出) is not yielded; a suspension
(暂停) or stop (停止/取消) of measures is kept in `extra["status"]`. Names that
only an annex (PDF or Word) gives are not read: the notice is kept, a warning
says how many names it states, and its parties are missing until a person adds
the annex.

Bodies are decoded by their declared charset (HTTP header, else the page's
meta charset), UTF-8 when none is declared; never guessed.

Paging follows the list's own pagination: `data.html` ends in a div.pagination
whose attributes give `rows` (the page size the server keeps to), `count` and
`pageNo`; the next page is asked for with that page size. Asking for 100 and
stopping at a page of fewer would stop after page 1 if the server caps pages.

Facts of SOURCES_LIVE.md relied on (§8 and Updates):
- the CMS list API, the Security and Control Bureau list's parameters, `data.html`
  and its one-call answer: seen (OpenSanctions' crawler); the www list's
  parameters: reported (two clients), matching OpenSanctions (2026-07): reported;
- div.pagination with rows=15, count and pageNo; `editType=null` as real clients
  send it; the top-level keys `roles`, `permissions`, `traceId` (known, unused):
  reported; whether a pageSize above 15 is honoured: not established;
- the aqygzj list page a JS shell, MOFCOM pages needing a browser-like client:
  reported; an HTML page where the JSON answer was due is a block.

`--url` replays a saved list answer (file://…/list.json): links in it resolve
against the saved file's directory, which stands for the site root
(`/zwgk/zcfb/art/2023/art_….html` -> `<dir>/zwgk/zcfb/art/2023/art_….html`), and
no further page of the list is asked for. A saved article page can be replayed
on its own too.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePosixPath
from urllib.parse import urlencode, urljoin, urlsplit

import scrapy
from w3lib.html import remove_tags, replace_entities

from spiders.kit import licences
from spiders.kit.base import SourceSpider
from spiders.kit.errors import SourceShapeChanged
from spiders.kit.formats import decode_json
from spiders.kit.items import Document, Listing
from spiders.kit.useragent import BROWSER_USER_AGENT
from spiders.mofcom.notices import (
    LISTS,
    Notice,
    Party,
    action,
    announcement_key,
    effective_date,
    is_relevant,
    is_trade_remedy,
    list_codes,
    parse_parties,
    party_country,
    reconcile,
    references,
    signature_date,
    stated_count,
)

WWW = "https://www.mofcom.gov.cn"
AQYGZJ = "https://aqygzj.mofcom.gov.cn"
API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
PAGE_SIZE = 100  # asked for; the server's own page size (div.pagination `rows`, 15 reported) is what counts
MAX_PAGES = 200  # the www list is paged; far beyond its size today, a guard against a loop
# The www policy-release list (reported by two clients) and the Security and Control Bureau list (seen).
WWW_LIST = {
    "webId": "8f43c7ad3afc411fb56f281724b73708",
    "tplSetId": "52551ea0e2c14bca8c84792f7aa37ead",
    "pageId": "fc8bdff48fa345a48b651c1285b70b8f",
    "tagId": "分页列表",
    "pageType": "column",
    "parseType": "bulidstatic",
    "editType": "null",  # what real clients send (reported)
}
AQYGZJ_LIST = {
    "webId": "b28941ad4e064442856787562c9a4961",
    "pageId": "79d6d2c4e44d458180d37dd4f0996645",
    "tagId": "信息列表",
    "tplSetId": "DDBav9QvwJVbs9iznQVmO",
    "parseType": "bulidstatic",
    "pageType": "column",
    "editType": "null",
}
REFERERS = {WWW: f"{WWW}/zwgk/zcfb/index.html", AQYGZJ: f"{AQYGZJ}/flzc/gzjgfxwj/index.html"}
# Known article URL families (SOURCES_LIVE §8.1); an announcement linked outside them is followed but reported.
ARTICLE_PATHS = re.compile(
    r"/(?:zwgk/zcfb/art|zcfb/blgg/gg/\d{4}[^/]*/art|flzc/gzjgfxwj/art)/\d{4}/art_[0-9a-f]{32}\.html$"
    r"|/article/[\w/]+/\d{6}/\d{14}\.shtml$"
)
BODY_SELECTORS = (".art-con", "#zoom", ".article-content", ".TRS_Editor", ".content", "article")
DATE_IN_LIST = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
# Top-level keys of a list answer: `data` is read; the others are known and carry nothing for us (reported).
ANSWER_KEYS = {"data", "success", "message", "code", "roles", "permissions", "traceId"}
PUBLISHERS = {"UEL": "Unreliable Entity List Working Mechanism (不可靠实体清单工作机制), MOFCOM"}
PUBLISHER = "Ministry of Commerce of the People's Republic of China (MOFCOM)"


def list_api_url(host: str, params: dict, page: int, page_size: int) -> str:
    query = {**params, "paramJson": json.dumps({"pageNo": page, "pageSize": page_size}, separators=(",", ":"))}
    return f"{host}{API_PATH}?{urlencode(query)}"


class MofcomSpider(SourceSpider):
    name = "mofcom"
    publisher = PUBLISHER
    jurisdiction = "CN"
    license = licences.MOFCOM
    kind = "listings"  # the designations are the snapshot; the announcements come as documents beside them
    live_urls = [list_api_url(WWW, WWW_LIST, 1, PAGE_SIZE), list_api_url(AQYGZJ, AQYGZJ_LIST, 1, 99_999)]
    expected_items = (100, 3_000)  # listed parties: 273 MOFCOM designations were known by mid-2026
    schedule = "daily"
    custom_settings = {"USER_AGENT": BROWSER_USER_AGENT}

    async def start(self):
        first, *rest = self.start_urls
        yield self._request(first, self.parse, {"pending": rest, "queue": []})

    def _request(self, url: str, callback, cb_kwargs: dict) -> scrapy.Request:
        host = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        headers = {"Referer": REFERERS[host]} if host in REFERERS else {}
        return scrapy.Request(
            url,
            callback=callback,
            cb_kwargs=cb_kwargs,
            headers=headers,
            errback=self.on_download_error,
            dont_filter=True,
        )

    def parse(self, response, pending: list[str] | None = None, queue: list[dict] | None = None):
        """A list answer (JSON), or a saved article page replayed on its own (an HTML answer online is a challenge)."""
        pending, queue = pending or [], queue or []
        if response.body.lstrip()[:1] == b"<" and response.url.startswith("file:"):
            item = {"url": response.url, "html_url": response.url, "title": None, "date": None}
            yield from self.parse_article(response, item=item, queue=[], notices=[])
            return
        yield from self.parse_list(response, pending, queue)

    # -- lists ----------------------------------------------------------------------

    def parse_list(self, response, pending: list[str], queue: list[dict]):
        self.require_body(response, looks_like=(b"{",))
        html = self._list_html(response)
        items = self._parse_list_items(html, response.url)
        known = {item["html_url"] for item in queue}
        relevant = [item for item in items if is_relevant(item["title"]) and item["html_url"] not in known]
        unfamiliar = [
            item["html_url"] for item in relevant if not ARTICLE_PATHS.search(urlsplit(item["html_url"]).path)
        ]
        if unfamiliar:
            self.warn(
                f"{response.url}: {len(unfamiliar)} announcement link(s) outside the known article URL families, "
                f"e.g. {unfamiliar[0]} (a new site layout?)"
            )
        queue = queue + relevant
        next_page = None if self.replaying else self._next_page(html, response.url, items)
        if next_page:
            yield self._request(next_page, self.parse_list, {"pending": pending, "queue": queue})
        elif pending:
            yield self._request(pending[0], self.parse_list, {"pending": pending[1:], "queue": queue})
        elif queue:
            yield self._request(
                queue[0]["url"], self.parse_article, {"item": queue[0], "queue": queue[1:], "notices": []}
            )
        else:
            self.warn(f"{response.url}: no export-control announcement in the list")

    def _list_html(self, response) -> str:
        answer = decode_json(self._decode(response), self.name, response.url)
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("html"), str):
            raise SourceShapeChanged(self.name, f"{response.url} has no data.html: not a JPaaS list answer")
        for key in sorted(set(answer) - ANSWER_KEYS):
            self.warn(f"{response.url}: new upstream field {key!r} is not used")
        return data["html"]

    def _next_page(self, html: str, url: str, items: list[dict]) -> str | None:
        """The next page by the list's own pagination (div.pagination: rows, count, pageNo), never by a guess.

        A server that caps its pages (at 15, reported) answers fewer items than asked for: trusting the asked
        page size would stop after page 1. The policy-release list is paged; without its pagination the crawl
        cannot tell whether pages follow, so it fails rather than miss them.
        """
        pager = self._parse_pagination(html, url)
        if pager is None:
            if urlsplit(url).netloc == urlsplit(WWW).netloc:
                raise SourceShapeChanged(
                    self.name, f"{url}: no div.pagination in data.html: cannot tell what pages follow"
                )
            return None  # the Security and Control Bureau list comes whole in one answer (seen)
        rows, count, page = pager
        if len(items) > rows:
            self.warn(f"{url}: {len(items)} items on a page of {rows}")
        pages = -(-count // rows)
        if page >= pages:
            return None
        if page >= MAX_PAGES:
            raise SourceShapeChanged(self.name, f"{url}: {pages} pages of {rows}: more than {MAX_PAGES}, a loop?")
        return self._with_page(url, page + 1, rows)

    def _parse_pagination(self, html: str, url: str) -> tuple[int, int, int] | None:
        """(rows per page, count of items, this page's number) from div.pagination's attributes."""
        pager = scrapy.Selector(text=html).css("div.pagination")
        if not pager:
            return None
        attributes = {key.lower(): value for key, value in pager[0].attrib.items()}
        values = [attributes.get(name, "").strip() for name in ("rows", "count", "pageno")]
        if not all(value.isdigit() for value in values) or int(values[0]) == 0:
            raise SourceShapeChanged(self.name, f"{url}: div.pagination without rows, count and pageNo: {attributes}")
        rows, count, page = map(int, values)
        return rows, count, page

    def _parse_list_items(self, html: str, list_url: str) -> list[dict]:
        selector = scrapy.Selector(text=html)
        items = []
        for entry in selector.css("li"):
            link = entry.css("a[href]")
            if not link:
                continue
            href = link[0].attrib["href"].strip()
            title = (link[0].attrib.get("title") or " ".join(link[0].css("::text").getall())).strip()
            date = DATE_IN_LIST.search(" ".join(entry.css("span::text").getall()))
            items.append(
                {
                    "url": self._fetch_url(href, list_url),
                    "html_url": self._canonical_url(href, list_url),
                    "title": " ".join(title.split()),
                    "date": "-".join(date.groups()) if date else None,
                }
            )
        if not items:
            raise SourceShapeChanged(self.name, f"{list_url}: data.html lists no linked item")
        return items

    # -- articles -------------------------------------------------------------------

    def parse_article(self, response, item: dict, queue: list[dict], notices: list[Notice]):
        """One announcement: yield its Document now, carry its Notice on, and yield the listings after the last."""
        self.require_body(response, looks_like=(b"<",))
        text = self._decode(response)
        page = scrapy.Selector(text=text)
        title = item["title"] or self._parse_title(page, response.url)
        body = self._parse_body(page, response.url)
        key = self._parse_key(title, body, item["html_url"])
        published = item["date"] or self._parse_date(page, body)
        notice = Notice(
            key=key,
            title=title,
            date=published,
            list_codes=list_codes(title, body),
            action=action(title, body),
            references=references(body, key),
            html_url=item["html_url"],
            country=party_country(body),
        )
        if notice.action:
            notice.parties = parse_parties(body)
            self._check_parties(notice, body)
        if all(earlier.key != key for earlier in notices):
            notices = [*notices, notice]
            yield self._build_item(notice, body)
        if queue:
            yield self._request(
                queue[0]["url"], self.parse_article, {"item": queue[0], "queue": queue[1:], "notices": notices}
            )
        else:
            yield from self.batched(self._listings(notices))

    def _check_parties(self, notice: Notice, body: str) -> None:
        stated = stated_count(body)
        if notice.action == "add" and not notice.parties:
            self.warn(f"{notice.key}: a designation whose names are not in its text (an annex?); no listing made")
        elif stated and stated != len(notice.parties):
            self.warn(f"{notice.key}: the notice states {stated} parties, {len(notice.parties)} read from its text")

    def _build_item(self, notice: Notice, body: str) -> Document:
        """One document per announcement, its Chinese text kept (the parties it lists come after, as listings)."""
        extra = {
            "lists": notice.list_codes,
            "action": notice.action,
            "parties": [party.name for party in notice.parties],
            "parties_country": notice.country,
        }
        return Document(
            source=self.name,
            document_number=notice.key,
            title=notice.title,
            publication_date=notice.date,
            jurisdiction=self.jurisdiction,
            publisher=self._parse_publisher(notice),
            type="Announcement",
            subtype=self._parse_subtype(notice),
            effective_on=effective_date(body, notice.date),
            html_url=notice.html_url,
            full_text=body,
            language="zh",
            extra={key: value for key, value in extra.items() if value},
        )

    def _listings(self, notices: list[Notice]) -> list[Listing]:
        """The listed parties once every notice is read: one listing per party still listed, per list."""
        return [
            self._build_listing(notice, party, status, code)
            for notice, party, status in reconcile(notices)
            for code in notice.list_codes
        ]

    def _build_listing(self, notice: Notice, party: Party, status: str | None, code: str) -> Listing:
        """MOFCOM yields two kinds of item: this builds the parties, `_build_item` the announcements."""
        extra = {"announcement": notice.key}
        if party.name_zh:
            extra["name_zh"] = party.name_zh
        if status:
            extra["status"] = status
        return Listing(
            source=self.name,
            list_code=code,
            list_name=LISTS[code][1],
            entry_id=self._parse_entry_id(notice.key, party),
            name=party.name,
            alt_names=[party.name_zh] if party.name_en and party.name_zh else [],
            countries=[notice.country] if notice.country else [],
            programs=[notice.key],
            remarks=notice.title,
            start_date=notice.date,
            end_date=status.rsplit(" ", 1)[-1] if status and "stopped" in status else None,
            source_list_url=notice.html_url,
            extra=extra,
        )

    # -- fields -----------------------------------------------------------------------

    def _parse_title(self, page, url: str) -> str:
        for query in ('meta[name="ArticleTitle"]::attr(content)', "h1 ::text", "title::text"):
            title = " ".join(" ".join(page.css(query).getall()).split())
            if title:
                return title
        raise SourceShapeChanged(self.name, f"{url} has no title")

    def _parse_body(self, page, url: str) -> str:
        for query in BODY_SELECTORS:
            found = page.css(query)
            if found:
                text = _block_text(found[0].get())
                if text:
                    return text
        # The new art_<hex> layout's container is not established: read the whole body and say so.
        self.warn(f"{url}: no known article container ({', '.join(BODY_SELECTORS)}); read the page body")
        text = _block_text(page.css("body").get() or "")
        if not text:
            raise SourceShapeChanged(self.name, f"{url} has no text")
        return text

    def _parse_key(self, title: str, body: str, html_url: str) -> str:
        key = announcement_key(title, body)
        if key:
            return key
        digest = hashlib.sha1(urlsplit(html_url).path.encode()).hexdigest()[:12]
        self.warn(f"{html_url}: no announcement number in {title!r}; keyed by its address")
        return f"MOFCOM-URL-{digest}"

    @staticmethod
    def _parse_date(page, body: str) -> str | None:
        published = page.css('meta[name="PubDate"]::attr(content)').get()
        match = DATE_IN_LIST.search(published or "")
        return "-".join(match.groups()) if match else signature_date(body)

    @staticmethod
    def _parse_publisher(notice: Notice) -> str:
        return PUBLISHERS["UEL"] if notice.key.startswith("MOFCOM-UEL-") else PUBLISHER

    @staticmethod
    def _parse_subtype(notice: Notice) -> str:
        if not notice.action:
            return "Trade remedy" if is_trade_remedy(notice.title) else "Export control"
        lists = ", ".join(notice.list_codes) or "list"
        return f"{lists} {notice.action}"

    @staticmethod
    def _parse_entry_id(key: str, party) -> str:
        name = " ".join((party.name_en or party.name_zh or "").casefold().split())
        return f"{key}-{hashlib.sha1(name.encode()).hexdigest()[:10]}"

    # -- urls and bytes -----------------------------------------------------------------

    def _canonical_url(self, href: str, list_url: str) -> str:
        """The live address of a linked article (what html_url records, replayed or not)."""
        if urlsplit(href).scheme in ("http", "https"):
            return href
        host = AQYGZJ if "/flzc/" in href else WWW
        if not self.replaying:
            host = "{0.scheme}://{0.netloc}".format(urlsplit(list_url))
        return urljoin(REFERERS[host], href)

    def _fetch_url(self, href: str, list_url: str) -> str:
        """Where to fetch it: live, the link itself; replaying, the same path under the saved list's directory."""
        if not self.replaying or urlsplit(list_url).scheme != "file":
            return urljoin(list_url, href)
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") or href.startswith("/"):
            root = str(PurePosixPath(urlsplit(list_url).path).parent)
            return f"file://{root}{parts.path}"
        return urljoin(list_url, href)

    def _decode(self, response) -> str:
        """By the declared charset (Content-Type, else meta charset), UTF-8 when none; a wrong byte fails."""
        declared = _header_charset(response) or _meta_charset(response.body)
        charset = {"gb2312": "gb18030", "gbk": "gb18030"}.get((declared or "").lower(), declared or "utf-8")
        try:
            return response.body.decode(charset)
        except (UnicodeDecodeError, LookupError) as error:
            raise SourceShapeChanged(self.name, f"{response.url} is not valid {charset}: {error}") from None

    @staticmethod
    def _with_page(url: str, page: int, size: int) -> str:
        """The same list at another page, asking for the page size the server keeps to."""
        url = re.sub(r"(%22pageNo%22%3A)\d+", rf"\g<1>{page}", url)
        return re.sub(r"(%22pageSize%22%3A)\d+", rf"\g<1>{size}", url)


def _header_charset(response) -> str | None:
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    match = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    match = CHARSET.search(body[:2048])
    return match.group(1).decode("ascii") if match else None


def _block_text(html: str) -> str:
    """Text with one line per paragraph, line break or block."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", html)
    html = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|tr|h\d)>", "\n", html)
    lines = (" ".join(line.split()) for line in replace_entities(remove_tags(html)).splitlines())
    return "\n".join(line for line in lines if line)
