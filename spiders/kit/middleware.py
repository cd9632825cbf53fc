"""Downloader middlewares every crawl runs through (enabled in `spiders.kit.settings`).

- `DecodeStrictly`: every text response is checked to decode in its declared charset
  (`spiders.kit.decoding`) before a spider reads it, so `response.text`, `.css()` and
  `.xpath()` never see a guessed encoding; an undecodable byte fails the crawl by name.
- `LiveLinksOnly`: a live crawl follows only http(s) links. A link a source serves
  (a full-text URL in a JSON answer, an href on a page) could otherwise name a local
  file (`file:///etc/passwd`) and publish it. A replay (`--url file://...`) reads local files.

- `WholeBodies`: an HTML page must reach its `</html>`, an XML document the end tag
  of its root, and a PDF its `%%EOF`. A
  body cut short at a clean boundary (a server that closes early, with no
  Content-Length to betray it) otherwise parses as a shorter, well-formed page.

Each raises a `SourceError`, which reaches the request's errback: the spider's
`on_download_error` re-raises it as the crawl's one-line failure.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from spiders.kit.decoding import charset_of, decode_body, is_binary
from spiders.kit.errors import SourceRefused, SourceTruncated
from spiders.kit.recorded import file_name

WEB_SCHEMES = ("http", "https")
# The root element of an XML document: the first tag that is not a declaration, comment or DTD.
XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s/>]")


class CrawlerMiddleware:
    """What these middlewares share: the crawler, whose spider names the crawl's errors and says how to decode."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class DecodeStrictly(CrawlerMiddleware):
    def process_response(self, request, response):
        if not isinstance(response, TextResponse) or is_binary(response.body):
            return response
        spider = self.crawler.spider
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        charset = charset_of(response.body, content_type)
        try:
            response.body.decode(charset)
            return response.replace(encoding=charset)
        except (UnicodeDecodeError, LookupError):
            pass
        text = decode_body(  # raises the crawl's error, unless the spider tolerates a few stray bytes
            response.body,
            content_type,
            spider.name,
            file_name(response.url),
            replace=getattr(spider, "undecodable_bytes", "fail") == "replace",
            warn=getattr(spider, "warn", None),
        )
        return response.replace(body=text.encode("utf-8"), encoding="utf-8")


class WholeBodies(CrawlerMiddleware):
    HTML_START = (b"<!doctype html", b"<html")
    TAIL = 4096  # where the end marker must be (pages end with scripts, comments and whitespace after it)

    def process_response(self, request, response):
        if request.meta.get("probe_bytes") and "download_stopped" in response.flags:
            return response  # the live probe stopped this download on purpose: it judges the start only
        body = response.body
        head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:16].lower()
        if head.startswith(self.HTML_START):
            marker = b"</html"
            found = marker in body[-self.TAIL :].lower()
        elif body.startswith(b"%PDF-"):
            marker = b"%%EOF"
            found = marker in body[-self.TAIL :]
        elif head.startswith(b"<?xml") and (root := XML_ROOT.search(body[:8192])):
            marker = b"</" + root.group(1)  # lxml's recovering parsers would read a cut feed as a shorter one
            found = marker in body[-self.TAIL :] or body.rstrip().endswith(b"/>")
        else:
            return response
        if not found:
            raise SourceTruncated(
                self.crawler.spider.name, f"{file_name(response.url)} ends before its {marker.decode()}: cut short"
            )
        return response


class LiveLinksOnly(CrawlerMiddleware):
    def process_request(self, request):
        spider = self.crawler.spider
        if getattr(spider, "replaying", False) and not _is_web(getattr(spider, "start_urls", [""])[0]):
            return None  # a recorded copy on disk: following its files is the point
        if not _is_web(request.url):
            raise SourceRefused(
                spider.name, f"a crawl of a web source follows only http(s) links, not {request.url[:80]!r}"
            )
        return None


def _is_web(url: str) -> bool:
    return urlsplit(url).scheme.lower() in WEB_SCHEMES
