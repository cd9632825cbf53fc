"""`chokepoint suggest-responses`: rank every stored measure's candidate responses and store the best.

Reads the documents and their tags in force, embeds each document's title and the start of
its text with the classifier's multilingual encoder, ranks (responses.py), and rebuilds
`measure_responses` beside the decisions people recorded, which are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlite_utils import Database

from pipeline.linkage.jurisdictions import named_in
from pipeline.linkage.responses import WINDOW_DAYS, Measure, in_window, score_pair, suggest
from pipeline.report import SILENT, Reporter
from pipeline.store import responses as store

ENCODER = "USE multilingual v3 (classifier/multilingual.py)"


class RankingUnavailable(RuntimeError):
    """The multilingual encoder could not be loaded."""


@dataclass
class SuggestResult:
    measures: int = 0  # documents ranked
    suggested: int = 0  # suggestions stored
    confirmed: int = 0  # pairs a person confirmed (kept)
    rejected: int = 0  # pairs a person rejected (never suggested)


def embedding_text(row: dict) -> str:
    """What the encoder reads of a document: its title, then its abstract or the start of its full text."""
    body = row.get("abstract") or row.get("full_text_start") or ""
    return " ".join(f"{row.get('title') or ''}. {body}".split())


def load_encoder():
    from classifier.encoder import EncoderUnavailable
    from classifier.multilingual import MultilingualEncoder

    try:
        return MultilingualEncoder()
    except EncoderUnavailable as error:
        raise RankingUnavailable(str(error)) from None


def update_suggestions(
    db: Database, at: str, encoder=None, window: int = WINDOW_DAYS, reporter: Reporter = SILENT
) -> SuggestResult:
    """Re-rank every stored measure and rebuild `measure_responses` (people's decisions kept)."""
    rows = store.ranking_inputs(db)
    parties = store.parties_by_document(db)
    measures = [
        Measure(
            row["id"],
            date.fromisoformat(row["day"]),
            row["jurisdiction"],
            named_in(" ".join(filter(None, (row["title"], row["abstract"], row["full_text_start"])))),
            store.tags_of(row),
            frozenset(parties.get(row["id"], ())),
        )
        for row in rows
    ]
    result = SuggestResult(measures=len(measures))
    vectors = np.zeros((0, 0), dtype=np.float32)
    if rows:
        reporter.progress("embedding measures", 0, len(rows), "documents")
        vectors = (encoder or load_encoder()).encode([embedding_text(row) for row in rows])
        reporter.progress("embedding measures", len(rows), len(rows), "documents")
        reporter.finish("embedding measures")
    position = {measure.id: i for i, measure in enumerate(measures)}

    def similarity(first: str, second: str) -> float:
        return float(np.dot(vectors[position[first]], vectors[position[second]]))

    decisions = store.decisions_in_force(db)
    rejected = {pair for pair, decision in decisions.items() if decision.decision == "rejected"}
    suggestions = suggest(measures, similarity, window, excluded=rejected)
    suggested = [vars(s) for s in suggestions]
    ranked = {(s.measure_id, s.response_id): vars(s) for s in suggestions}
    by_id = {measure.id: measure for measure in measures}
    decided = {}
    for pair in decisions:
        if pair in ranked:
            decided[pair] = ranked[pair]
        elif pair[0] in by_id and pair[1] in by_id:
            measure, response = by_id[pair[0]], by_id[pair[1]]
            score, explanation = score_pair(measure, response, similarity(*pair), window)
            if not in_window(measure, response, window):
                explanation += "; outside the window ranking looks in"
            decided[pair] = {"score": score, "explanation": explanation, "rank": None}
    ranking = {"at": at, "measures": len(measures), "window_days": window, "encoder": ENCODER}
    store.replace_responses(db, suggested, decided, ranking)
    result.suggested = sum(1 for row in suggested if (row["measure_id"], row["response_id"]) not in decisions)
    result.confirmed = sum(1 for d in decisions.values() if d.decision == "confirmed")
    result.rejected = len(rejected)
    return result
