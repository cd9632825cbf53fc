"""Follow a spider's chained requests over saved files, the way Scrapy would, without a reactor.

Multi-file sources (OFAC's legacy CSV files, the BIS page that links its CSV)
ask for the next file from a callback; here each request is answered from the
file its file:// URL names, or through its errback when there is no such file.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from scrapy.http import Request
from twisted.python.failure import Failure

from spiders.kit.items import unbatch
from tests.conftest import response_for


def crawl_files(spider, first: Path, url: str | None = None) -> list:
    """Every item the spider yields, starting from `first` and following its requests to local files."""
    outputs = list(spider.parse(response_for(first, url=url)))
    items = []
    while outputs:
        requests = [o for o in outputs if isinstance(o, Request)]
        items += unbatch(o for o in outputs if not isinstance(o, Request))
        outputs = []
        for request in requests:
            outputs += list(_answer(request))
    return items


def _answer(request: Request):
    path = Path(unquote(urlsplit(request.url).path))
    if path.is_file():
        return request.callback(response_for(path, url=request.url), **request.cb_kwargs)
    try:
        raise FileNotFoundError(f"[Errno 2] No such file or directory: '{path}'")
    except FileNotFoundError:
        failure = Failure()
    failure.request = request
    return request.errback(failure) or []
