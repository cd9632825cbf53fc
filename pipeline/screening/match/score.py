"""How well one written name agrees with one listed name, and why.

Words are paired one to one (a written word with the listed word it is, a typo of,
sounds like, or two listed words it runs together), best pairs first. The score is
the share of both names' weight that the pairs cover, where a word's weight is how
rare it is among listed names: "Huawei" carries far more than "Technology", a legal
form ("Co., Ltd.", "OOO", "PJSC") counts as one small, language-free class.
A listed word the written name leaves out costs half as much as a written word the
listed name lacks: vendor masters drop patronymics and suffixes, but a word the
listing does not have is evidence of a different party.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pipeline.screening.match.normalise import LEGAL, NUMBER, Token

LEGAL_WEIGHT = 1.0
SAME_LEGAL_CLASS, OTHER_LEGAL_CLASS = 1.0, 0.7
UNMATCHED_LISTED_FACTOR = 0.5
NUMBER_MISMATCH_FACTOR = 0.75  # "703rd Research Institute" is not the 704th
# Each name has a word the other lacks ("China Construction Bank" / "China Communications
# Construction"): more likely two parties than one written two ways.
CONFLICT_FACTOR = 0.9


@dataclass(frozen=True)
class Pair:
    written: tuple[int, ...]  # token positions in the written name
    listed: tuple[int, ...]  # token positions in the listed name
    similarity: float


@dataclass
class Alignment:
    score: float
    pairs: list[Pair] = field(default_factory=list)
    written_only: list[int] = field(default_factory=list)
    listed_only: list[int] = field(default_factory=list)
    numbers_differ: bool = False


class Weights:
    """A word's weight: its inverse document frequency among every listed name."""

    def __init__(self, document_frequency: dict[str, int], names: int):
        self.frequency = document_frequency
        self.names = max(names, 1)
        self.unknown = self.of_frequency(1)
        self._cache: dict[str, float] = {}

    def of_frequency(self, frequency: int) -> float:
        return math.log(1 + self.names / frequency)

    def of(self, token: Token) -> float:
        return LEGAL_WEIGHT if token.kind == LEGAL else self.of_word(token.text)

    def of_word(self, text: str) -> float:
        weight = self._cache.get(text)
        if weight is None:
            frequency = self.frequency.get(text)
            weight = self._cache[text] = self.of_frequency(frequency) if frequency else self.unknown
        return weight


@dataclass(frozen=True, slots=True)
class Prepared:
    """A name's tokens with what alignment needs, worked out once (listed names: when the index is built)."""

    tokens: tuple[Token, ...]
    weights: tuple[float, ...]
    legal: tuple[int, ...]  # positions of legal-form tokens
    at: dict[str, tuple[int, ...]]  # word -> positions, legal forms left out
    joined: tuple[tuple[int, str], ...]  # (j, word j + word j+1) for neighbouring words


def prepare(tokens: tuple[Token, ...], weights: Weights) -> Prepared:
    at: dict[str, list[int]] = {}
    for position, token in enumerate(tokens):
        if token.kind != LEGAL:
            at.setdefault(token.text, []).append(position)
    joined = tuple((j, tokens[j].text + tokens[j + 1].text) for j in range(len(tokens) - 1)
                   if tokens[j].kind != LEGAL and tokens[j + 1].kind != LEGAL)
    return Prepared(tokens, tuple(map(weights.of, tokens)), tuple(i for i, t in enumerate(tokens) if t.kind == LEGAL),
                    {text: tuple(positions) for text, positions in at.items()}, joined)


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    name: Prepared
    similar: tuple[dict[str, float], ...]  # per written word: {listed word: similarity}
    joined_similar: tuple[tuple[int, dict[str, float]], ...]  # the same for two neighbouring words run together


def prepare_query(tokens: tuple[Token, ...], similar, weights: Weights) -> PreparedQuery:
    """`similar(text)` gives {listed word: similarity} for a written word (see fuzzy.WordFinder)."""
    name = prepare(tokens, weights)
    return PreparedQuery(
        name, tuple({} if token.kind == LEGAL else similar(token.text) for token in tokens),
        tuple((i, similar(text)) for i, text in name.joined))


def align(query: PreparedQuery, listed: Prepared) -> Alignment:
    """Pair the words of a written and a listed name, best pairs first, and score the pairing."""
    written = query.name
    listed_weight = listed.weights
    # (gain, similarity, written positions, listed positions); a written word paired with a listed
    # one weighs what the listed word weighs (a typo is no rarer than the word it misspells).
    candidates = []
    for i, found in enumerate(query.similar):
        for text, similarity in found.items():
            for j in listed.at.get(text, ()):
                candidates.append((similarity * listed_weight[j], similarity, (i,), (j,)))
    for i in written.legal:
        for j in listed.legal:
            similarity = SAME_LEGAL_CLASS if written.tokens[i].text == listed.tokens[j].text else OTHER_LEGAL_CLASS
            candidates.append((similarity * LEGAL_WEIGHT, similarity, (i,), (j,)))
    for j, joined in listed.joined:  # "Hikvision" written, "Hik Vision" listed
        for i in written.at.get(joined, ()):
            candidates.append((listed_weight[j] + listed_weight[j + 1], 1.0, (i,), (j, j + 1)))
    for i, found in query.joined_similar:  # "Hik Vision" written, "Hikvision" listed
        for text, similarity in found.items():
            for j in listed.at.get(text, ()):
                candidates.append((similarity * listed_weight[j], similarity, (i, i + 1), (j,)))
    candidates.sort(key=lambda candidate: candidate[0], reverse=True)

    used_written: set[int] = set()
    used_listed: set[int] = set()
    pairs: list[Pair] = []
    covered = total = 0.0
    for _, similarity, left, right in candidates:
        if used_written.isdisjoint(left) and used_listed.isdisjoint(right):
            pairs.append(Pair(left, right, similarity))
            used_written.update(left)
            used_listed.update(right)
            weight = sum(listed_weight[j] for j in right)
            covered += 2 * weight * similarity
            total += 2 * weight
    written_only = [i for i in range(len(written.tokens)) if i not in used_written]
    listed_only = [j for j in range(len(listed.tokens)) if j not in used_listed]
    total += sum(written.weights[i] for i in written_only)
    total += UNMATCHED_LISTED_FACTOR * sum(listed_weight[j] for j in listed_only)
    score = covered / total if total else 0.0
    numbers_differ = any(written.tokens[i].kind == NUMBER for i in written_only) and any(
        listed.tokens[j].kind == NUMBER for j in listed_only)
    if numbers_differ:
        score *= NUMBER_MISMATCH_FACTOR
    if any(written.tokens[i].kind != LEGAL for i in written_only) and any(
            listed.tokens[j].kind != LEGAL for j in listed_only):
        score *= CONFLICT_FACTOR
    return Alignment(score, pairs, written_only, listed_only, numbers_differ)
