"""Links in a digest: each item's own page on the site, and only http(s) URLs from what sources say.

`safe_url` is the digest's own small guard until the reliability work's shared helper lands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from datasette.utils import tilde_encode

CITATION = re.compile(r"^(\d+) FR (\d+)$")


def safe_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL with a host (scraped text can hold javascript: or data:), else None."""
    if not url or any(char.isspace() or ord(char) < 32 for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


@dataclass(frozen=True)
class Site:
    """The published site a digest links to: its base URL and the database's name there (the file's stem)."""

    url: str
    database: str

    def row(self, table: str, row_id: str) -> str:
        """A listing's or document's own page (Datasette's row page; its id tilde-encoded as Datasette does)."""
        return f"{self.url.rstrip('/')}/{self.database}/{table}/{tilde_encode(row_id)}"

    def table(self, table: str, **filters: object) -> str:
        """A table page with Datasette's column filters (`id__gt=...`)."""
        query = urlencode({key: value for key, value in filters.items() if value is not None})
        return f"{self.url.rstrip('/')}/{self.database}/{table}" + (f"?{query}" if query else "")


def citation_url(site: Site, citation: dict) -> str | None:
    """Where a Federal Register citation of a listing is read: the stored rule's page on the site, or
    the rule at govinfo.gov (GPO's link service, by volume and page)."""
    if citation.get("document_id"):
        return site.row("documents", citation["document_id"])
    found = CITATION.match(citation.get("citation") or "")
    if found:
        return f"https://www.govinfo.gov/link/fr/{found[1]}/{found[2]}?link-type=pdf"
    return None
