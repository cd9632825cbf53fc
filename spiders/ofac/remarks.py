"""What the legacy CSV hides in its Remarks column, and which OFAC types are identifiers.

The legacy files have no columns for dates of birth, nationalities or
identity documents: OFAC prints them into Remarks as "; "-separated items,
e.g. "DOB 12 Feb 1961; POB Port-au-Prince, Haiti; nationality Haiti; Gender
Male; National ID No. 0032768386 (Haiti); a.k.a. 'Sweet Micky'." An item that
repeats a kind starts with "alt. ". Whatever we do not recognise stays in the
remarks text, which is always kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spiders.ofac.entry import ofac_date

# Identifier types by name. OFAC has over a hundred document types ("Cedula No.",
# "R.F.C.", "Unified Social Credit Code (USCC)", ...): recognise them by the words they are built from.
IDENTIFIER_TYPE = re.compile(
    r"(\bNo\b|Number|#|\bID\b|Identification|Identidad|Passport|Licen[cs]e|\bCode\b|\bCard\b|Certificate"
    r"|Registration|Registry|Cedula|Credencial|Cartilla|(?:\b[A-Z]\.){2,}"
    r"|\b(?:RFC|NIT|RUC|RIF|SSN|CNP|RSIN|RTN|NUIT|USCC|FEIN)\b"
    r"|^SWIFT/BIC$|^ISIN$|^BIK \(RU\)$|^MMSI$|^Digital Currency Address - )"
)
NOT_IDENTIFIER_TYPE = re.compile(r"^(Phone|Telephone|Fax|Email|Website)|:", re.IGNORECASE)
# "<type> <value>": the value is the first token that holds a digit (ids are numbers or codes).
TYPE_AND_VALUE = re.compile(r"^(?P<type>.+?(?: \([^)]*\))?) (?P<value>\S*\d.*)$")
WEAK_ALIAS = re.compile(r"^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.) '(?P<name>.+)'$")
SIMPLE_KINDS = {
    "DOB": "dates_of_birth",
    "POB": "places_of_birth",
    "nationality": "nationalities",
    "citizen": "citizenships",
}


def is_identifier_type(type_name: str) -> bool:
    """'Tax ID No.', 'Passport', 'SWIFT/BIC' are identifiers; 'Phone Number', 'Target Type' are not."""
    return bool(IDENTIFIER_TYPE.search(type_name)) and not NOT_IDENTIFIER_TYPE.search(type_name)


@dataclass
class RemarkFacts:
    dates_of_birth: list[str] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    gender: str | None = None


def read_remarks(remarks: str | None) -> RemarkFacts:
    """The facts a legacy Remarks cell states, item by item."""
    facts = RemarkFacts()
    for item in _items(remarks):
        item = item.removeprefix("alt. ")
        kind, _, value = item.partition(" ")
        if kind in SIMPLE_KINDS and value:
            getattr(facts, SIMPLE_KINDS[kind]).append(ofac_date(value) if kind == "DOB" else value)
        elif kind == "Gender" and value:
            facts.gender = value
        elif item.startswith("Linked To: "):
            facts.linked_to.append(item.removeprefix("Linked To: "))
        elif match := WEAK_ALIAS.match(item):
            facts.weak_aliases.append(match["name"])
        elif (match := TYPE_AND_VALUE.match(item)) and is_identifier_type(match["type"]):
            facts.ids.append(item)
    return facts


def _items(remarks: str | None) -> list[str]:
    if not remarks:
        return []
    text = remarks.strip()
    text = text[:-1] if text.endswith(".") and not text.endswith("..") else text
    return [item.strip() for item in text.split("; ") if item.strip()]
