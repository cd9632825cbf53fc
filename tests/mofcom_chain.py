"""Follows the MOFCOM spider's request chain over saved files, calling each callback directly (no engine)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from scrapy.http import Request

from spiders.kit.items import unbatch
from tests.conftest import response_for


def run_chain(spider, first: Path, url: str | None = None) -> tuple[list, list[str]]:
    """Every item the crawl yields starting from one saved response, and the URLs it fetched in order."""
    items, fetched = [], []
    pending = [(response_for(first, url=url), spider.parse, {})]
    while pending:
        response, callback, kwargs = pending.pop(0)
        fetched.append(response.url)
        for output in unbatch(callback(response, **kwargs)):
            if isinstance(output, Request):
                path = Path(url2pathname(urlsplit(output.url).path))
                pending.append((response_for(path, url=output.url), output.callback, output.cb_kwargs))
            else:
                items.append(output)
    return items, fetched
