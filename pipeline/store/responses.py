"""The `measure_responses` and `response_decisions` tables: what ranking reads, what it writes, people's decisions.

A person's decision is a row of `response_decisions`, never changed or deleted; the newest per
(measure, response) is in force. `measure_responses` is rebuilt whole from the ranking and the
decisions in force, so a re-ranking, a re-crawl or a rebuild can lose nothing a person said.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pipeline.store.citations import covers
from pipeline.store.labels import FULL_TEXT_CHARS
from pipeline.store.records import insert_rows

DECISIONS = ("confirmed", "rejected")
# A filing on public inspection is the same act as its published version: only one of them is ranked.
NOT_RANKED_SOURCES = ("federal_register_public_inspection",)


class UnknownMeasure(LookupError):
    """No stored document has this id."""


@dataclass(frozen=True)
class Decision:
    id: int
    measure_id: str
    response_id: str
    decision: str
    note: str | None
    reviewer: str
    at: str


def not_ranked_because(document: dict[str, Any]) -> str | None:
    """Why ranking leaves this document out (None: it is ranked), as ranking_inputs decides."""
    if document.get("source") in NOT_RANKED_SOURCES:
        return "a filing on public inspection is ranked through its published version"
    if not document.get("publication_date"):
        return "it has no publication date"
    if not document.get("jurisdiction"):
        return "its government is not known"
    return None


def ranking_inputs(db: Database) -> list[dict[str, Any]]:
    """Every rankable document (dated, with a jurisdiction): what its text says and its tags in force, in id order."""
    marks = ",".join("?" * len(NOT_RANKED_SOURCES))
    return list(
        db.query(
            f"SELECT id, title, abstract, substr(full_text, 1, {FULL_TEXT_CHARS}) AS full_text_start, "
            "substr(publication_date, 1, 10) AS day, jurisdiction, dimensions, industries FROM documents "
            f"WHERE publication_date IS NOT NULL AND jurisdiction IS NOT NULL AND source NOT IN ({marks}) ORDER BY id",
            list(NOT_RANKED_SOURCES),
        )
    )


def parties_by_document(db: Database) -> dict[str, set[str]]:
    """Per document id, the names of the listings it listed: a Federal Register rule through the pages its
    listings cite, an announcement through the announcement each listing names (as the measure page shows them)."""
    rows = db.query(
        "SELECT d.id, l.name FROM listing_citations c "
        f"JOIN documents d ON {covers(published_only=False)} "
        "JOIN listings l ON l.id = c.listing_id "
        "UNION SELECT d.id, l.name FROM listings l JOIN documents d ON l.source = d.source "
        "AND json_extract(l.extra, '$.announcement') = d.document_number ORDER BY 1, 2"
    )
    parties: dict[str, set[str]] = {}
    for row in rows:
        parties.setdefault(row["id"], set()).add(" ".join(row["name"].casefold().split()))
    return parties


def decisions_in_force(db: Database) -> dict[tuple[str, str], Decision]:
    """The newest decision on each (measure, response) pair a person decided."""
    rows = db.query(
        "SELECT * FROM response_decisions d WHERE id = (SELECT max(id) FROM response_decisions "
        "WHERE measure_id = d.measure_id AND response_id = d.response_id) ORDER BY id"
    )
    return {(row["measure_id"], row["response_id"]): _decision(row) for row in rows}


def _decision(row: dict[str, Any]) -> Decision:
    return Decision(
        row["id"], row["measure_id"], row["response_id"], row["decision"], row["note"], row["reviewer"], row["at"]
    )


def replace_responses(
    db: Database, suggested: list[dict[str, Any]], decided: dict[tuple[str, str], dict], ranking: dict[str, Any]
) -> None:
    """Rebuild `measure_responses`: the ranking's suggestions (measure_id, response_id, score, explanation, rank)
    for undecided pairs, and every pair in force in `response_decisions` with its status and, in `decided`,
    its current score and explanation where the ranking could score it. `ranking` (at, measures, window_days,
    encoder) is logged in `response_rankings`, in the same transaction."""
    in_force = decisions_in_force(db)
    rows = [
        {**row, "status": "suggested", "decision_id": None}
        for row in suggested
        if (row["measure_id"], row["response_id"]) not in in_force
    ]
    for pair, decision in in_force.items():
        scored = decided.get(pair, {})
        rows.append(
            {
                "measure_id": pair[0],
                "response_id": pair[1],
                "score": scored.get("score"),
                "explanation": scored.get("explanation"),
                "rank": scored.get("rank"),
                "status": decision.decision,
                "decision_id": decision.id,
            }
        )
    rows.sort(key=lambda row: (row["measure_id"], row["response_id"]))
    with db.atomic():
        db.execute("DELETE FROM measure_responses")
        insert_rows(db, "measure_responses", rows)
        db["response_rankings"].insert({**ranking, "suggested": sum(row["status"] == "suggested" for row in rows)})


def last_ranking(db: Database) -> dict[str, Any] | None:
    """The newest ranking run (None when suggestions were never made, or the database predates them)."""
    if not db["response_rankings"].exists():
        return None
    return next(db.query("SELECT * FROM response_rankings ORDER BY id DESC LIMIT 1"), None)


def measure(db: Database, document_id: str) -> dict[str, Any] | None:
    """What `chokepoint responses` shows of a stored document (None: no such id)."""
    return next(
        db.query(
            "SELECT id, title, substr(publication_date, 1, 10) AS day, jurisdiction, publisher, first_seen, source, "
            "publication_date FROM documents WHERE id = ?",
            [document_id],
        ),
        None,
    )


def document_exists(db: Database, document_id: str) -> bool:
    return db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone() is not None


def record_decision(
    db: Database, measure_id: str, response_id: str, decision: str, note: str | None, reviewer: str, at: str
) -> int:
    """Record a person's decision on one pair and put it in force at once; the decision's id.

    UnknownMeasure when either id is no stored document."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    for document_id in (measure_id, response_id):
        if not document_exists(db, document_id):
            raise UnknownMeasure(
                f"no stored document has id {document_id!r} (ids look like federal_register:2024-28270 "
                "or eu_trade_defence:AS689)"
            )
    if measure_id == response_id:
        raise UnknownMeasure(f"{measure_id!r} cannot respond to itself")
    current = next(
        db.query(
            "SELECT score, explanation, rank FROM measure_responses WHERE measure_id = ? AND response_id = ?",
            [measure_id, response_id],
        ),
        {"score": None, "explanation": None, "rank": None},
    )
    with db.atomic():
        decision_id = (
            db["response_decisions"]
            .insert(
                {
                    "measure_id": measure_id,
                    "response_id": response_id,
                    "decision": decision,
                    "note": note,
                    "reviewer": reviewer,
                    "at": at,
                    "score": current["score"],
                    "explanation": current["explanation"],
                }
            )
            .last_pk
        )
        db.execute(
            "INSERT INTO measure_responses (measure_id, response_id, score, explanation, status, rank, decision_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (measure_id, response_id) DO UPDATE SET "
            "status = excluded.status, decision_id = excluded.decision_id",
            [measure_id, response_id, current["score"], current["explanation"], decision, current["rank"], decision_id],
        )
    return decision_id


# One measure's responses, or what it responds to, with the other document and the decision in force
# (the site's measure page runs these too, with :id).
_PAIRS = (
    "SELECT r.measure_id, r.response_id, r.score, r.explanation, r.status, r.rank, d.id AS other_id, d.title, "
    "substr(d.publication_date, 1, 10) AS day, d.jurisdiction, d.publisher, k.reviewer, k.at AS decided_at, k.note "
    "FROM measure_responses r JOIN documents d ON d.id = r.{other} "
    "LEFT JOIN response_decisions k ON k.id = r.decision_id "
    "WHERE r.{this} = :id AND r.status != 'rejected' "
    "ORDER BY r.status = 'confirmed' DESC, r.score IS NULL, r.score DESC, day, d.id"
)
RESPONSES_OF = _PAIRS.format(this="measure_id", other="response_id")
RESPONDS_TO = _PAIRS.format(this="response_id", other="measure_id")


def responses_of(db: Database, document_id: str) -> dict[str, list[dict[str, Any]]]:
    """{"responses": ..., "in_response_to": ...} for one document, rejected pairs left out."""
    if not db["measure_responses"].exists():
        return {"responses": [], "in_response_to": []}
    return {
        "responses": list(db.query(RESPONSES_OF, {"id": document_id})),
        "in_response_to": list(db.query(RESPONDS_TO, {"id": document_id})),
    }


def tags_of(row: dict[str, Any]) -> frozenset[str]:
    """A document's dimensions and industries in force, as one set."""
    tags: set[str] = set()
    for column in ("dimensions", "industries"):
        value = row.get(column)
        if value:
            tags.update(json.loads(value))
    return frozenset(tags)
