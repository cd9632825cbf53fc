"""Fetching through headless Chromium, for sources whose firewall challenges plain clients.

fcc.gov and METI are reported to answer plain fetches with a challenge page since
early 2026 (SOURCES_LIVE Updates; OpenSanctions fetches both through a
browser-rendering service). A spider that declares `fetch_mode = "browser"` has
its http(s) requests fetched by Debian's Chromium (`/usr/bin/chromium`, driven
through `/usr/bin/chromedriver` with Selenium; no browser is ever downloaded):

- a page is opened and given time to pass a JavaScript challenge: while it still
  looks like one (spiders/kit/fetch.py), the browser waits, up to
  `BROWSER_CHALLENGE_SECONDS`; the page's HTML then goes to the spider, and one
  that is still a challenge is named a block there, never parsed as a list;
- a file (.pdf, .xlsx, .xls, .csv, .zip, .xml, .json) is fetched from inside a
  page of its own site, so it carries the cookies the challenge left.

The browser runs in a worker thread (Selenium blocks), one per crawl, and quits
when the spider closes. Recorded files (file://) are read as usual.
"""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.http import HtmlResponse, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from spiders.kit import fetch

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FILE_SUFFIXES = (".pdf", ".xlsx", ".xls", ".csv", ".zip", ".xml", ".json")
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # root in containers and CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# In-page fetch of a file: status, content type and the body as base64 (bytes cannot cross into Python otherwise).
FETCH_FILE = """
const [url, done] = arguments;
fetch(url, {credentials: "include"}).then(async (answer) => {
  const bytes = new Uint8Array(await answer.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 32768) text += String.fromCharCode(...bytes.subarray(i, i + 32768));
  done({status: answer.status, type: answer.headers.get("content-type") || "", body: btoa(text), url: answer.url});
}).catch((error) => done({error: String(error)}));
"""
NAVIGATION_STATUS = "const e = performance.getEntriesByType('navigation')[0]; return e ? e.responseStatus : null;"


class BrowserUnavailable(RuntimeError):
    """No Chromium or chromedriver to fetch with."""


def uses_browser(spider) -> bool:
    return getattr(spider, "fetch_mode", "http") == "browser"


def is_file(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(FILE_SUFFIXES)


class BrowserFetch:
    """Downloader middleware: a browser-mode spider's http(s) requests are fetched by headless Chromium."""

    def __init__(self, settings, crawler=None):
        self.binary = settings.get("BROWSER_BINARY", CHROMIUM)
        self.driver_path = settings.get("BROWSER_DRIVER", CHROMEDRIVER)
        self.challenge_seconds = settings.getfloat("BROWSER_CHALLENGE_SECONDS", 20)
        self.page_seconds = settings.getfloat("DOWNLOAD_TIMEOUT", 60)
        self.user_agent = settings.get("USER_AGENT")
        self._crawler = crawler
        self._driver = None
        self._lock = threading.Lock()

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings, crawler)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    async def process_request(self, request, spider=None):
        spider = spider or getattr(self._crawler, "spider", None)  # newer Scrapy passes no spider
        if not uses_browser(spider) or urlsplit(request.url).scheme not in ("http", "https"):
            return None
        # A crawl's --timeout is the spider's download_timeout (Scrapy's own downloader reads it there too).
        seconds = float(getattr(spider, "download_timeout", None) or self.page_seconds)
        return await maybe_deferred_to_future(deferToThread(self._fetch, request, seconds))

    def close(self, spider=None):
        with self._lock:
            if self._driver is not None:
                self._driver.quit()
                self._driver = None

    # -- in the worker thread --------------------------------------------------------------

    def _fetch(self, request, seconds: float | None = None) -> Response:
        with self._lock:
            driver = self._start()
            if seconds is not None:
                driver.set_page_load_timeout(seconds)
                driver.set_script_timeout(seconds)
                self.page_seconds = seconds
            if is_file(request.url):
                return self._fetch_file(driver, request)
            return self._open_page(driver, request, request.url)

    def _start(self):
        if self._driver is not None:
            return self._driver
        for path in (self.binary, self.driver_path):
            if not Path(path).exists():
                raise BrowserUnavailable(f"browser fetch needs {path} (Debian packages chromium, chromium-driver)")
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = self.binary
        for flag in FLAGS:
            options.add_argument(flag)
        if self.user_agent:
            options.add_argument(f"--user-agent={self.user_agent}")
        self._driver = webdriver.Chrome(service=Service(self.driver_path), options=options)
        self._driver.set_page_load_timeout(self.page_seconds)
        self._driver.set_script_timeout(self.page_seconds)
        return self._driver

    def _open_page(self, driver, request, url: str) -> Response:
        """Open the page and wait, while it is a challenge, for the page behind it; then its bytes as the server sent
        them (a page still a challenge goes to the spider as rendered, to be named a block)."""
        self._navigate(driver, url)
        html = self._settled_page(driver)
        if fetch.challenge_in(html.encode("utf-8")):
            status = driver.execute_script(NAVIGATION_STATUS) or 200
            return HtmlResponse(
                url=request.url, status=int(status), body=html.encode("utf-8"), encoding="utf-8", request=request
            )
        # What Chromium rendered it has decoded, repaired and completed; the checks every download passes
        # (strict decoding, whole bodies: middleware.py) need the bytes themselves, fetched again from
        # inside the page so they carry the challenge's cookies.
        return self._fetch_in_page(driver, request)

    def _navigate(self, driver, url: str) -> None:
        from selenium.common.exceptions import TimeoutException

        try:
            driver.get(url)
        except TimeoutException:
            raise TimeoutError(f"no page from {url} within {self.page_seconds:g} s") from None

    def _settled_page(self, driver) -> str:
        """The page once loaded and no longer a challenge, read the same twice in a row (a challenge reloads the
        page: between two loads the document is blank). Out of time, the last challenge seen, so it is named one."""
        deadline = time.monotonic() + self.challenge_seconds
        previous = last_challenge = None
        while True:
            html = driver.page_source
            complete = driver.execute_script("return document.readyState") == "complete"
            if fetch.challenge_in(html.encode("utf-8")):
                last_challenge, previous = html, None
            elif complete and html == previous:
                return html
            else:
                previous = html if complete else None
            if time.monotonic() > deadline:
                return last_challenge or html
            time.sleep(0.2)

    def _fetch_file(self, driver, request) -> Response:
        """Fetch a file from inside a page of its site (opened first when the browser is elsewhere)."""
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(request.url))
        if not driver.current_url.startswith(origin + "/"):
            self._navigate(driver, origin + "/")
            self._settled_page(driver)
        return self._fetch_in_page(driver, request)

    def _fetch_in_page(self, driver, request) -> Response:
        """`request.url` fetched by the page's own fetch(): status, headers and the body's bytes, unaltered."""
        from selenium.common.exceptions import TimeoutException

        try:
            answer = driver.execute_async_script(FETCH_FILE, request.url)
        except TimeoutException:
            raise TimeoutError(f"no answer from {request.url} within {self.page_seconds:g} s") from None
        if "error" in answer:
            raise ConnectionError(f"browser fetch of {request.url} failed: {answer['error']}")
        headers = {"Content-Type": answer["type"]} if answer["type"] else {}
        body = base64.b64decode(answer["body"])
        kind = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return kind(url=request.url, status=answer["status"], headers=headers, body=body, request=request)
