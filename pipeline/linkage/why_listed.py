"""Rebuilding `listing_passages`: for every stored rule text a listing cites, the passage about each party citing it.

Runs in a landing's transaction whenever the landing changed a listing that cites a
rule or a document with full text, so the passages always follow what is stored:
a crawl that fails lands nothing and leaves them as they were, and a document whose
text a later crawl did not fetch keeps its stored text (store.documents).
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from pipeline.linkage.passages import RuleText
from pipeline.store import passages as store


def names_of(listing: dict) -> list[str]:
    """The listing's name, then its aliases (stored as a JSON list, or as written)."""
    names = [listing.get("name") or ""]
    alt = listing.get("alt_names")
    if alt:
        try:
            value = json.loads(alt)
        except ValueError:
            value = [alt]
        names += [str(v) for v in (value if isinstance(value, list) else [value]) if v]
    return names


def refresh(db: Database, listing_ids: list[str], document_ids: list[str]) -> bool:
    """Rebuild the passages when the landing touched what they are read from; whether it did."""
    if not store.touched(db, listing_ids, document_ids):
        return False
    found = []
    for document in store.cited_texts(db):
        text = RuleText(document["full_text"])
        for listing in store.citing(db, document["id"]):
            passage = text.passage(names_of(listing))
            if passage:
                found.append(
                    {
                        "listing_id": listing["listing_id"],
                        "citation": listing["citation"],
                        "document_id": document["id"],
                        "document_number": document["document_number"],
                        "passage": passage.text,
                        "matched_name": passage.matched,
                    }
                )
    store.replace_passages(db, found)
    return True
