"""`Classifier`: load once, then classify batches of `{"id", "title", "text"}` items.

Results are cached by a hash of the text, so an item seen before (in this
process) is never encoded again.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifier.features import feature_matrix, title_signals
from classifier.head import ARTEFACT, Head, version
from classifier.labels import LABELS
from classifier.rules import list_dimensions, listing_industries

CACHE_SIZE = 100_000
SCORE_DECIMALS = 4


@dataclass(frozen=True)
class Result:
    id: Any  # the item's id as given (a string, a number, or None)
    dimensions: list[str]
    industries: list[str]
    scores: dict[str, float]

    def as_dict(self) -> dict:
        return {"id": self.id, "dimensions": self.dimensions, "industries": self.industries, "scores": self.scores}


def text_hash(title: str, text: str, kind: str | None = None) -> str:
    return hashlib.sha1(f"{kind == 'listing'}\n{title}\n{text}".encode()).hexdigest()


class Classifier:
    def __init__(self, encoder, head: Head, model_version: str):
        self.encoder = encoder
        self.head = head
        self.version = model_version
        self._cache: OrderedDict[str, tuple[list[str], list[str], dict[str, float]]] = OrderedDict()

    @classmethod
    def load(cls, artefact: Path = ARTEFACT, threads: int = 2) -> "Classifier":
        from classifier.encoder import Encoder

        from classifier.head import BadArtefact

        head = Head.load(artefact)
        layers = head.info.get("encoder_layers")
        if not isinstance(layers, int):
            raise BadArtefact(f"{artefact} does not say which encoder layers it was trained on: retrain it")
        return cls(Encoder(threads=threads, layers=layers), head, version(artefact))

    def classify(self, items: list[dict[str, str]]) -> list[Result]:
        """One Result per item, in order. Items need "title" and "text" (either may be empty);
        `"kind": "listing"` marks a screening-list entry, which the encoder reads more briefly."""
        keys = [text_hash(item.get("title") or "", item.get("text") or "", item.get("kind")) for item in items]
        todo = {}
        for key, item in zip(keys, items):
            if key not in self._cache and key not in todo:
                todo[key] = {"title": item.get("title") or "", "text": item.get("text") or "", "kind": item.get("kind")}
        if todo:
            fresh = list(todo.values())
            probabilities = self.head.probabilities(feature_matrix(self.encoder, fresh))
            decisions = self.head.decide(probabilities, title_signals(fresh))
            for key, item, row, (dimensions, industries) in zip(todo, fresh, probabilities, decisions):
                dimensions = list_dimensions(item) or dimensions
                industries = listing_industries(item) or industries
                scores = {label: round(float(p), SCORE_DECIMALS) for label, p in zip(LABELS, row)}
                self._remember(key, (dimensions, industries, scores))
        results = []
        for key, item in zip(keys, items):
            dimensions, industries, scores = self._cache[key]
            self._cache.move_to_end(key)
            results.append(Result(item.get("id"), list(dimensions), list(industries), dict(scores)))
        return results

    def _remember(self, key, value) -> None:
        self._cache[key] = value
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
