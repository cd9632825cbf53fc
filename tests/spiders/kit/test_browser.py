"""The browser fetch mode, in Debian's headless Chromium, against a local page that plays a JavaScript challenge.

The challenge is the kind the firewalls put in front of fcc.gov and METI: a small
page titled "Just a moment..." whose script sets a cookie and reloads; only a
request with the cookie gets the page. A plain fetch sees the challenge (a block);
the browser passes it and the spider reads the real page.
"""

import pytest
from scrapy.http import Request
from scrapy.settings import Settings

from spiders.fcc.fcc_covered import FccCoveredSpider
from spiders.kit import browser
from spiders.kit.errors import SourceBlocked
from spiders.kit.mirror import mirrored
from spiders.kit.offline import parse_items
from tests.kit.crawls import crawl_live, stored
from tests.kit.files import FILES
from tests.kit.live import Answer

PAGE = FILES / "fcc_covered" / "coveredlist.html"
COVERED_LIST = "https://www.fcc.gov/supplychain/coveredlist"
CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<script>document.cookie = 'passed=1; path=/'; setTimeout(() => location.reload(), 100);</script>"
    b"<noscript>Enable JavaScript and cookies to continue</noscript></body></html>"
)


def challenged(body: bytes, content_type: str = "text/html; charset=utf-8", passes: bool = True):
    """Answer the challenge until the request carries the cookie its script sets (never, when `passes` is False)."""

    def answer(headers) -> Answer:
        if passes and "passed=1" in headers.get("cookie", ""):
            return 200, {"Content-Type": content_type}, body
        return 200, {"Content-Type": "text/html; charset=utf-8"}, CHALLENGE

    return answer


def test_a_plain_fetch_sees_the_challenge_and_names_it_a_block(live_stage):
    live_stage.play(COVERED_LIST, challenged(PAGE.read_bytes()))
    import urllib.request

    body = urllib.request.urlopen(mirrored(COVERED_LIST, live_stage.base)).read()
    assert body == CHALLENGE
    with pytest.raises(SourceBlocked, match='a challenge page \\(a page titled "Just a moment..."\\)'):
        parse_items(FccCoveredSpider(), _html(COVERED_LIST, body))


def test_the_browser_passes_the_challenge_and_the_crawl_reads_the_page(live_stage, db_path):
    live_stage.play(COVERED_LIST, challenged(PAGE.read_bytes()))
    result = crawl_live("fcc_covered", live_stage, db_path, "--expect", "5:10")
    assert result.returncode == 0, result.stderr
    assert "fcc_covered: ok, 8 items: 8 added" in result.stdout
    assert len(stored(db_path, "fcc_covered")) == 8
    cookies = [asked.headers.get("cookie", "") for asked in live_stage.asked(COVERED_LIST)]
    assert cookies[0] == "" and "passed=1" in cookies[-1]  # challenged first, then let through
    assert "Mozilla/5.0" in live_stage.asked(COVERED_LIST)[0].headers["user-agent"]  # the spider's User-Agent


@pytest.fixture
def fetcher():
    middleware = browser.BrowserFetch(Settings({"BROWSER_CHALLENGE_SECONDS": 1, "DOWNLOAD_TIMEOUT": 20}))
    yield middleware
    middleware.close()


def test_a_challenge_that_never_passes_reaches_the_spider_as_a_block(live_stage, fetcher):
    live_stage.play(COVERED_LIST, challenged(PAGE.read_bytes(), passes=False))
    url = mirrored(COVERED_LIST, live_stage.base)
    response = fetcher._fetch(Request(url))
    assert b"Just a moment..." in response.body
    with pytest.raises(SourceBlocked):
        parse_items(FccCoveredSpider(), response)


def test_a_file_is_fetched_with_the_cookies_its_site_set(live_stage, fetcher):
    """METI's XLSX behind the same challenge: fetched from inside a page of its site, bytes intact."""
    workbook = b"PK\x03\x04" + bytes(range(256)) * 4
    live_stage.play("https://www.meti.go.jp/", challenged(b"<html><body>METI</body></html>"))
    live_stage.play("https://www.meti.go.jp/policy/anpo/20250929_4.xlsx", challenged(workbook, "application/zip"))
    home = fetcher._fetch(Request(mirrored("https://www.meti.go.jp/", live_stage.base)))
    assert b"METI" in home.body
    answer = fetcher._fetch(Request(mirrored("https://www.meti.go.jp/policy/anpo/20250929_4.xlsx", live_stage.base)))
    assert (answer.status, answer.body) == (200, workbook)
    assert answer.headers["Content-Type"] == b"application/zip"


def test_without_chromium_the_fetch_fails_by_name(tmp_path):
    middleware = browser.BrowserFetch(Settings({"BROWSER_BINARY": str(tmp_path / "no-chromium")}))
    with pytest.raises(browser.BrowserUnavailable, match="Debian packages chromium, chromium-driver"):
        middleware._fetch(Request("https://www.fcc.gov/supplychain/coveredlist"))


def test_the_sources_reported_to_challenge_plain_fetches_use_the_browser():
    from spiders.meti.meti_end_user import MetiEndUserSpider

    assert FccCoveredSpider.fetch_mode == MetiEndUserSpider.fetch_mode == "browser"


def _html(url, body):
    from scrapy.http import HtmlResponse

    return HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url))
