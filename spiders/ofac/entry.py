"""One OFAC entry as either export format gives it, before it becomes listings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

DAY_MONTH_YEAR = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}$")
MONTH_YEAR = re.compile(r"^[A-Z][a-z]{2} \d{4}$")


@dataclass
class OfacEntry:
    ent_num: str  # OFAC's entry number: legacy `ent_num`, enhanced `entity@id`
    name: str
    entity_type: str  # Individual, Entity, Vessel, Aircraft
    programs: list[str] = field(default_factory=list)
    # List name as OFAC prints it ("SDN List", "Sectoral Sanctions Identifications List")
    # -> date the entry was published on it. None when the format does not say (legacy CSV).
    lists: dict[str, str | None] | None = None
    alt_names: list[str] = field(default_factory=list)
    weak_aliases: list[str] = field(
        default_factory=list
    )  # OFAC's "low quality" a.k.a.s: too short or common to screen on
    addresses: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    title: str | None = None
    remarks: str | None = None
    dates_of_birth: list[str] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def ofac_date(value: str) -> str:
    """OFAC prints dates as '12 Feb 1961', 'Feb 1961' or '1961': ISO where exact, else as printed ('circa 1955')."""
    value = " ".join(value.split()).rstrip(".")
    try:
        if DAY_MONTH_YEAR.match(value):
            return datetime.strptime(value, "%d %b %Y").date().isoformat()
        if MONTH_YEAR.match(value):
            return datetime.strptime(value, "%b %Y").strftime("%Y-%m")
    except ValueError:
        pass
    return value


def address_line(
    street: list[str], city: str | None, state: str | None, postal: str | None, region: str | None, country: str | None
) -> str:
    """An address written the way OFAC's legacy add.csv writes it: 'street, City, State 12345, Country'.

    Both formats produce the same string for the same address, so switching
    formats does not look like a change of address.
    """
    locality = ", ".join(part for part in (city, state) if part)
    if postal:
        locality = f"{locality} {postal}".strip()
    parts = [", ".join(s for s in street if s), locality, region, country]
    return ", ".join(part for part in parts if part)
