"""Federal Register citations on listings ("87 FR 20299"), and the rules they point to.

A citation names a volume and a page, not a document: it resolves to the stored
document whose pages cover it. The Federal Register API serves documents from
1994 (volume 59) on, and has no condition for a page, so a backfill asks for a
volume's year from the list's agency and keeps the documents that cover a cited
page (spiders/federal_register/federal_register.py, `citations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

# "87 FR 20299", "68 F.R. 38290", "81.F.R. 22576", "79 FR  55608", "76 FR no. 242 pg. 78146";
# never "76 FR No. 197" alone (an issue number, not a page).
FR_CITATION = re.compile(r"\b(\d{1,3})\s*\.?\s*F\.?\s?R\.?\s*(?:no\.\s*\d+,?\s*pg\.\s*)?(\d{1,6})\b", re.IGNORECASE)
FIRST_API_VOLUME = 59  # 1994: the Federal Register API has nothing older
# The lists whose rows cite the rule that listed them, and the agency that publishes those rules.
LIST_AGENCIES = {
    "EL": "industry-and-security-bureau",
    "MEU": "industry-and-security-bureau",
    "DPL": "industry-and-security-bureau",
    "DTC": "state-department",
}
DOCUMENT_NUMBER = re.compile(r"^(?:C\d-)?\d{2,4}-\d{3,6}$")
PUBLIC_INSPECTION = "federal_register_public_inspection"


def covers(document: str = "d", citation: str = "c", published_only: bool = True) -> str:
    """SQL: the document aliased `document` covers the `listing_citations` row aliased `citation` (its volume,
    the cited page within its pages); with `published_only`, never a public-inspection filing."""
    condition = (
        f"{document}.volume = {citation}.volume AND {citation}.page BETWEEN {document}.start_page "
        f"AND {document}.end_page"
    )
    return condition + (f" AND {document}.source != '{PUBLIC_INSPECTION}'" if published_only else "")


@dataclass(frozen=True, order=True)
class Citation:
    volume: int
    page: int

    def __str__(self) -> str:
        return f"{self.volume} FR {self.page}"

    @property
    def year(self) -> int:
        """Volume 1 is 1936: volume 87 is 2022."""
        return self.volume + 1935

    @property
    def in_api(self) -> bool:
        return self.volume >= FIRST_API_VOLUME


def parse_citations(text: str | None) -> list[Citation]:
    """Every distinct citation in a listing's Federal Register field, in the order written."""
    found = [Citation(int(volume), int(page)) for volume, page in FR_CITATION.findall(text or "")]
    return list(dict.fromkeys(c for c in found if c.volume and c.page))


def parse_one(text: str) -> Citation | None:
    """A citation a person typed ("85 FR 83799", "85-FR-83799"), or None."""
    cleaned = text.replace("-", " ").strip()
    match = FR_CITATION.fullmatch(cleaned)
    return Citation(int(match.group(1)), int(match.group(2))) if match else None


def is_document_number(text: str) -> bool:
    return bool(DOCUMENT_NUMBER.match(text.strip()))


@dataclass(frozen=True)
class BackfillRequest:
    """One cited document to fetch: a citation, the agency whose rules it points to, how many listings cite it."""

    citation: Citation
    agency: str
    listings: int


@dataclass
class BackfillPlan:
    requests: list[
        BackfillRequest
    ]  # cited, in the API's years, no stored document covers them or only one without text
    cited: int  # distinct citations on active listings of LIST_AGENCIES' lists
    resolved: int  # of those, covered by a stored document
    before_api: list[Citation]  # older than the API: cannot be fetched
    untexted: list[Citation] = field(default_factory=list)  # covered, but by a document stored without its full text

    @property
    def missing(self) -> list[Citation]:
        """Citations to fetch that no stored document covers (the others only want their text)."""
        untexted = set(self.untexted)
        return sorted({r.citation for r in self.requests if r.citation not in untexted})


def rules_by_listing(db: Database) -> dict[str, list[dict[str, Any]]]:
    """The stored acts each listing rests on, by listing id: the published Federal Register documents
    covering its citations, and the MOFCOM announcement that named it."""
    found: dict[str, list[dict[str, Any]]] = {}
    for row in db.query(
        f"SELECT c.listing_id, d.* FROM listing_citations c JOIN documents d ON {covers()} "
        "UNION SELECT l.id AS listing_id, d.* FROM listings l JOIN documents d ON d.source = l.source "
        "AND d.document_number = json_extract(l.extra, '$.announcement') ORDER BY listing_id, id"
    ):
        found.setdefault(row["listing_id"], []).append(row)
    return found


def covering_document(db: Database, citation: Citation) -> dict | None:
    """The stored Federal Register document whose pages cover the citation (a published one, not a filing)."""
    rows = list(
        db.query(
            "SELECT id, document_number, title, publication_date, type, citation, volume, start_page, end_page, "
            "html_url, source, full_text IS NOT NULL AS has_text FROM documents "
            "WHERE volume = ? AND ? BETWEEN start_page AND end_page "
            "AND source != 'federal_register_public_inspection' ORDER BY start_page DESC, document_number LIMIT 1",
            [citation.volume, citation.page],
        )
    )
    return rows[0] if rows else None


def backfill_plan(db: Database) -> BackfillPlan:
    """What a backfill must fetch: each citation on an active listing that no stored document covers, or that
    only a document stored without its full text covers (the text is what says why a party was listed)."""
    codes = list(LIST_AGENCIES)
    marks = ",".join("?" * len(codes))
    rows = db.query(
        f"SELECT c.volume, c.page, l.list_code, count(*) AS n FROM listing_citations c "
        f"JOIN listings l ON l.id = c.listing_id WHERE l.removed_on IS NULL AND l.list_code IN ({marks}) "
        f"GROUP BY c.volume, c.page, l.list_code ORDER BY c.volume, c.page, l.list_code",
        codes,
    )
    by_citation: dict[Citation, dict[str, int]] = {}
    for row in rows:
        by_citation.setdefault(Citation(row["volume"], row["page"]), {})
        agency = LIST_AGENCIES[row["list_code"]]
        by_citation[Citation(row["volume"], row["page"])][agency] = (
            by_citation[Citation(row["volume"], row["page"])].get(agency, 0) + row["n"]
        )
    requests, before, untexted, resolved = [], [], [], 0
    for citation, agencies in by_citation.items():
        document = covering_document(db, citation)
        if document:
            resolved += 1
            if document["has_text"] or not citation.in_api:
                continue
            untexted.append(citation)  # stored without its text: fetched again for the text
        elif not citation.in_api:
            before.append(citation)
            continue
        for agency, count in sorted(agencies.items()):
            requests.append(BackfillRequest(citation, agency, count))
    return BackfillPlan(requests, len(by_citation), resolved, before, untexted)


def citing_listings(db: Database, first: Citation, last_page: int | None = None) -> list[dict]:
    """Listings citing a page of `first`'s volume from `first.page` to `last_page` (a document's pages)."""
    rows = db.query(
        "SELECT l.id, l.name, l.list_code, l.list_name, l.country, l.removed_on, l.start_date, c.citation, "
        "(SELECT count(*) FROM listing_citations e WHERE e.listing_id = c.listing_id "
        " AND (e.volume < c.volume OR (e.volume = c.volume AND e.page < c.page))) AS earlier "
        "FROM listing_citations c JOIN listings l ON l.id = c.listing_id "
        "WHERE c.volume = ? AND c.page BETWEEN ? AND ? ORDER BY l.list_code, l.name, l.id",
        [first.volume, first.page, last_page if last_page is not None else first.page],
    )
    return list(rows)


def document_by_number(db: Database, number: str) -> dict | None:
    """A stored Federal Register document by its number (the published one before a public-inspection filing)."""
    rows = list(
        db.query(
            "SELECT id, document_number, title, publication_date, type, citation, volume, start_page, end_page, "
            "html_url, source, full_text IS NOT NULL AS has_text FROM documents WHERE document_number = ? "
            "AND source IN ('federal_register', 'federal_register_public_inspection') "
            "ORDER BY source = 'federal_register' DESC LIMIT 1",
            [number],
        )
    )
    return rows[0] if rows else None
