"""Links in a digest: each item's own page on the site, the site's pages of changes, and a rule's citation.

The pages are the site's own (`/party/<id>`, `/measure/<id>`, `/trends`, built by `pipeline.links` as the site
builds them); a URL taken from a source becomes a link only through `pipeline.links.safe_url`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from pipeline.links import federal_register_citation, measure_url, party_url, safe_url, trends_url

CITATION = re.compile(r"^(\d+) FR (\d+)$")


@dataclass(frozen=True)
class Site:
    """The published site a digest links to: its base URL and the database's name there."""

    url: str
    database: str

    def party(self, listing_id: str) -> str:
        """A listed party's own page."""
        return self.url.rstrip("/") + party_url(listing_id)

    def measure(self, document_id: str) -> str:
        """A measure's (document's) own page."""
        return self.url.rstrip("/") + measure_url(document_id)

    def trends(self, **params: str | None) -> str | None:
        """The trends page (`by`, `period`, `since`), where a surge is charted; None if the site's URL is no web address."""
        return safe_url(self.url.rstrip("/") + trends_url(**params))

    def table(self, table: str, **filters: object) -> str:
        """A table page with Datasette's column filters (`id__gt=...`)."""
        query = urlencode({key: value for key, value in filters.items() if value is not None})
        return f"{self.url.rstrip('/')}/{self.database}/{table}" + (f"?{query}" if query else "")


def citation_url(site: Site, citation: dict) -> str | None:
    """Where a Federal Register citation of a listing is read: the stored rule's page on the site, or
    the rule at federalregister.gov (found by volume and page), as the site's party page links it."""
    if citation.get("document_id"):
        return site.measure(citation["document_id"])
    found = CITATION.match(citation.get("citation") or "")
    if found:
        return federal_register_citation(found[1], found[2])
    return None
