"""Every page's address, and the one check that lets a stored URL become a link.

The party and measure pages have stable addresses built from the stored ids,
which come from the sources and never change: `/party/<listing id>` and
`/measure/<document id>` (`pipeline.links` builds them, so the digest emails
link to the same pages); the trends page is `/trends` and its surge feed
`/trends/surges.atom`; a timeline is `/timeline?party=<listing id>` (or `industry=`, `dimension=`). A URL found in a
source becomes a link only when it is http(s) with a host (`safe_url`): a
`javascript:` or `file:` value stays text.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from pipeline import links
from pipeline.links import (  # noqa: F401 (the site's addresses)
    federal_register_citation,
    measure_url,
    party_url,
    timeline_url,
    trends_url,
)
from pipeline.site.datasette import DATABASE


def search_url(query: str = "", **params: str | None) -> str:
    chosen = {"q": query, **{key: value for key, value in params.items() if value}}
    return f"/search?{urlencode(chosen)}"


def surges_feed_url() -> str:
    return "/trends/surges.atom"


def table_url(table: str, **params: str | None) -> str:
    """A table (or view) of the published database, filtered by Datasette's column__op=value parameters."""
    chosen = {key: value for key, value in params.items() if value is not None}
    return f"/{DATABASE}/{table}" + (f"?{urlencode(chosen)}" if chosen else "")


def query_url(name: str, extension: str = "") -> str:
    """A canned query of datasette_metadata.json (extension ".atom" for its feed)."""
    return f"/{DATABASE}/{name}{extension}"


def safe_url(value: object) -> str | None:
    """`value` when it is an absolute http(s) URL with a host, else None: `pipeline.links.safe_url`'s rule
    (the one the feeds and the digest use), for a stored value, which must name another site to be a link."""
    url = links.safe_url(value)
    if url is None or not urlsplit(url).scheme or any(c in url for c in " <>\"'"):
        return None
    return url


def short_url(url: str, width: int = 48) -> str:
    """A URL shortened for reading: its host and the end of its path."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    rest = parts.path.rstrip("/")
    if parts.query:
        rest += "?" + parts.query
    text = host + rest
    if len(text) <= width:
        return text
    last = rest.rsplit("/", 1)[-1]
    room = max(width - len(host) - 3, 8)
    tail = last if len(last) <= room else last[: room - 1] + "…"
    return f"{host}/…/{tail}" if tail else f"{host}/…"
