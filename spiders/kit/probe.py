"""The live probe's Scrapy side: a source's first page (or a large file's first bytes), judged, nothing stored.

For each source spider, `probe_spider_for` makes a spider with the source's own
settings (User-Agent, fetch mode, TLS) that asks what the source's `start()`
asks, each candidate address in turn, and yields one `ProbeFinding` per start
request:

- `ok`: the answer is the source's format and shape;
- `moved`: a redirect to an unexpected place (not the same address, not a host the
  spider declares in `redirect_hosts`, like OFAC's signed S3 downloads);
- `blocked`: HTTP 403/429 or a challenge page (spiders/kit/fetch.py);
- `changed shape`: the answer is read by the spider's own first callback (to its
  end, its follow-up requests dropped) or, for a large file (`probe_bytes`), its
  first bytes by `probe_head`, and either fails;
- `unreachable`: no answer (DNS, connection, TLS, timeout) or an HTTP error.

Nothing a probe sees is stored: its findings are items the pipeline reports
(pipeline/crawl/probe.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fnmatch import fnmatch
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import StopDownload

from spiders.kit import clock, fetch
from spiders.kit.errors import SourceBlocked, SourceError
from spiders.kit.items import InvalidItem

OK, MOVED, BLOCKED, CHANGED, UNREACHABLE = "ok", "moved", "blocked", "changed shape", "unreachable"
# Worst first: what a person must act on before what may pass.
SEVERITY = (BLOCKED, UNREACHABLE, CHANGED, MOVED, OK)


@dataclass
class ProbeFinding:
    """What one start request of a source answered."""

    spider: str
    url: str
    status: str
    detail: str = ""
    http_status: int | None = None
    final_url: str | None = None

    def validate(self) -> None:
        if self.status not in SEVERITY:
            raise InvalidItem(f"probe finding with unknown status {self.status!r}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def worst(statuses) -> str:
    statuses = list(statuses)
    return min(statuses, key=SEVERITY.index) if statuses else OK


class ProbeSpider(scrapy.Spider):
    """Probes one source (`target`); made per source by `probe_spider_for`."""

    target: ClassVar[type]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        # A stream that asks by date asks for today only, as a daily crawl past its watermark does.
        self.subject = self.target(since=clock.today()) if self.target.reads_since else self.target()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.bytes_received, signal=signals.bytes_received)
        return spider

    async def start(self):
        async for request in self.subject.start():
            urls = list(request.meta.get("candidate_urls") or [request.url])
            yield self._ask(request, urls, 0, [])

    def _ask(self, request, urls: list[str], index: int, failed: list[ProbeFinding]) -> scrapy.Request:
        meta = {key: value for key, value in request.meta.items() if not key.startswith("candidate_")}
        if self.subject.probe_bytes:
            meta["probe_bytes"] = self.subject.probe_bytes
        return request.replace(
            url=urls[index],
            callback=self.answered,
            errback=self.failed,
            cb_kwargs={"original": request, "urls": urls, "index": index, "failed": failed},
            meta=meta,
            dont_filter=True,
        )

    def bytes_received(self, data, request, spider):
        """A large file is probed by its first bytes: stop its download there and judge what came."""
        limit = request.meta.get("probe_bytes")
        if limit:
            request.meta["probe_received"] = request.meta.get("probe_received", 0) + len(data)
            if request.meta["probe_received"] >= limit:
                raise StopDownload(fail=False)

    # -- judging ------------------------------------------------------------------------

    def answered(self, response, original, urls, index, failed):
        asked = urls[index]
        finding = self._judge(response, original, asked)
        yield from self._next_or_report(finding, original, urls, index, failed)

    def failed(self, failure):
        request = failure.request
        kwargs = request.cb_kwargs
        asked = kwargs["urls"][kwargs["index"]]
        error = fetch.download_error(self.subject.name, failure)
        response = getattr(failure.value, "response", None)
        status = BLOCKED if isinstance(error, SourceBlocked) else UNREACHABLE
        finding = ProbeFinding(
            self.subject.name, asked, status, error.detail, response.status if response is not None else None
        )
        yield from self._next_or_report(finding, kwargs["original"], kwargs["urls"], kwargs["index"], kwargs["failed"])

    def _judge(self, response, original, asked: str) -> ProbeFinding:
        name = self.subject.name
        found = {"http_status": response.status, "final_url": response.url if response.url != asked else None}
        blocked = fetch.block_in(response, self.subject.live_format)
        if blocked:
            return ProbeFinding(name, asked, BLOCKED, blocked, **found)
        if self._moved(asked, response.url):
            return ProbeFinding(name, asked, MOVED, f"redirected to {response.url}", **found)
        try:
            if self.subject.probe_bytes:
                self.subject.probe_head(response)
            else:
                for _ in original.callback(response, **original.cb_kwargs) or ():
                    pass  # the first page's items and follow-up requests: read, never kept
        except SourceBlocked as error:
            return ProbeFinding(name, asked, BLOCKED, error.detail, **found)
        except SourceError as error:
            return ProbeFinding(name, asked, CHANGED, f"{error.reason}: {error.detail}", **found)
        except Exception as error:  # a parser that trips over the answer: its shape is not what the spider reads
            return ProbeFinding(name, asked, CHANGED, f"{type(error).__name__}: {error}", **found)
        return ProbeFinding(name, asked, OK, "", **found)

    def _moved(self, asked: str, final: str) -> bool:
        if _same_place(asked, final):
            return False
        host = urlsplit(final).hostname or ""
        return not any(fnmatch(host, pattern) for pattern in self.subject.redirect_hosts)

    def _next_or_report(self, finding, original, urls, index, failed):
        if finding.status != OK and index + 1 < len(urls):
            yield self._ask(original, urls, index + 1, [*failed, finding])
            return
        if failed and finding.status == OK:
            finding.detail = "read from a later candidate; " + "; ".join(map(_note, failed))
        elif failed:
            everything = [*failed, finding]
            finding.status = worst(f.status for f in everything)
            finding.detail = "; ".join(map(_note, everything))
            finding.url = urls[0]
        yield finding


def _note(finding: ProbeFinding) -> str:
    """'<status>: <detail>', naming the URL when the detail does not."""
    detail = finding.detail if finding.url.split("?", 1)[0] in finding.detail else f"{finding.url}: {finding.detail}"
    return f"{finding.status}: {detail}"


def _same_place(asked: str, final: str) -> bool:
    """The same address but for http -> https, a trailing slash or a leading www."""
    a, b = urlsplit(asked), urlsplit(final)
    host = (a.hostname or "").removeprefix("www."), (b.hostname or "").removeprefix("www.")
    return host[0] == host[1] and a.path.rstrip("/") == b.path.rstrip("/") and a.query == b.query


def probe_spider_for(spider_cls) -> type[ProbeSpider]:
    """A probe of this source, with the source's own settings and fetch mode."""
    return type(
        f"Probe{spider_cls.__name__}",
        (ProbeSpider,),
        {
            "name": spider_cls.name,
            "target": spider_cls,
            "custom_settings": dict(spider_cls.custom_settings or {}),
            "fetch_mode": spider_cls.fetch_mode,
        },
    )
