"""Meeting live sources as they are: firewalls that answer in their place, and files that sit at one of several addresses.

Blocking is the main live risk (SOURCES_LIVE §12, reported): OFAC's Sanctions
List Service and EUR-Lex sit behind AWS WAF, METI behind Akamai, and fcc.gov
challenges plain fetches. A firewall answers with HTTP 403 (or 429), or with a
challenge page served as 200. `block_in` recognises such an answer by its status,
by markers the common firewalls put in their pages, and by its first bytes (an
HTML page where a file was due), so a spider names it a block (`SourceBlocked`):
never a shape change, never an empty list.

`first_answering` asks for a file at its candidate addresses in order (OFAC's
documented download path, then the one its old URLs redirect to; the CSL's CSV,
then its JSON): the next is asked when one fails before its body is read (an
HTTP error, no connection, a block, another format). A body that is read and
found broken (cut short, say) is not retried elsewhere: it fails the crawl.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import scrapy
from scrapy.exceptions import ResponseDataLossError

from spiders.kit.errors import (
    SourceBlocked,
    SourceEmpty,
    SourceError,
    SourceShapeChanged,
    SourceTruncated,
    SourceUnavailable,
)

# Statuses a firewall refuses with (a 401 asks for a key: that is not a block).
BLOCK_STATUSES = {403: "forbidden", 429: "too many requests"}
# Only the first bytes of an answer are searched: challenge pages are small, and a list is large.
SEARCHED_BYTES = 32 * 1024
# Markers of the common firewalls' challenge and refusal pages (lower case) -> whose.
CHALLENGE_MARKERS = {
    b"window.gokuprops": "AWS WAF",
    b"awswaf.com": "AWS WAF",
    b"aws-waf-token": "AWS WAF",
    b"/cdn-cgi/challenge-platform/": "Cloudflare",
    b"_cf_chl_opt": "Cloudflare",
    b"attention required! | cloudflare": "Cloudflare",
    b"/_sec/cp_challenge/": "Akamai",
    b"_incapsula_resource": "Imperva",
    b"incapsula incident id": "Imperva",
    b"pardon our interruption": "Imperva",
    b"captcha-delivery.com": "DataDome",
    b"the requested url was rejected. please consult with your administrator": "F5",
}
REFUSAL_TITLE = re.compile(
    rb"<title>\s*(access denied|request rejected|just a moment\.\.\.|403 forbidden|forbidden|"
    rb"checking your browser[^<]*)\s*</title>",
    re.IGNORECASE,
)
HTML_START = re.compile(rb"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|script)\b", re.I | re.S)
LEADING = b"\xef\xbb\xbf \t\r\n"


def head_of(body: bytes) -> bytes:
    """The body's start, without a byte-order mark or leading blanks."""
    return body.lstrip(LEADING)[:SEARCHED_BYTES]


def is_html(body: bytes) -> bool:
    return bool(HTML_START.match(head_of(body)))


def challenge_in(body: bytes, headers=None) -> str | None:
    """Whose challenge or refusal page this is ('Cloudflare', 'a page titled "Access Denied"'), or None."""
    if headers is not None and (headers.get(b"cf-mitigated") or b"").lower() == b"challenge":
        return "Cloudflare"
    head = head_of(body)
    if not head.startswith(b"<"):
        return None
    lowered = head.lower()
    for marker, whose in CHALLENGE_MARKERS.items():
        if marker in lowered:
            return whose
    title = REFUSAL_TITLE.search(head)
    if title:
        return f'a page titled "{" ".join(title.group(1).decode("latin-1").split())}"'
    return None


def block_in(response: scrapy.http.Response, looks_like: Iterable[bytes] = ()) -> str | None:
    """Why this answer is a firewall's and not the source's, or None when it may be the source's.

    `looks_like` are the first bytes the source's format starts with: an HTML page
    where they say no HTML is due is a block (an error or challenge page).
    """
    status = response.status
    challenge = challenge_in(response.body, response.headers)
    if status in BLOCK_STATUSES:
        whose = f", {challenge}" if challenge else ""
        return f"HTTP {status} ({BLOCK_STATUSES[status]}{whose})"
    if challenge:
        return f"a challenge page ({challenge}), HTTP {status}"
    looks_like = tuple(looks_like)
    head = head_of(response.body)
    if looks_like and is_html(head) and not any(head.startswith(prefix) for prefix in looks_like):
        return f"an HTML page where the file was due (starts {_shown(head)})"
    return None


def require_body(
    source: str,
    response: scrapy.http.Response,
    looks_like: Iterable[bytes],
    unexpected: type[SourceError] = SourceShapeChanged,
) -> None:
    """Fail unless the body starts like the expected format: a block by name, else `unexpected`."""
    looks_like = tuple(looks_like)
    blocked = block_in(response, looks_like)
    if blocked:
        raise SourceBlocked(source, f"{_short(response.url)}: {blocked}")
    head = head_of(response.body)[:64]
    if not head:
        raise SourceEmpty(source, f"empty response from {response.url}")
    if not any(head.startswith(prefix) for prefix in looks_like):
        raise unexpected(source, f"{response.url} does not look like the expected format (starts {_shown(head)})")


def download_error(source: str, failure) -> SourceError:
    """The named error for a failed download: one a middleware already named (an undecodable body, a refused
    link) as that, else a block, a cut-short body or the source unavailable."""
    if isinstance(failure.value, SourceError):
        # A new instance: Scrapy only logs an errback's re-raise of the download's own failure.
        return type(failure.value)(failure.value.source, failure.value.detail)
    request = getattr(failure, "request", None)
    # The URL asked for: a request sent to a local mirror of the live sources keeps it in its meta (mirror.py).
    url = _short(request.meta.get("live_url") or request.url) if request is not None else "?"
    response = getattr(failure.value, "response", None)
    if response is not None:
        blocked = block_in(response)
        if blocked:
            return SourceBlocked(source, f"{blocked} from {url}")
        return SourceUnavailable(source, f"HTTP {response.status} from {url}")
    if _cut_short(failure):
        return SourceTruncated(source, f"{url} ended before the length its server announced (a download cut short)")
    message = failure.getErrorMessage().strip().splitlines()[0] if failure.getErrorMessage().strip() else ""
    return SourceUnavailable(source, f"{failure.type.__name__} fetching {url}: {message}")


def _cut_short(failure) -> bool:
    """A body shorter than its Content-Length (Scrapy's ResponseDataLossError)."""
    return failure.check(ResponseDataLossError) is not None


# -- candidate addresses -----------------------------------------------------------------


def first_answering(
    spider,
    urls: Sequence[str],
    callback: Callable[..., Any],
    looks_like: Iterable[bytes],
    unexpected: type[SourceError] = SourceShapeChanged,
    **request_kwargs: Any,
) -> scrapy.Request:
    """A request for the first of `urls` that answers with the expected format, asked in order.

    Each URL that fails is a warning once a later one answers; when none does, the
    crawl fails naming every one (as a block when any of them was blocked).
    """
    if not urls:
        raise ValueError("first_answering needs at least one URL")
    return _ask(spider, tuple(urls), 0, (), callback, tuple(looks_like), unexpected, request_kwargs)


def _ask(spider, urls, index, errors, callback, looks_like, unexpected, request_kwargs) -> scrapy.Request:
    def answered(response, **cb_kwargs):
        try:
            require_body(spider.name, response, looks_like, unexpected)
        except SourceError as error:
            yield _next_or_fail(error)
            return
        for earlier in errors:
            spider.warn(f"candidate URL failed, a later one answered: {earlier.detail}")
        yield from callback(response, **cb_kwargs) or ()

    def failed(failure):
        yield _next_or_fail(download_error(spider.name, failure))

    def _next_or_fail(error: SourceError):
        tried = (*errors, error)
        if index + 1 < len(urls):
            return _ask(spider, urls, index + 1, tried, callback, looks_like, unexpected, request_kwargs)
        raise none_answered(spider.name, tried)

    others = {key: value for key, value in request_kwargs.items() if key != "meta"}
    meta = {**request_kwargs.get("meta", {}), "candidate_urls": urls, "candidate_index": index}
    return scrapy.Request(urls[index], callback=answered, errback=failed, meta=meta, **others)


def none_answered(source: str, errors: Sequence[SourceError]) -> SourceError:
    """One error for candidates that all failed: a block when any was blocked, else the last one's kind."""
    kind = SourceBlocked if any(isinstance(e, SourceBlocked) for e in errors) else type(errors[-1])
    if len(errors) == 1:
        return kind(source, errors[0].detail)
    return kind(source, f"none of {len(errors)} candidate URLs answered: " + "; ".join(e.detail for e in errors))


def _shown(head: bytes) -> str:
    return repr(head[:40].decode("utf-8", "replace"))


def _short(url: str, limit: int = 120) -> str:
    """A URL short enough for a one-line error (the Federal Register's queries run to 2,000 characters)."""
    return url if len(url) <= limit else url.split("?", 1)[0] + "?…"
