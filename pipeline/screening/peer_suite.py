"""OpenSanctions yente's screening fixtures, and the UN list they were measured against.

Read straight from ../shared/corpus beside the checkout (the fixtures are MIT-licensed but
stay there), by the acceptance suite and bench/screen.py;
the UN XML is turned into listing rows the screener can index, the way a UN spider's
items would be stored: one listing per individual or entity, its names from
FIRST_NAME..FOURTH_NAME, aliases from INDIVIDUAL_ALIAS / ENTITY_ALIAS and the name in
original script.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
UN_XML = CORPUS / "un" / "UN_consolidated_2026-02-27.xml"
YENTE = CORPUS / "peer_suites" / "yente"


def _text(element, tag: str) -> str:
    found = element.find(tag)
    return " ".join((found.text or "").split()) if found is not None and found.text else ""


def un_listings(path: Path = UN_XML) -> list[dict]:
    root = ElementTree.parse(path).getroot()
    listings = []
    for kind, group, alias_tag in (
        ("Individual", "INDIVIDUALS", "INDIVIDUAL_ALIAS"),
        ("Entity", "ENTITIES", "ENTITY_ALIAS"),
    ):
        for element in root.find(group):
            parts = [_text(element, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            name = " ".join(part for part in parts if part)
            aliases = [_text(alias, "ALIAS_NAME") for alias in element.findall(alias_tag)]
            original = _text(element, "NAME_ORIGINAL_SCRIPT")
            nationalities = [_text(value, ".") for value in element.findall("NATIONALITY/VALUE")]
            listings.append(
                {
                    "id": f"un:{_text(element, 'REFERENCE_NUMBER')}:{_text(element, 'DATAID')}",
                    "source": "un",
                    "list_code": _text(element, "UN_LIST_TYPE") or "UN",
                    "name": name,
                    "alt_names": [alias for alias in aliases + [original] if alias],
                    "countries": [code for code in (_country(n) for n in nationalities) if code],
                    "entity_type": kind,
                }
            )
    return listings


def _country(name: str) -> str | None:
    from spiders.kit import countries

    return countries.code(name)


@dataclass(frozen=True)
class Person:
    full_name: str
    nationality: str | None


def persons(file_name: str) -> list[Person]:
    with open(YENTE / file_name, newline="", encoding="utf-8") as handle:
        return [Person(row["full_name"], row["nationality"] or None) for row in csv.DictReader(handle)]


@dataclass
class PeerOutcome:
    listings: int
    exact: int  # treated rows whose untreated name is on the list exactly (680 of 683)
    found: int  # of those, treated names whose listing is among the matches
    negatives: int
    false_positives: int
    missed: list[str]
    false_alarms: list[str]

    @property
    def recall(self) -> float:
        return self.found / self.exact if self.exact else 0.0


def measure(use_country: bool = False) -> PeerOutcome:
    """Screen the treated positives and the 2,000 negatives against the UN list, names only by default.

    As in the suite's README: a treated name counts as found when the listing whose name or
    alias is exactly its untreated name is among its matches; a negative counts as a false
    positive when anything matches.
    """
    from pipeline.screening.evaluation import key
    from pipeline.screening.match.index import NameIndex
    from pipeline.screening.match.screener import Query, Screener

    rows = un_listings()
    screener = Screener(NameIndex(rows), limit=5)
    listed: dict[str, set[str]] = {}
    for row in rows:
        for name in [row["name"], *row["alt_names"]]:
            listed.setdefault(key(name), set()).add(row["id"])

    def query(person: Person) -> Query:
        return Query(person.full_name, person.nationality if use_country else None)

    exact = found = 0
    missed = []
    for treated, untreated in zip(persons("positives_un_treated.csv"), persons("positives_un_untreated.csv")):
        ids = listed.get(key(untreated.full_name))
        if not ids:
            continue
        exact += 1
        if any(match.match and match.listing_id in ids for match in screener.screen(query(treated))):
            found += 1
        else:
            missed.append(f"{treated.full_name} (listed as {untreated.full_name})")
    negatives = persons("negatives_global.csv") + persons("negatives_us.csv")
    false_alarms = []
    for person in negatives:
        matched = [match for match in screener.screen(query(person)) if match.match]
        if matched:
            false_alarms.append(f"{person.full_name} -> {matched[0].alias} ({matched[0].score})")
    return PeerOutcome(len(rows), exact, found, len(negatives), len(false_alarms), missed, false_alarms)
