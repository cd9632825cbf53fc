"""What every source spider shares: declared facts, URL override, loud failure, field audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Literal

import scrapy
from twisted.python.failure import Failure

from spiders.kit import fetch
from spiders.kit.decoding import decode_body
from spiders.kit.errors import SourceError, SourceShapeChanged
from spiders.kit.formats import decode_json
from spiders.kit.items import ItemBatch
from spiders.kit.licences import Licence

BATCH_SIZE = 1000


class SourceSpider(scrapy.Spider):
    """Base class: a concrete spider declares its facts and writes `parse`.

    Declared facts (class attributes) are read by `chokepoint sources`, by the
    crawl's gate (health checks) and by the README, so they live here, beside
    the code that depends on them. Every spider has the same shape: its facts,
    `parse`, one `_build_item` (the only place it makes an item) and
    `_parse_<field>` helpers where a field needs work.
    """

    publisher: ClassVar[str]
    jurisdiction: ClassVar[str]
    # The terms the publisher releases the data under (spiders/kit/licences.py): the site credits each row with them.
    license: ClassVar[Licence]
    kind: ClassVar[Literal["listings", "documents"]]
    live_urls: ClassVar[list[str]]
    # A healthy crawl yields between these many items (the whole snapshot for
    # a list, or one run's worth of new documents for a stream).
    expected_items: ClassVar[tuple[int, int]]
    # Optional per-list ranges for sources that bundle several lists (the CSL).
    expected_per_list: ClassVar[dict[str, tuple[int, int]]] = {}
    # Optional per-entity-type ranges (the UN list: persons and entities vanish separately).
    expected_per_type: ClassVar[dict[str, tuple[int, int]]] = {}
    schedule: ClassVar[str] = "daily"
    # A document stream that asks its source only for what is new since a date says so;
    # every other spider reads its whole source on every crawl and refuses a `since`.
    reads_since: ClassVar[bool] = False
    # Where a live file may also be: a live URL's further addresses, asked in order when it
    # fails before its body is read (spiders/kit/fetch.py). `live_format` is the first bytes
    # the live file starts with; a body of another format is `foreign_body`.
    fallback_urls: ClassVar[dict[str, list[str]]] = {}
    # "browser": live requests are fetched by headless Chromium, past a JavaScript challenge (spiders/kit/browser.py).
    fetch_mode: ClassVar[Literal["http", "browser"]] = "http"
    # The live probe (spiders/kit/probe.py): hosts a live URL may redirect to without having moved, and,
    # for a large file, how many first bytes it reads (`probe_head` judges them); else the whole first page.
    redirect_hosts: ClassVar[tuple[str, ...]] = ()
    probe_bytes: ClassVar[int | None] = None
    live_format: ClassVar[tuple[bytes, ...]] = ()
    foreign_body: ClassVar[type[SourceError]] = SourceShapeChanged
    # A byte that does not decode fails the crawl ("fail"); a source known to carry a few stray
    # bytes says "replace": each becomes U+FFFD with a warning (spiders/kit/decoding.py).
    undecodable_bytes: ClassVar[Literal["fail", "replace"]] = "fail"

    def __init__(self, url: str | None = None, **kwargs: Any):
        if "since" in kwargs:
            raise ValueError(f"{self.name} reads its whole source on every crawl: it takes no --since")
        super().__init__(**kwargs)
        self.start_urls = [url] if url else list(self.live_urls)
        self.replaying = url is not None  # a recorded response (--url), not the live source
        self.source_warnings: list[str] = []
        self._warned: set[str] = set()

    async def start(self):
        for url in self.start_urls:
            yield self.request(url, self.parse)

    def request(self, url: str, callback, **kwargs: Any) -> scrapy.Request:
        """A request for `url`; live, for the first of its candidate addresses that answers."""
        fallbacks = [] if self.replaying else self.fallback_urls.get(url, [])
        if fallbacks:
            return fetch.first_answering(
                self, [url, *fallbacks], callback, self.live_format, self.foreign_body, **kwargs
            )
        return scrapy.Request(url, callback=callback, errback=self.on_download_error, **kwargs)

    @staticmethod
    def batched(items: Iterable, size: int = BATCH_SIZE):
        """Yield items in `ItemBatch`es (see there why)."""
        batch = []
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield ItemBatch(batch)
                batch = []
        if batch:
            yield ItemBatch(batch)

    # -- failing loudly ---------------------------------------------------

    def on_download_error(self, failure: Failure):
        """Any download failure (HTTP status, timeout, missing file) fails the crawl by name; a 403 as a block."""
        raise fetch.download_error(self.name, failure) from None

    def warn(self, message: str) -> None:
        """A problem worth a human's look that does not make the crawl wrong."""
        if message in self._warned:
            return
        self._warned.add(message)
        self.source_warnings.append(message)
        self.logger.warning(message)

    def require_body(
        self,
        response: scrapy.http.Response,
        looks_like: Iterable[bytes],
        unexpected: type[SourceError] = SourceShapeChanged,
    ) -> None:
        """Fail unless the body starts like the format we expect: a firewall's page is a block, not a list."""
        fetch.require_body(self.name, response, looks_like, unexpected)

    def probe_head(self, response: scrapy.http.Response) -> None:
        """The probe's check of a large file's first bytes (`probe_bytes`): it starts like the live format."""
        self.require_body(response, self.live_format, self.foreign_body)

    def read_json(self, response: scrapy.http.Response, looks_like: Iterable[bytes] = (b"{", b"[")) -> Any:
        """The body as JSON, once it starts like JSON; a body that does not parse fails the crawl by name."""
        self.require_body(response, looks_like=looks_like)
        return decode_json(self.body_text(response), self.name, response.url)

    def body_text(self, response: scrapy.http.Response) -> str:
        """The body as text, in its declared charset (UTF-8 when none); an undecodable byte fails the crawl."""
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        return decode_body(
            response.body,
            content_type,
            self.name,
            response.url.rsplit("/", 1)[-1] or response.url,
            replace=self.undecodable_bytes == "replace",
            warn=self.warn,
        )

    # -- auditing fields (pop what you use, report what is left) ----------

    def require_fields(self, record: dict[str, Any], required: Iterable[str], where: str) -> None:
        missing = [name for name in required if name not in record]
        if missing:
            raise SourceShapeChanged(self.name, f"{where} lacks required field(s): {', '.join(missing)}")

    def audit_leftovers(self, record: dict[str, Any], where: str, ignored: Iterable[str] = ()) -> None:
        """Fields the parser did not pop (nor knowingly ignores) are new upstream: warn once per field per crawl."""
        for name in ignored:
            record.pop(name, None)
        for name in sorted(record):
            self.warn(f"{where}: new upstream field {name!r} is not used")

    def audit_columns(self, header: Iterable[str], known: Iterable[str], where: str) -> None:
        """The table counterpart: columns the parser does not read warn, in the file's order."""
        known = set(known)
        for column in header:
            if column not in known:
                self.warn(f"{where}: new upstream column {column!r} is not used")

    def audit_parts(self, parts: Iterable[str], known: Iterable[str], where: str) -> None:
        """The HTML counterpart: named parts of a card (CSS classes) the parser does not read."""
        for part in sorted(set(parts) - set(known)):
            self.warn(f"{where}: new upstream part {part!r} is not read")
