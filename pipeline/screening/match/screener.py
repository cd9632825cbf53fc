"""Screening one counterparty against the index: the best listings, scored and explained."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.screening.match.explain import explain
from pipeline.screening.match.index import NameIndex
from pipeline.screening.match.normalise import analyse
from pipeline.screening.match.score import align, prepare_query
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
        return {"name": self.name, "alias": self.alias, "source": self.source, "list": self.list_code,
                "country": self.country, "score": self.score, "match": self.match,
                "explanation": self.explanation, "listing_id": self.listing_id}


class Screener:
    """Screens names against one index; nothing is loaded per query."""

    def __init__(self, index: NameIndex, threshold: float = DEFAULT_THRESHOLD,
                 limit: int = DEFAULT_LIMIT, min_score: float = DEFAULT_MIN_SCORE):
        self.index = index
        self.threshold = threshold
        self.limit = limit
        self.min_score = min_score

    def screen(self, query: Query) -> list[Match]:
        form = analyse(query.name)
        if not form.tokens:
            return []
        country = countries.code(query.country)
        best: dict[int, tuple] = {}  # listing -> (score, listed name, alignment, country note)
        prepared = prepare_query(form.tokens, self.index.words.similar, self.index.weights)
        floor = self.min_score
        bonus = COUNTRY_AGREES_BONUS if country else 0.0
        for number, bound in self.index.candidates(prepared):
            if bound + bonus < floor:
                break  # no name left can score enough to be shown
            listed_name = self.index.names[number]
            listing = self.index.listings[listed_name.listing]
            alignment = align(prepared, self.index.prepared(number))
            score, country_note = _with_country(alignment.score, country, listing.countries)
            if score < self.min_score or (listed_name.listing in best and best[listed_name.listing][0] >= score):
                continue
            best[listed_name.listing] = (score, listed_name, alignment, country_note)
            if len(best) >= self.limit:
                floor = max(self.min_score, sorted((item[0] for item in best.values()), reverse=True)[self.limit - 1])
        ranked = sorted(best.values(), key=lambda item: (-item[0], self.index.listings[item[1].listing].listing_id))
        return [self._match(form, *item) for item in ranked[:self.limit]]

    def _match(self, form, score, listed_name, alignment, country_note) -> Match:
        listing = self.index.listings[listed_name.listing]
        return Match(listing_id=listing.listing_id, name=listing.name, alias=listed_name.text,
                     source=listing.source, list_code=listing.list_code,
                     country=", ".join(listing.countries) or None, score=round(score, 3),
                     match=score >= self.threshold,
                     explanation=explain(form.tokens, listed_name.form.tokens, alignment, country_note))


def _with_country(score: float, country: str | None, listed: tuple[str, ...]) -> tuple[float, str | None]:
    if not country or not listed:
        return score, None
    if country in {code.upper() for code in listed}:
        return min(1.0, score + COUNTRY_AGREES_BONUS), f"country {country} agrees"
    return max(0.0, score - COUNTRY_DIFFERS_PENALTY), f"country {country} differs from listed {', '.join(listed)}"
