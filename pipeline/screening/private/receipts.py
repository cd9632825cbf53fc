"""Screening receipts: what was checked, against which list versions, and what came out.

A receipt lets a firm show an auditor, for any run: the input's hash, the lists and
their versions (per source: last crawl and a hash of every listing's content), the
matcher and threshold, the rows that could not be read, what the run could not vouch
for (stale lists allowed with --allow-stale, a file read as Windows-1252), and every
result (whose hash is recorded as well).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pipeline.screening.match.screener import Match, Query
from spiders.kit import clock

MATCHER = "chokepoint-screening/1"


@dataclass
class ScreenedRow:
    row_number: int
    query: Query
    matches: list[Match]


def results_sha256(rows: list[ScreenedRow]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(
            json.dumps(
                [row.row_number, row.query.name, [m.as_dict() for m in row.matches]], ensure_ascii=False, sort_keys=True
            ).encode()
        )
    return digest.hexdigest()


def record(
    private: Database,
    *,
    kind: str,
    started: str,
    input_name: str,
    input_sha256: str | None,
    threshold: float,
    lists: list[str] | None,
    list_versions: dict[str, Any],
    rows: list[ScreenedRow],
    skipped_rows: list[str] = (),
    warnings: list[str] = (),
    watchlist_id: int | None = None,
    crawl_run_id: int | None = None,
) -> int:
    """Store one run's receipt and results; returns the receipt's id."""
    with private.atomic():
        run_id = (
            private["screening_runs"]
            .insert(
                {
                    "kind": kind,
                    "started": started,
                    "finished": clock.now(),
                    "input_name": input_name,
                    "input_sha256": input_sha256,
                    "watchlist_id": watchlist_id,
                    "crawl_run_id": crawl_run_id,
                    "matcher": MATCHER,
                    "threshold": threshold,
                    "lists": json.dumps(lists or []),
                    "list_versions": json.dumps(list_versions, sort_keys=True),
                    "queries": len(rows),
                    "matches": sum(1 for row in rows for match in row.matches if match.match),
                    "skipped_rows": json.dumps(list(skipped_rows), ensure_ascii=False),
                    "warnings": json.dumps(list(warnings), ensure_ascii=False),
                    "results_sha256": results_sha256(rows),
                }
            )
            .last_pk
        )
        private["screening_results"].insert_all(
            (
                {
                    "run_id": run_id,
                    "row_number": row.row_number,
                    "query": row.query.name,
                    "country": row.query.country,
                    "counterparty_id": row.query.id,
                    "listing_id": match.listing_id,
                    "listed_name": match.name,
                    "alias": match.alias,
                    "source": match.source,
                    "list_code": match.list_code,
                    "score": match.score,
                    "match": int(match.match),
                    "explanation": match.explanation,
                }
                for row in rows
                for match in row.matches
            ),
            batch_size=1000,
        )
    return run_id


def all_receipts(private: Database) -> list[dict[str, Any]]:
    """Every receipt, oldest first: what kind of run, when, on what input, how many screened and matched."""
    if not private["screening_runs"].exists():
        return []
    return list(private.query("SELECT id, kind, started, input_name, queries, matches FROM screening_runs ORDER BY id"))


def receipt(private: Database, receipt_id: int) -> dict[str, Any] | None:
    """One receipt with its lists, list versions, skipped rows, warnings and every result; None when there is none."""
    row = next(private.query("SELECT * FROM screening_runs WHERE id = ?", [receipt_id]), None)
    if row is None:
        return None
    for column in ("lists", "list_versions", "skipped_rows", "warnings"):
        row[column] = json.loads(row[column] or "null")
    row["results"] = list(
        private.query(
            "SELECT row_number, query, country, counterparty_id, listing_id, listed_name, alias, source, list_code, "
            "score, match, explanation FROM screening_results WHERE run_id = ? ORDER BY id",
            [receipt_id],
        )
    )
    return row
