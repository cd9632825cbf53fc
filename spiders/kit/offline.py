"""Calling a spider's callbacks on saved files, without the Scrapy engine (tests and benchmarks).

`response_for` builds the response a spider would receive for a saved file;
`follow` answers every request a callback yields from the file its file:// URL
names (through the request's errback when there is no such file), the way the
engine would, so multi-file sources (OFAC's legacy CSV files, a page that links
its list, MOFCOM's list and articles) can be read end to end.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit
from urllib.request import url2pathname

from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from twisted.python.failure import Failure

from spiders.kit.items import unbatch

RESPONSE_CLASSES = {".html": HtmlResponse, ".htm": HtmlResponse, ".xml": XmlResponse}


def response_for(path: Path, url: str | None = None, response_class=None) -> TextResponse:
    """A Scrapy response built from a saved file, as the spider would receive it."""
    url = url or path.as_uri()
    response_class = response_class or RESPONSE_CLASSES.get(path.suffix.lower(), TextResponse)
    return response_class(url=url, body=path.read_bytes(), encoding="utf-8", request=Request(url))


def parse_items(spider, response, callback=None) -> list:
    """Every item a callback yields for one response, batches unpacked (requests are dropped)."""
    callback = callback or spider.parse
    return [obj for obj in unbatch(callback(response)) if not isinstance(obj, Request)]


class Followed(NamedTuple):
    items: list
    fetched: list[str]  # the URLs answered, in order


def follow(spider, first: Path, url: str | None = None) -> Followed:
    """Every item the spider yields starting from `first`, following its requests to local files in order."""
    return follow_request(Request(url or first.as_uri(), callback=spider.parse), first)


def follow_request(request: Request, path: Path | None = None) -> Followed:
    """Every item a request leads to, answered from the local file its file:// URL (or `path`) names."""
    items, fetched = [], []
    pending = [(request, path or _local_path(request.url))]
    while pending:
        request, path = pending.pop(0)
        fetched.append(request.url)
        for output in unbatch(_answer(request, path)):
            if isinstance(output, Request):
                pending.append((output, _local_path(output.url)))
            else:
                items.append(output)
    return Followed(items, fetched)


def _local_path(url: str) -> Path:
    return Path(url2pathname(urlsplit(url).path))


def _answer(request: Request, path: Path):
    if path.is_file():
        return request.callback(response_for(path, url=request.url), **request.cb_kwargs) or []
    try:
        raise FileNotFoundError(f"[Errno 2] No such file or directory: '{path}'")
    except FileNotFoundError:
        failure = Failure()
    failure.request = request
    return request.errback(failure) or []
