"""OFAC's legacy CSV files: a primary file plus addresses, aliases and remark continuations.

Seen in the real files (sdn.csv of 2021, cons_prim.csv of 2025): no header row,
`-0- ` (with a trailing space) for null, CRLF line ends, UTF-8, and a Ctrl-Z
(0x1A) byte after the last line. Columns, by position:

- primary (sdn.csv, CONS_PRIM.CSV): ent_num, name, type, programs ("A] [B"),
  title, call sign, vessel type, tonnage, GRT, vessel flag, vessel owner, remarks
- addresses (add.csv): ent_num, add_num, address, city/state/postal code, country, remarks
- aliases (alt.csv): ent_num, alt_num, alt type (aka/fka/nka), alias, remarks
- comments (sdn_comments.csv): ent_num, the rest of a remark cut at 1,000 characters
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from spiders.kit.base import SourceSpider
from spiders.kit.countries import country_code, has_no_code
from spiders.kit.errors import SourceShapeChanged, SourceTruncated
from spiders.kit.formats import unique
from spiders.ofac.entry import OfacEntry
from spiders.ofac.remarks import read_remarks

NULL = "-0-"
PRIMARY_COLUMNS = 12
ADDRESS_COLUMNS = 6
ALIAS_COLUMNS = 5
COMMENT_COLUMNS = 2
REMARKS_CUT = 1000  # OFAC cuts remarks here and puts the rest in the comments file
ENTITY_TYPES = {"individual": "Individual", "vessel": "Vessel", "aircraft": "Aircraft", None: "Entity"}
VESSEL_COLUMNS = ("call_sign", "vessel_type", "tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner")


def cell(value: str) -> str | None:
    """A cell with OFAC's null marker and padding removed."""
    value = value.strip()
    return None if not value or value == NULL else value


def rows(text: str, columns: int, spider: SourceSpider, where: str) -> Iterator[tuple[int, list[str | None]]]:
    """(line number, cells) for each row; extra columns warn, missing ones fail."""
    text = text.rstrip("\x1a\r\n")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        previous: tuple[int, list[str]] | None = None
        for row in reader:
            if not row or row == [""]:
                continue
            if previous is not None:
                yield _checked(previous, columns, spider, where, last=False)
            previous = (reader.line_num, row)
        if previous is not None:
            yield _checked(previous, columns, spider, where, last=True)
    except csv.Error as error:
        raise SourceTruncated(spider.name, f"{where} line {reader.line_num}: {error}") from None


def _checked(numbered: tuple[int, list[str]], columns: int, spider: SourceSpider, where: str, last: bool):
    line, row = numbered
    if len(row) < columns:
        error = SourceTruncated if last else SourceShapeChanged
        raise error(spider.name, f"{where} line {line} has {len(row)} fields, expected {columns}")
    if len(row) > columns:
        spider.warn(f"{where}: new upstream column(s) {columns + 1}..{len(row)} are not used")
    return line, [cell(value) for value in row[:columns]]


def read_primary(text: str, spider: SourceSpider, where: str) -> dict[str, OfacEntry]:
    entries: dict[str, OfacEntry] = {}
    for line, (ent_num, name, sdn_type, programs, title, *vessel, remarks) in rows(
        text, PRIMARY_COLUMNS, spider, where
    ):
        if not ent_num or not name:
            raise SourceShapeChanged(spider.name, f"{where} line {line} lacks an entry number or a name")
        if ent_num in entries:
            spider.warn(f"{where} line {line}: entry {ent_num} appears twice; kept the first")
            continue
        kind = sdn_type.casefold() if sdn_type else None
        if kind not in ENTITY_TYPES:
            spider.warn(f"{where} line {line}: unknown entry type {sdn_type!r} kept as printed")
        entry = OfacEntry(
            ent_num=ent_num,
            name=" ".join(name.split()),
            entity_type=ENTITY_TYPES.get(kind, sdn_type),
            programs=_programs(programs),
            title=title,
            remarks=remarks,
        )
        vessel_facts = {key: value for key, value in zip(VESSEL_COLUMNS, vessel) if value}
        if vessel_facts:
            entry.extra["vessel"] = vessel_facts
        entries[ent_num] = entry
    return entries


def add_addresses(entries: dict[str, OfacEntry], text: str, spider: SourceSpider, where: str) -> None:
    for line, (ent_num, _add_num, street, locality, country, remarks) in rows(text, ADDRESS_COLUMNS, spider, where):
        entry = _entry_for(entries, ent_num, spider, where, line)
        if entry is None:
            continue
        address = ", ".join(part for part in (street, locality, country) if part)
        if remarks:
            address = f"{address} ({remarks})" if address else remarks
        if address:
            entry.addresses.append(address)
        code = country_code(country)
        if code:
            entry.countries.append(code)
        elif country and not has_no_code(country):
            spider.warn(f"{where}: country {country!r} has no ISO code; kept in the address only")


def add_aliases(entries: dict[str, OfacEntry], text: str, spider: SourceSpider, where: str) -> None:
    for line, (ent_num, _alt_num, alt_type, alias, remarks) in rows(text, ALIAS_COLUMNS, spider, where):
        entry = _entry_for(entries, ent_num, spider, where, line)
        if entry is None or not alias:
            continue
        entry.alt_names.append(" ".join(alias.split()))
        if alt_type and alt_type.casefold() != "aka":
            entry.extra.setdefault("alias_types", {})[alias] = alt_type
        if remarks:
            entry.extra.setdefault("alias_remarks", {})[alias] = remarks


def add_comments(entries: dict[str, OfacEntry], text: str, spider: SourceSpider, where: str) -> None:
    """The comments file carries on remarks that OFAC cut at 1,000 characters."""
    for line, (ent_num, rest) in rows(text, COMMENT_COLUMNS, spider, where):
        entry = _entry_for(entries, ent_num, spider, where, line)
        if entry is not None and rest:
            entry.remarks = (entry.remarks or "") + rest


def finish(entries: dict[str, OfacEntry], spider: SourceSpider, where: str) -> list[OfacEntry]:
    """Read each entry's (now whole) remarks into fields; warn about remarks still cut short."""
    cut = 0
    for entry in entries.values():
        if entry.remarks and len(entry.remarks) == REMARKS_CUT:
            cut += 1
        facts = read_remarks(entry.remarks)
        entry.dates_of_birth = facts.dates_of_birth
        entry.places_of_birth = facts.places_of_birth
        entry.nationalities = facts.nationalities
        entry.citizenships = facts.citizenships
        entry.ids = facts.ids
        entry.weak_aliases = facts.weak_aliases
        entry.countries = unique(entry.countries + [country_code(c) for c in facts.nationalities + facts.citizenships])
        if facts.gender:
            entry.extra["gender"] = facts.gender
        if facts.linked_to:
            entry.extra["linked_to"] = facts.linked_to
    if cut:
        spider.warn(
            f"{where}: {cut} remark(s) end at OFAC's 1,000-character cut with no continuation in the comments file"
        )
    return list(entries.values())


def _programs(value: str | None) -> list[str]:
    """'UKRAINE-EO13662] [RUSSIA-EO14024' -> ['UKRAINE-EO13662', 'RUSSIA-EO14024']."""
    if not value:
        return []
    return [part.strip(" []") for part in value.split("] [") if part.strip(" []")]


def _entry_for(entries: dict[str, OfacEntry], ent_num: str | None, spider: SourceSpider, where: str, line: int):
    entry = entries.get(ent_num or "")
    if entry is None:
        spider.warn(f"{where} line {line}: entry {ent_num!r} is not in the primary file; row skipped")
    return entry
