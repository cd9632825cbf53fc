"""Measure ↔ countermeasure: for each measure, the likeliest responses of another jurisdiction.

A candidate response is a measure of another government published from `LEAD_DAYS`
before the measure to `window` days after it: governments often announce a measure
days before its official publication (BIS released its December 2024 chip rule on
2 December, the Federal Register printed it on the 5th; MOFCOM answered on the 3rd),
so a response may be dated a little earlier than the measure's publication.

Each candidate is scored from what the classifier knows of both and what they say:

- subject: the cosine of their multilingual sentence embeddings (classifier/multilingual.py:
  a MOFCOM announcement in Chinese lands near the EU notice it answers);
- named: the response names the measure's government (two thirds of the part) and the
  measure names the responder's (one third) (jurisdictions.py);
- tags: the overlap (Jaccard) of their dimensions and industries in force;
- parties: some listed party is named by both;
- timing: the sooner after the measure, the higher.

Pure: no database. Same measures, same suggestions, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from pipeline.linkage.jurisdictions import same_side

WINDOW_DAYS = 120
LEAD_DAYS = 10
TOP = 5  # suggestions kept per measure
# Below this a candidate is not suggested at all. Set under the lowest score of a true response among the
# real pairs of tests/files/responses (0.27: the Dutch chip-equipment rule and China's gallium controls, whose
# texts name no government), it leaves out about one in seven of the other candidates there.
MIN_SCORE = 0.25
WEIGHTS = {"subject": 0.40, "named": 0.30, "tags": 0.10, "parties": 0.10, "timing": 0.10}
DECIMALS = 4
# Of the `named` part, the share for the measure naming the responder's government; the rest is for the
# response naming the measure's, which an answer nearly always does ("原产于欧盟", "from the United States").
NAMES_THEM = 1 / 3


@dataclass(frozen=True)
class Measure:
    id: str
    day: date
    jurisdiction: str
    named: frozenset[str]  # jurisdictions its text names (jurisdictions.named_in)
    tags: frozenset[str]  # dimensions and industries in force
    parties: frozenset[str]  # normalised names of the parties it listed


@dataclass(frozen=True)
class Suggestion:
    measure_id: str
    response_id: str
    score: float
    explanation: str
    rank: int  # 1 = the likeliest response to the measure


def in_window(measure: Measure, response: Measure, window: int = WINDOW_DAYS) -> bool:
    """True when `response` may answer `measure`: another government, dated within the window."""
    if response.id == measure.id or same_side(measure.jurisdiction, response.jurisdiction):
        return False
    return -LEAD_DAYS <= (response.day - measure.day).days <= window


def score_pair(measure: Measure, response: Measure, similarity: float, window: int = WINDOW_DAYS) -> tuple[float, str]:
    """(score 0-1, one-line explanation) of `response` as an answer to `measure`."""
    days = (response.day - measure.day).days
    names_them, names_us = _names(measure, response)
    shared_tags = sorted(measure.tags & response.tags)
    shared_parties = sorted(measure.parties & response.parties)
    score = _score(measure, response, similarity, window)
    reasons = [f"similar subject {max(0.0, float(similarity)):.2f}"]
    if names_them and names_us:
        reasons.append(f"each names the other ({measure.jurisdiction} and {response.jurisdiction})")
    elif names_them:
        reasons.append(f"the measure names {response.jurisdiction}")
    elif names_us:
        reasons.append(f"the response names {measure.jurisdiction}")
    if shared_tags:
        reasons.append("shared tags: " + ", ".join(shared_tags))
    if shared_parties:
        reasons.append("parties on both: " + ", ".join(shared_parties[:3]))
    if days >= 0:
        reasons.append(f"{days} day{'s' if days != 1 else ''} after")
    else:
        reasons.append(f"{-days} day{'s' if days != -1 else ''} before the measure's publication")
    return score, "; ".join(reasons)


def _names(measure: Measure, response: Measure) -> tuple[bool, bool]:
    """(the measure names the responder's government, the response names the measure's)."""
    return (
        any(same_side(response.jurisdiction, code) for code in measure.named),
        any(same_side(measure.jurisdiction, code) for code in response.named),
    )


def _score(measure: Measure, response: Measure, similarity: float, window: int) -> float:
    """The score alone: ranking computes it for every candidate, the explanation only for those it keeps."""
    names_them, names_us = _names(measure, response)
    union = measure.tags | response.tags
    parts = {
        "subject": max(0.0, float(similarity)),
        "named": NAMES_THEM * names_them + (1 - NAMES_THEM) * names_us,
        "tags": len(measure.tags & response.tags) / len(union) if union else 0.0,
        "parties": 1.0 if measure.parties & response.parties else 0.0,
        "timing": max(0.0, 1 - abs((response.day - measure.day).days) / window),
    }
    return round(sum(WEIGHTS[key] * value for key, value in parts.items()), DECIMALS)


def suggest(
    measures: list[Measure],
    similarity: Callable[[str, str], float],
    window: int = WINDOW_DAYS,
    top: int = TOP,
    excluded: Iterable[tuple[str, str]] = (),
) -> list[Suggestion]:
    """The `top` likeliest responses to each measure scoring MIN_SCORE or more, best first; pairs in
    `excluded` are never suggested.

    `similarity(a, b)` is the subject similarity of two measures' texts. Ties go to the earlier
    response, then to the smaller id, so the order never depends on the input's.
    """
    excluded = set(excluded)
    ordered = sorted(measures, key=lambda m: (m.day, m.id))
    days = np.array([m.day.toordinal() for m in ordered])
    suggestions = []
    for measure in sorted(measures, key=lambda m: m.id):
        first = int(np.searchsorted(days, measure.day.toordinal() - LEAD_DAYS, side="left"))
        last = int(np.searchsorted(days, measure.day.toordinal() + window, side="right"))
        scored = []
        for response in ordered[first:last]:
            if (measure.id, response.id) in excluded or not in_window(measure, response, window):
                continue
            score = _score(measure, response, similarity(measure.id, response.id), window)
            if score >= MIN_SCORE:
                scored.append((-score, response.day, response.id, response))
        for rank, (negative, _, response_id, response) in enumerate(sorted(scored)[:top], start=1):
            _, explanation = score_pair(measure, response, similarity(measure.id, response_id), window)
            suggestions.append(Suggestion(measure.id, response_id, -negative, explanation, rank))
    return suggestions
