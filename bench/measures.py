"""The real measures and responses of tests/files/responses/measures.json, as a store holds them.

Each measure becomes a document (`fixture:<id>`): its title, its text as the abstract, its date
as the publication date, its government and issuing body. The test and bench/responses.py
tag them with the real classifier and rank them.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from pipeline.store import ensure_schema

MEASURES = Path(__file__).resolve().parents[1] / "tests" / "files" / "responses" / "measures.json"
PREFIX = "fixture:"


def load(path: Path = MEASURES) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def store_measures(db: Database, path: Path = MEASURES) -> dict:
    """Store every measure of `path` as a document of `db`; the file's content."""
    data = load(path)
    ensure_schema(db)
    db["documents"].insert_all(
        {
            "id": PREFIX + measure["id"],
            "source": "fixture",
            "document_number": measure.get("number") or measure["id"],
            "title": measure["title"],
            "abstract": measure["text"],
            "publication_date": measure["date"],
            "jurisdiction": measure["jurisdiction"],
            "publisher": measure["body"],
            "html_url": measure.get("url"),
            "type": "measure",
        }
        for measure in data["measures"]
    )
    return data


def true_responses(data: dict) -> dict[str, set[str]]:
    """Per measure document id, the document ids of its real responses."""
    truth: dict[str, set[str]] = {}
    for pair in data["pairs"]:
        truth.setdefault(PREFIX + pair["measure"], set()).add(PREFIX + pair["response"])
    return truth
