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
from collections.abc import Iterable, Iterator
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


def results_sha256(rows: Iterable[ScreenedRow]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        _add_to_digest(digest, row)
    return digest.hexdigest()


def _add_to_digest(digest, row: ScreenedRow) -> None:
    digest.update(
        json.dumps(
            [row.row_number, row.query.name, [m.as_dict() for m in row.matches]], ensure_ascii=False, sort_keys=True
        ).encode()
    )


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
    rows: Iterable[ScreenedRow],
    skipped_rows: list[str] = (),
    warnings: list[str] = (),
    watchlist_id: int | None = None,
    crawl_run_id: int | None = None,
) -> int:
    """Store one run's receipt and results in one transaction, reading `rows` once; returns the receipt's id."""
    with private.atomic():
        run_id = (
            private["screening_runs"]
            .insert(
                {
                    "kind": kind,
                    "started": started,
                    "input_name": input_name,
                    "input_sha256": input_sha256,
                    "watchlist_id": watchlist_id,
                    "crawl_run_id": crawl_run_id,
                    "matcher": MATCHER,
                    "threshold": threshold,
                    "lists": json.dumps(lists or []),
                    "list_versions": json.dumps(list_versions, sort_keys=True),
                    "skipped_rows": json.dumps(list(skipped_rows), ensure_ascii=False),
                    "warnings": json.dumps(list(warnings), ensure_ascii=False),
                }
            )
            .last_pk
        )
        totals = _Totals()
        private["screening_results"].insert_all(_result_rows(run_id, rows, totals), batch_size=1000)
        private["screening_runs"].update(
            run_id,
            {
                "finished": clock.now(),
                "queries": totals.queries,
                "matches": totals.matches,
                "results_sha256": totals.digest.hexdigest(),
            },
        )
    return run_id


class _Totals:
    """What the receipt counts and hashes, gathered as the results are stored."""

    def __init__(self):
        self.queries = 0
        self.matches = 0
        self.digest = hashlib.sha256()


def _result_rows(run_id: int, rows: Iterable[ScreenedRow], totals: _Totals) -> Iterator[dict[str, Any]]:
    for row in rows:
        totals.queries += 1
        _add_to_digest(totals.digest, row)
        for match in row.matches:
            totals.matches += int(match.match)
            yield {
                "run_id": run_id,
                "row_number": row.row_number,
                "query": row.query.name,
                "country": row.query.country,
                "counterparty_id": row.query.id,
                **match_columns(match),
                "match": int(match.match),
                "explanation": match.explanation,
            }


def match_columns(match: Match) -> dict[str, Any]:
    """The listing a match found, as the private tables store it (results and alerts alike)."""
    return {
        "listing_id": match.listing_id,
        "listed_name": match.name,
        "alias": match.alias,
        "source": match.source,
        "list_code": match.list_code,
        "score": match.score,
    }


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
