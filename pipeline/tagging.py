"""Tagging stored items with the classifier: what text it reads, and when to re-tag.

The classifier sees `{"id", "title", "text"}`. For a document that is the title
and abstract with the action, type and agencies; for a listing the name, the
list, its programmes, one address and the remarks and licence terms. Each row
keeps a hash of that text and the model version it was tagged with, so a crawl
re-tags only what changed and `chokepoint reclassify` only what a new model
would see differently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlite_utils import Database

from pipeline.runner import CrawlOutcome
from pipeline.store.records import chunks, to_json

TABLES = ("documents", "listings")
REMARKS_CHARS = 300  # remarks run to pages on a few SDN entries; the first lines carry the signal
DOCUMENT_COLUMNS = ("id", "title", "abstract", "action", "type", "agencies")
LISTING_COLUMNS = ("id", "name", "list_name", "entity_type", "programs", "addresses", "title", "remarks",
                   "license_requirement", "license_policy")


def _values(cell: Any) -> list[str]:
    """A stored JSON array (or a plain list) as a list of strings."""
    if cell is None:
        return []
    if isinstance(cell, str):
        try:
            cell = json.loads(cell) if cell[:1] == "[" else [cell]
        except ValueError:
            return [cell]
    return [str(value) for value in cell if value]


def document_input(row: dict[str, Any]) -> dict[str, str]:
    """What the classifier reads of a stored document: title, abstract, then action, type and agencies."""
    parts = [row.get("abstract"), row.get("action"), row.get("type")]
    agencies = _values(row.get("agencies"))
    if agencies:
        parts.append("Agencies: " + ", ".join(agencies))
    return {"id": row["id"], "title": row.get("title") or "", "text": _sentences(parts)}


def listing_input(row: dict[str, Any]) -> dict[str, str]:
    """What the classifier reads of a stored listing: the list first (it decides the dimension),
    then programmes, the first address, position, remarks and licence terms."""
    parts = [row.get("list_name")]
    if row.get("entity_type"):
        parts.append(row["entity_type"])
    programs = _values(row.get("programs"))
    if programs:
        parts.append("Programs: " + "; ".join(programs))
    addresses = _values(row.get("addresses"))
    if addresses:
        parts.append("Address: " + addresses[0])
    if row.get("title"):
        parts.append("Title: " + row["title"])
    if row.get("remarks"):
        parts.append("Remarks: " + row["remarks"][:REMARKS_CHARS])
    if row.get("license_requirement"):
        parts.append("License requirement: " + row["license_requirement"])
    if row.get("license_policy"):
        parts.append("License policy: " + row["license_policy"])
    return {"id": row["id"], "title": row.get("name") or "", "text": _sentences(parts)}


def _sentences(parts: list[str | None]) -> str:
    """Non-empty parts joined as sentences."""
    kept = [" ".join(part.split()).rstrip(".") for part in parts if part and part.strip()]
    return ". ".join(kept) + "." if kept else ""


def input_hash(item: dict[str, str]) -> str:
    """The hash of exactly what the classifier reads (id excluded: the same text gets the same tags)."""
    return hashlib.sha1(f"{item['title']}\n{item['text']}".encode()).hexdigest()
