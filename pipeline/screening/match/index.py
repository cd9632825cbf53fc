"""Every listed name, analysed once, and a fast way to the few worth scoring for a query.

Built once per screening run (a few seconds for the whole Consolidated Screening
List), then each query costs a few dictionary look-ups: its words and their typos
and sound-alikes lead to the names that contain them, the rarest words first, and
only the best of those are scored in full.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np

from pipeline.screening.match.fuzzy import WordFinder
from pipeline.screening.match.names import listing_names
from pipeline.screening.match.normalise import LEGAL, NameForm, analyse
from pipeline.screening.match.score import (
    LEGAL_WEIGHT,
    UNMATCHED_LISTED_FACTOR,
    Prepared,
    PreparedQuery,
    Weights,
    prepare,
)

MAX_BITS = 62  # written words tracked one bit each; words past this never lower the bound
MAX_CANDIDATES = 200  # scoring stops long before this, once no name left can beat the best so far
# Words in more names than this lead to candidates only when a query has nothing rarer.
COMMON_WORD_NAMES = 400
RETRIEVAL_FLOOR_FOR_KNOWN_WORDS = 0.8
WORDS_FOLLOWED = 4


@dataclass(frozen=True)
class Listed:
    """What the screener needs to know about one listing."""

    listing_id: str
    name: str
    source: str
    list_code: str
    countries: tuple[str, ...]
    entity_type: str | None


@dataclass
class ListedName:
    listing: int  # position in NameIndex.listings
    text: str
    form: NameForm
    prepared: Prepared | None = None  # see NameIndex.prepared


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
        postings: dict[str, list[int]] = defaultdict(list)
        for number, name in enumerate(self.names):
            for text in sorted({token.text for token in name.form.tokens if token.kind != LEGAL}):
                postings[text].append(number)
        # Names per word as arrays: a query's words are looked up as a few vector operations.
        self._postings = {text: np.array(numbers, dtype=np.int32) for text, numbers in postings.items()}
        self._common = {
            text: np.isin(np.arange(len(self.names)), numbers)
            for text, numbers in self._postings.items()
            if len(numbers) > COMMON_WORD_NAMES
        }
        # What each name weighs in all, and its legal forms: the bound on what a query can score.
        weigh = self.weights.of
        self._name_weight = np.array([sum(map(weigh, name.form.tokens)) for name in self.names])
        self._legal_weight = np.array(
            [LEGAL_WEIGHT * sum(token.kind == LEGAL for token in name.form.tokens) for name in self.names]
        )
        self._reached = np.zeros(len(self.names))  # scratch space for one query at a time
        self._hits = np.zeros(len(self.names), dtype=np.int64)
        self.words = WordFinder(self._postings)

    def __len__(self) -> int:
        return len(self.listings)

    def prepared(self, number: int) -> Prepared:
        """A listed name ready for alignment, worked out the first time a query needs it."""
        name = self.names[number]
        if name.prepared is None:
            name.prepared = prepare(name.form.tokens, self.weights)
        return name.prepared

    def _holding_both(self, first: str, second: str) -> np.ndarray:
        """The names with both words (postings are in name order)."""
        one, other = sorted((self._postings[first], self._postings[second]), key=len)
        return one[np.isin(one, other, assume_unique=True)] if len(one) else one

    def candidates(self, query: PreparedQuery, limit: int = MAX_CANDIDATES) -> list[tuple[int, float]]:
        """The names most worth scoring for `query`, each with the most it could score, highest first.

        The bound assumes every word a query shares with a name pairs up perfectly and
        every legal form agrees; scoring can stop once no remaining name can beat the best so far.
        """
        reached, hits = self._reached, self._hits  # listed weight the query's words reach; which words (bits)
        touched: list[np.ndarray] = []
        gains: list[float] = []
        bit_sets: list[int] = []
        common: list[tuple[str, float, int]] = []
        sources = [(1 << i, similar) for i, similar in enumerate(query.similar[:MAX_BITS])]
        sources += [((1 << i) | (1 << (i + 1)), similar) for i, similar in query.joined_similar if i + 1 < MAX_BITS]
        for bits, similar in sources:
            # A word the lists spell exactly that way leads only to itself and close variants;
            # a word they never use may be a worse typo and is followed further.
            floor = RETRIEVAL_FLOOR_FOR_KNOWN_WORDS if 1.0 in similar.values() else 0.0
            for listed, similarity in _closest(similar):
                postings = self._postings.get(listed)
                if postings is None or similarity < floor:
                    continue
                weight = self.weights.of_word(listed) * similarity
                if listed in self._common:
                    common.append((listed, weight, bits))
                    continue
                touched.append(postings)
                gains.append(weight)
                bit_sets.append(bits)
        for i, parts in query.split:  # a written word the lists spell as two ("shenzhong", "Shen Zhong")
            for first, second in parts:  # leads to the names that have both
                if i < MAX_BITS:
                    touched.append(self._holding_both(first, second))
                    gains.append(self.weights.of_word(first) + self.weights.of_word(second))
                    bit_sets.append(1 << i)
        if touched:
            sizes = [len(postings) for postings in touched]
            every = np.concatenate(touched)
            np.add.at(reached, every, np.repeat(gains, sizes))
            np.bitwise_or.at(hits, every, np.repeat(np.array(bit_sets, dtype=np.int64), sizes))
            names = np.unique(every)
        elif common:  # only common words ("Bank of China"): the names holding all of them
            names = np.flatnonzero(np.logical_and.reduce([self._common[listed] for listed, _, _ in common]))
        else:
            return []
        for listed, weight, bits in common:  # common words count too, in the names something rarer led to
            holding = names[self._common[listed][names]]
            reached[holding] += weight
            hits[holding] |= bits
        gained, masks = reached[names], hits[names]
        reached[names] = 0.0
        hits[names] = 0
        written = query.name
        positions = np.arange(min(len(written.tokens), MAX_BITS))
        # The least each written word costs when missing (an optional one may be excused).
        weights = np.array([0.0 if written.tokens[i].kind == LEGAL else written.costs[i] for i in positions])
        if query.cut is not None and query.cut < MAX_BITS:
            weights[query.cut] = 0.0  # a cut word may be the start of any listed word
        missed = (((masks[:, None] >> positions) & 1) == 0) @ weights  # written words that reached nothing here
        total = self._name_weight[names]
        gained = np.minimum(gained + self._legal_weight[names], total)
        # Listed words past a cut need not be written at all.
        unwritten = 0.0 if query.cut is not None else UNMATCHED_LISTED_FACTOR
        denominator = 2 * gained + missed + unwritten * (total - gained)
        bounds = np.divide(2 * gained, denominator, out=np.zeros_like(gained), where=denominator > 0)
        order = np.argsort(-bounds, kind="stable")[:limit]
        return list(zip(names[order].tolist(), bounds[order].tolist()))


def _closest(similar: dict[str, float]) -> list[tuple[str, float]]:
    """The listed words a written word most likely is: a word with fifty near neighbours
    ("ali": "al", "alia", "alim", ...) leads the search only to the closest few. Similar words
    come best first, ties in alphabetical order (fuzzy.WordFinder.similar), never in a set's order."""
    return list(islice(similar.items(), WORDS_FOLLOWED))


def _listed(row: dict[str, Any]) -> Listed:
    return Listed(
        listing_id=row["id"],
        name=row["name"],
        source=row.get("source") or "",
        list_code=row.get("list_code") or "",
        countries=tuple(as_list(row.get("countries"))),
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
