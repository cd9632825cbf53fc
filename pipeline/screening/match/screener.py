"""Screening one counterparty against the index: the best listings, scored and explained."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.screening.match import name_field
from pipeline.screening.match.explain import explain
from pipeline.screening.match.index import NameIndex
from pipeline.screening.match.normalise import analyse
from pipeline.screening.match.score import Alignment, align, prepare_query
from pipeline.screening.match.settings import DEFAULT_LIMIT, DEFAULT_MIN_SCORE, DEFAULT_THRESHOLD
from spiders.kit import countries

# Country is evidence, never a veto: a full name match in another country still passes.
COUNTRY_AGREES_BONUS = 0.05
COUNTRY_DIFFERS_PENALTY = 0.07


@dataclass(frozen=True)
class Query:
    name: str
    country: str | None = None
    id: str | None = None
    address: str | None = None


@dataclass
class Match:
    listing_id: str
    name: str
    alias: str
    source: str
    list_code: str
    country: str | None
    score: float
    match: bool
    explanation: str

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "alias": self.alias,
            "source": self.source,
            "list": self.list_code,
            "country": self.country,
            "score": self.score,
            "match": self.match,
            "explanation": self.explanation,
            "listing_id": self.listing_id,
        }


class Screener:
    """Screens names against one index; nothing is loaded per query."""

    def __init__(
        self,
        index: NameIndex,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = DEFAULT_LIMIT,
        min_score: float = DEFAULT_MIN_SCORE,
    ):
        self.index = index
        self.threshold = threshold
        self.limit = limit
        self.min_score = min_score

    def screen(self, query: Query) -> list[Match]:
        country = countries.code(query.country)
        best: dict[int, _Found] = {}  # listing -> its best scoring name
        for reading, tokens, cut in readings(query.name):
            self._screen_reading(reading, tokens, cut, country, best)
        # Equal scores are ranked by listing id: the order never depends on how candidates were found.
        ranked = sorted(best.values(), key=lambda found: (-found.score, self.index.listings[found.listing].listing_id))
        return [self._match(found) for found in ranked[: self.limit]]

    def _screen_reading(
        self, reading: str | None, tokens, cut: bool, country: str | None, best: dict[int, _Found]
    ) -> None:
        prepared = prepare_query(tokens, self.index.words.similar, self.index.weights, self.index.words.vocabulary, cut)
        bonus = COUNTRY_AGREES_BONUS if country else 0.0
        floor = self._floor(best)
        for number, bound in self.index.candidates(prepared):
            if bound + bonus < floor:
                break  # no name left can score enough to be shown
            listed_name = self.index.names[number]
            listing = self.index.listings[listed_name.listing]
            alignment = align(prepared, self.index.prepared(number))
            score, country_note = _with_country(alignment.score, country, listing.countries)
            kept = best.get(listed_name.listing)
            # One name per listing: the best scoring, and of equal ones the first reading and the first name.
            if score < self.min_score or (kept and (kept.score, -kept.number) >= (score, -number)):
                continue
            best[listed_name.listing] = _Found(
                score, listed_name.listing, number, tokens, alignment, country_note, reading
            )
            floor = self._floor(best)

    def _floor(self, best: dict[int, _Found]) -> float:
        """The score a name needs to be shown: the minimum, or the last of a full list."""
        if len(best) < self.limit:
            return self.min_score
        return max(self.min_score, sorted((found.score for found in best.values()), reverse=True)[self.limit - 1])

    def _match(self, found: _Found) -> Match:
        listed_name = self.index.names[found.number]
        listing = self.index.listings[found.listing]
        notes = [found.country_note] if found.country_note else []
        if found.reading:
            notes.append(f'name field read as "{found.reading}"')
        return Match(
            listing_id=listing.listing_id,
            name=listing.name,
            alias=listed_name.text,
            source=listing.source,
            list_code=listing.list_code,
            country=", ".join(listing.countries) or None,
            score=round(found.score, 3),
            match=found.score >= self.threshold,
            explanation=explain(found.tokens, listed_name.form.tokens, found.alignment, "; ".join(notes)),
        )


@dataclass(frozen=True)
class _Found:
    score: float
    listing: int  # position in the index's listings
    number: int  # the listed name's position in the index
    tokens: tuple  # the written words it was matched with
    alignment: Alignment
    country_note: str | None
    reading: str | None  # the part of the name field matched, when not the whole field


def readings(name: str) -> list[tuple[str | None, tuple, bool]]:
    """The name's words as written (reading None), then those of each other reading of its field
    (see name_field): (the reading, for the explanation; its words; whether its last word may be cut)."""
    found: list[tuple[str | None, tuple, bool]] = []
    for number, text in enumerate(name_field.readings(name)):
        tokens = analyse(text).tokens
        cut = number == 0 and name_field.cut_at_width(name)
        found.append((None if number == 0 else " ".join(text.split()), tokens, cut))
        kept = name_field.trimmed(tokens)
        if len(kept) < len(tokens):  # analysed again: a legal form in the middle is one at the end
            shorter = " ".join(token.word for token in kept)
            found.append((shorter, analyse(shorter).tokens, False))
    if len(found) == 1:
        return found if found[0][1] else []
    unique: dict[tuple, tuple[str | None, tuple, bool]] = {}
    for reading in found:
        if reading[1]:
            unique.setdefault(reading[1], reading)
    return list(unique.values())


def _with_country(score: float, country: str | None, listed: tuple[str, ...]) -> tuple[float, str | None]:
    if not country or not listed:
        return score, None
    if country in {code.upper() for code in listed}:
        return min(1.0, score + COUNTRY_AGREES_BONUS), f"country {country} agrees"
    return max(0.0, score - COUNTRY_DIFFERS_PENALTY), f"country {country} differs from listed {', '.join(listed)}"
