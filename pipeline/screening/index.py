"""Every listed name, analysed once, and a fast way to the few worth scoring for a query.

Built once per screening run (a second or two for the whole Consolidated Screening
List), then each query costs a few dictionary look-ups: its words and their typos
and sound-alikes lead to the names that contain them, the rarest words first, and
only the best of those are scored in full.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.screening.fuzzy import WordFinder
from pipeline.screening.names import listing_names
from pipeline.screening.normalise import LEGAL, NameForm, analyse
from pipeline.screening.score import Weights

CANDIDATES_PER_QUERY = 40
# Words in more names than this lead to candidates only when a query has nothing rarer.
COMMON_WORD_NAMES = 1_500


@dataclass(frozen=True)
class Listed:
    """What the screener needs to know about one listing."""

    listing_id: str
    name: str
    source: str
    list_code: str
    countries: tuple[str, ...]
    entity_type: str | None


@dataclass(frozen=True)
class ListedName:
    listing: int  # position in NameIndex.listings
    text: str
    form: NameForm


class TokenStats:
    """How many listed names contain each word: the weights, kept apart so a small index
    (the listings one crawl changed) can weigh words as the whole list does."""

    def __init__(self, forms: Iterable[NameForm]):
        frequency: Counter[str] = Counter()
        names = 0
        for form in forms:
            if not form.tokens:
                continue
            names += 1
            frequency.update({token.text for token in form.tokens if token.kind != LEGAL})
        self.weights = Weights(dict(frequency), names)


class NameIndex:
    def __init__(self, listings: Iterable[dict[str, Any]], stats: TokenStats | None = None):
        self.listings: list[Listed] = []
        self.names: list[ListedName] = []
        for row in listings:
            position = len(self.listings)
            self.listings.append(_listed(row))
            for text in listing_names(row["name"], as_list(row.get("alt_names"))):
                form = analyse(text)
                if form.tokens:
                    self.names.append(ListedName(position, text, form))
        self.stats = stats or TokenStats(name.form for name in self.names)
        self.weights = self.stats.weights
        self._postings: dict[str, list[int]] = defaultdict(list)
        for number, name in enumerate(self.names):
            for text in {token.text for token in name.form.tokens if token.kind != LEGAL}:
                self._postings[text].append(number)
        # What each name weighs in all: candidates are ranked by the share of it a query covers.
        self._name_weight = [sum(map(self.weights.of, name.form.tokens)) for name in self.names]
        self.words = WordFinder(self._postings)

    def __len__(self) -> int:
        return len(self.listings)

    def candidates(self, form: NameForm, limit: int = CANDIDATES_PER_QUERY) -> list[int]:
        """Positions in `self.names` of the names most worth scoring for `form`, best first."""
        found: dict[int, float] = defaultdict(float)
        common: list[tuple[str, float, float]] = []
        queried = [token.text for token in form.tokens if token.kind != LEGAL]
        queried += [a + b for a, b in zip(queried, queried[1:])]  # "Hik Vision" finds "Hikvision"
        for text in queried:
            for listed, similarity in self.words.similar(text).items():
                postings = self._postings[listed]
                weight = self.weights.of_frequency(len(postings)) * similarity
                if len(postings) > COMMON_WORD_NAMES:
                    common.append((listed, weight, similarity))
                    continue
                for number in postings:
                    found[number] += weight
        if not found and common:
            # Only common words ("Bank of China"): the names holding all of them.
            shared = set.intersection(*(set(self._postings[listed]) for listed, _, _ in common))
            for number in shared:
                found[number] = sum(weight for _, weight, _ in common)
        query_weight = sum(map(self.weights.of, form.tokens))
        name_weight = self._name_weight
        return heapq.nlargest(limit, found, key=lambda number: found[number] / (query_weight + name_weight[number]))


def _listed(row: dict[str, Any]) -> Listed:
    return Listed(
        listing_id=row["id"], name=row["name"], source=row.get("source") or "",
        list_code=row.get("list_code") or "", countries=tuple(as_list(row.get("countries"))),
        entity_type=row.get("entity_type"),
    )


def as_list(value) -> list[str]:
    """JSON-array columns arrive as text from the database and as lists from items."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return [str(item) for item in parsed] if isinstance(parsed, list) else [str(parsed)]
    return [str(item) for item in value]
