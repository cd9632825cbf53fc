"""What every source spider shares: declared facts, URL override, loud failure, field audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Literal

import scrapy
from twisted.python.failure import Failure

from spiders.kit.errors import SourceEmpty, SourceShapeChanged, SourceUnavailable
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
            yield scrapy.Request(url, callback=self.parse, errback=self.on_download_error)

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
        """Any download failure (HTTP status, timeout, missing file) fails the crawl by name."""
        request = failure.request if hasattr(failure, "request") else None
        url = _short(request.url) if request is not None else "?"
        response = getattr(failure.value, "response", None)
        if response is not None:
            detail = f"HTTP {response.status} from {url}"
        else:
            detail = f"{failure.type.__name__} fetching {url}: {failure.getErrorMessage()}"
        raise SourceUnavailable(self.name, detail)

    def warn(self, message: str) -> None:
        """A problem worth a human's look that does not make the crawl wrong."""
        if message in self._warned:
            return
        self._warned.add(message)
        self.source_warnings.append(message)
        self.logger.warning(message)

    def require_body(self, response: scrapy.http.Response, looks_like: Iterable[bytes]) -> None:
        """Fail unless the body starts like the format we expect (a WAF page is not a list)."""
        head = response.body.lstrip(b"\xef\xbb\xbf \t\r\n")[:64]
        if not head:
            raise SourceEmpty(self.name, f"empty response from {response.url}")
        if not any(head.startswith(prefix) for prefix in looks_like):
            shown = head[:40].decode("utf-8", "replace")
            raise SourceShapeChanged(
                self.name, f"{response.url} does not look like the expected format (starts {shown!r})"
            )

    def read_json(self, response: scrapy.http.Response, looks_like: Iterable[bytes] = (b"{", b"[")) -> Any:
        """The body as JSON, once it starts like JSON; a body that does not parse fails the crawl by name."""
        self.require_body(response, looks_like=looks_like)
        return decode_json(self.body_text(response), self.name, response.url)

    @staticmethod
    def body_text(response: scrapy.http.Response, default_encoding: str = "utf-8") -> str:
        """The body as text, by the declared charset (UTF-8 when none); a file:// body has no headers."""
        if isinstance(response, scrapy.http.TextResponse):
            return response.text
        return response.body.decode(default_encoding)

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


def _short(url: str, limit: int = 120) -> str:
    """A URL short enough for a one-line error (the Federal Register's queries run to 2,000 characters)."""
    return url if len(url) <= limit else url.split("?", 1)[0] + "?…"
