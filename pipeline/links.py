"""Which URLs may become links: the one check the site, its feeds and the digest emails share.

A source is not trusted to give only web addresses: a listing's `source_list_url`
could read `javascript:alert(document.domain)` or `data:text/html,...`. Only an
absolute http(s) URL, or a link within our own site (a path, a query, a fragment),
becomes a link anywhere; anything else is shown as text, or not linked at all. Imports nothing, so any part of the
pipeline (and a digest package) may use it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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
