"""What one act did: the parties a Federal Register rule added and revised, per list."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from pipeline.store import citations, passages
from pipeline.store.citations import Citation


class UnknownRule(Exception):
    """The text names no rule we can find: unparseable, or neither stored nor cited."""


@dataclass
class RuleReport:
    asked: str
    document: dict | None  # the stored rule, when it is stored
    pages: tuple[Citation, int]  # the first cited page and the last page looked at
    added: dict[str, list[dict]] = field(default_factory=dict)  # list code -> listings whose first citation it is
    revised: dict[str, list[dict]] = field(default_factory=dict)  # list code -> listings it cites later
    # Each listing row carries "passage": why it was listed, read from the rule's stored text (None when not found).

    @property
    def parties(self) -> int:
        return sum(len(v) for v in self.added.values()) + sum(len(v) for v in self.revised.values())


def what_rule_did(db: Database, text: str) -> RuleReport:
    """The rule a citation ("85 FR 83799") or document number ("2020-28052") names, and its listings."""
    text = " ".join(text.split())
    document = None
    if citations.is_document_number(text):
        document = citations.document_by_number(db, text)
        if document is None:
            raise UnknownRule(
                f"document {text} is not stored: run `chokepoint crawl federal_register --backfill-citations` "
                "for rules listings cite, or crawl the Federal Register"
            )
    else:
        cited = citations.parse_one(text)
        if cited is None:
            raise UnknownRule(f"{text!r} is neither a Federal Register citation (85 FR 83799) nor a document number")
        document = citations.covering_document(db, cited)
    if document and document.get("volume") and document.get("start_page"):
        first = Citation(document["volume"], document["start_page"])
        last = document.get("end_page") or first.page
    else:
        first, last = cited, cited.page
    rows = citations.citing_listings(db, first, last)
    if document is None and not rows:
        raise UnknownRule(f"no stored rule covers {first} and no stored listing cites it")
    report = RuleReport(text, document, (first, last))
    # A listing citing two pages of one rule is one party: judged by the first page it cites.
    by_listing: dict[str, dict] = {}
    for row in rows:
        if row["id"] not in by_listing or row["earlier"] < by_listing[row["id"]]["earlier"]:
            by_listing[row["id"]] = row
    found = passages.passages_in(db, document["id"]) if document else {}
    for row in [r for r in rows if by_listing[r["id"]] is r]:
        passage = found.get((row["id"], row["citation"]))
        row["passage"] = passage["passage"] if passage else None
        target = report.revised if row["earlier"] else report.added
        target.setdefault(row["list_code"], []).append(row)
    return report
