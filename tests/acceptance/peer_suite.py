"""OpenSanctions yente's screening fixtures, and the UN list they were measured against.

Read straight from ../shared/corpus (the fixtures are MIT-licensed but stay there);
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

from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
UN_XML = CORPUS / "un" / "UN_consolidated_2026-02-27.xml"
YENTE = CORPUS / "peer_suites" / "yente"


def _text(element, tag: str) -> str:
    found = element.find(tag)
    return " ".join((found.text or "").split()) if found is not None and found.text else ""


def un_listings(path: Path = UN_XML) -> list[dict]:
    root = ElementTree.parse(path).getroot()
    listings = []
    for kind, group, alias_tag in (("Individual", "INDIVIDUALS", "INDIVIDUAL_ALIAS"), ("Entity", "ENTITIES", "ENTITY_ALIAS")):
        for element in root.find(group):
            parts = [_text(element, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            name = " ".join(part for part in parts if part)
            aliases = [_text(alias, "ALIAS_NAME") for alias in element.findall(alias_tag)]
            original = _text(element, "NAME_ORIGINAL_SCRIPT")
            nationalities = [_text(value, ".") for value in element.findall("NATIONALITY/VALUE")]
            listings.append({
                "id": f"un:{_text(element, 'REFERENCE_NUMBER')}:{_text(element, 'DATAID')}",
                "source": "un", "list_code": _text(element, "UN_LIST_TYPE") or "UN", "name": name,
                "alt_names": [alias for alias in aliases + [original] if alias],
                "countries": [code for code in (_country(n) for n in nationalities) if code],
                "entity_type": kind,
            })
    return listings


def _country(name: str) -> str | None:
    from pipeline.screening import countries

    return countries.code(name)


@dataclass(frozen=True)
class Person:
    full_name: str
    nationality: str | None


def persons(file_name: str) -> list[Person]:
    with open(YENTE / file_name, newline="", encoding="utf-8") as handle:
        return [Person(row["full_name"], row["nationality"] or None) for row in csv.DictReader(handle)]
