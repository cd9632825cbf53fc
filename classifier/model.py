"""`Classifier`: load once, then classify batches of `{"id", "title", "text"}` items.

A screening-list entry is marked `"kind": "listing"` and may carry its
`"aliases"` (classifier/listing.py). Each result has the labels, a score per
label, and how sure the classifier is: `confidence` is how strongly the
scores back the weakest of its decisions, and `needs_review` flags items whose
tags a person should check (docs/benchmarks.md measures what it catches).
Labels fixed by rules (a listing's list, a listed bank, the register's
industries for a party it holds) are certain and do not lower the confidence.

Results are cached by a hash of what the classifier reads, so an item seen
before (in this process) is never encoded again.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifier.features import Featurizer, title_signals
from classifier.head import ARTEFACT, THRESHOLD, Head, version
from classifier.labels import DIMENSIONS, INDUSTRIES, LABELS
from classifier.rules import apply_rules, list_dimensions, listing_industries

CACHE_SIZE = 100_000
SCORE_DECIMALS = 4
# An item needs review when its confidence is below this: chosen on the training split's
# cross-validation as the point where the flagged items hold most of the errors (docs/benchmarks.md).
REVIEW_BELOW = 0.3


@dataclass(frozen=True)
class Result:
    id: Any  # the item's id as given (a string, a number, or None)
    dimensions: list[str]
    industries: list[str]
    scores: dict[str, float]
    confidence: float = 1.0  # 0 (a decision against or on its score) to 1 (every score 0 or 1, or set by a rule)
    needs_review: bool = False

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "dimensions": self.dimensions,
            "industries": self.industries,
            "scores": self.scores,
            "confidence": self.confidence,
            "needs_review": self.needs_review,
        }


def text_hash(item: dict) -> str:
    """A hash of exactly what the classifier reads of an item (its id aside)."""
    read = [
        item.get("kind") == "listing",
        item.get("title") or "",
        item.get("text") or "",
        list(item.get("aliases") or ()),
    ]
    return hashlib.sha1(json.dumps(read, ensure_ascii=False).encode()).hexdigest()


def confidence(scores: dict[str, float], chosen: set[str], fixed: set[str]) -> float:
    """How strongly the scores back the weakest decision, 0 to 1: a chosen label's score above the threshold,
    an unchosen one's below it, as a share of the way to 1 or 0. A label chosen against its score (the
    likeliest industry when none passes, one the title names) counts 0. Labels in `fixed` (set by a rule) are left out."""
    support = []
    for label, p in scores.items():
        if label in fixed:
            continue
        margin = (p - THRESHOLD) / (1 - THRESHOLD) if label in chosen else (THRESHOLD - p) / THRESHOLD
        support.append(max(0.0, margin))
    return round(min(support), SCORE_DECIMALS) if support else 1.0


class Classifier:
    def __init__(self, featurizer: Featurizer, head: Head, model_version: str):
        self.featurizer = featurizer
        self.head = head
        self.version = model_version
        self._cache: OrderedDict[str, tuple[list[str], list[str], dict[str, float], float]] = OrderedDict()

    @property
    def encoder(self):
        return self.featurizer.encoder

    @classmethod
    def load(cls, artefact: Path = ARTEFACT, threads: int = 2) -> "Classifier":
        from classifier.encoder import Encoder
        from classifier.head import BadArtefact
        from classifier.multilingual import MultilingualEncoder
        from classifier.register import BadRegister, default_register

        head = Head.load(artefact)
        layers = head.info.get("encoder_layers")
        if not isinstance(layers, int):
            raise BadArtefact(f"{artefact} does not say which encoder layers it was trained on: retrain it")
        try:
            register = default_register()
        except BadRegister as error:
            raise BadArtefact(f"the register of listed parties is damaged: {error}") from None
        featurizer = Featurizer(Encoder(threads=threads, layers=layers), MultilingualEncoder(threads=threads), register)
        return cls(featurizer, head, version(artefact))

    def classify(self, items: list[dict]) -> list[Result]:
        """One Result per item, in order. Items need "title" and "text" (either may be empty);
        `"kind": "listing"` marks a screening-list entry, which may carry `"aliases"`."""
        keys = [text_hash(item) for item in items]
        todo = {}
        for key, item in zip(keys, items):
            if key not in self._cache and key not in todo:
                todo[key] = {
                    "title": item.get("title") or "",
                    "text": item.get("text") or "",
                    "kind": item.get("kind"),
                    "aliases": list(item.get("aliases") or ()),
                }
        if todo:
            fresh = list(todo.values())
            probabilities = self.head.probabilities(self.featurizer.matrix(fresh))
            decisions = self.head.decide(probabilities, title_signals(fresh))
            for key, item, row, (dimensions, industries) in zip(todo, fresh, probabilities, decisions):
                self._remember(key, decide(item, row, dimensions, industries, self.featurizer.registered(item)))
        results = []
        for key, item in zip(keys, items):
            dimensions, industries, scores, sure = self._cache[key]
            self._cache.move_to_end(key)
            results.append(
                Result(item.get("id"), list(dimensions), list(industries), dict(scores), sure, sure < REVIEW_BELOW)
            )
        return results

    def _remember(self, key, value) -> None:
        self._cache[key] = value
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)


def decide(item: dict, row, dimensions: list[str], industries: list[str], registered: set[str] = frozenset()):
    """The head's labels with the rules applied; (dimensions, industries, scores, confidence)."""
    fixed: set[str] = set()
    dimensions, industries = apply_rules(item, dimensions, industries, registered)
    if list_dimensions(item):
        fixed |= set(DIMENSIONS)
    if listing_industries(item):
        fixed |= set(INDUSTRIES)
    fixed |= set(registered)
    scores = {label: round(float(p), SCORE_DECIMALS) for label, p in zip(LABELS, row)}
    return dimensions, industries, scores, confidence(scores, set(dimensions) | set(industries), fixed)
