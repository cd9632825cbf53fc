"""Which URLs may become links: the one check the site, its feeds and the digest emails share.

A source is not trusted to give only web addresses: a listing's `source_list_url`
could read `javascript:alert(document.domain)` or `data:text/html,...`. Only an
absolute http(s) URL, or a link within our own site (a path, a query, a fragment),
becomes a link anywhere; anything else is shown as text, or not linked at all.

Also the site's own stable addresses that pages, feeds and digest emails link to:
`/party/<listing id>` and `/measure/<document id>` (built from the stored ids, which
come from the sources and never change), the trends and timeline pages, and a Federal Register citation's address.
Imports nothing of the pipeline, so any part of it (the site, the digest) may use it.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

WEB_SCHEMES = ("http", "https")


def safe_url(url: object) -> str | None:
    """`url` when it may be a link's href (http(s) with a host, or relative to this site); None otherwise."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or "\\" in url or any(ord(char) < 32 or ord(char) == 127 for char in url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() in WEB_SCHEMES:
        return url if parts.netloc else None
    if not parts.scheme and not parts.netloc and not url.startswith("//"):
        return url  # '/chokepoint/listings', '?_sort=name', '#export': this site
    return None


def party_url(listing_id: str) -> str:
    """A listed party's own page on the site (a path: prefix the site's base URL outside it)."""
    return f"/party/{quote(listing_id, safe=':')}"


def measure_url(document_id: str) -> str:
    """A measure's (document's) own page on the site."""
    return f"/measure/{quote(document_id, safe=':')}"


def trends_url(**params: str | None) -> str:
    """The trends page, with its view (`by`), `period` and window (`since`, `until`) when given."""
    chosen = {key: value for key, value in params.items() if value}
    return "/trends" + (f"?{urlencode(chosen)}" if chosen else "")


def timeline_url(extension: str = "", **params: str | None) -> str:
    """The timeline page of a party, an industry or a dimension (`party=`, `industry=`, `dimension=`);
    extension ".json" for the same timeline as JSON."""
    chosen = {key: value for key, value in params.items() if value}
    return f"/timeline{extension}" + (f"?{urlencode(chosen)}" if chosen else "")


def federal_register_citation(volume: int | str, page: int | str) -> str:
    """federalregister.gov's own address for a citation such as 84 FR 29373 (it finds the document)."""
    return f"https://www.federalregister.gov/citation/{volume}-FR-{page}"
