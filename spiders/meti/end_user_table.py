"""The METI End User List table, as pdfplumber's table extraction gives it (or the rows of its XLSX copy).

One table runs over every page. Header cells carry the Japanese heading, a
newline, then the English one ("国名・地域名\\nCountry or Region"); newer revisions
add a "通常兵器\\nConventional\\nWeapons" column holding "CW". Rows are numbered
1..N without gaps; a row cut by a page break continues on the next page with an
empty No. cell. Cells wrap over lines: names may carry their Japanese form in
brackets or on a line of their own, aliases are bulleted with "・" or one per
line, and the country cell gives the Japanese name, then the English one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spiders.meti.numbered_list import HAS_JAPANESE, JAPANESE, NumberingGap

# English heading -> field; required fields must be present, others are kept when present.
COLUMNS = {
    "no.": "number",
    "no": "number",
    "country or region": "country",
    "company or organization": "name",
    "also known as": "aliases",
    "type of wmd": "wmd",
    "conventional weapons": "conventional",
    # The XLSX copy's headings are Japanese only (reported: No., 国名, 企業名, 別名, 懸念区分, 通常兵器).
    "国名": "country",
    "国名・地域名": "country",
    "企業名": "name",
    "企業名・組織名": "name",
    "別名": "aliases",
    "懸念区分": "wmd",
    "通常兵器": "conventional",
}
REQUIRED = ("number", "country", "name", "wmd")
JAPANESE_IN_BRACKETS = re.compile(f"[（(]([^（）()]*[{JAPANESE}][^（）()]*)[）)]")
WMD_CODES = {"B": "biological", "C": "chemical", "M": "missile", "N": "nuclear", "CW": "conventional weapons"}


class TableShapeChanged(ValueError):
    """The table's header lacks a column the parser needs."""


@dataclass
class EndUserRow:
    number: int
    name: str
    name_ja: str | None
    aliases: list[str]
    country: str  # English, as printed
    country_ja: str | None
    wmd: list[str]  # codes such as "M", "N"; "CW" when the conventional-weapons column is marked
    extra: dict[str, str] = field(default_factory=dict)  # cells of columns this parser does not know


@dataclass
class EndUserTable:
    rows: list[EndUserRow]
    unknown_columns: list[str]


def looks_like_end_user_table(rows: list[list[str | None]]) -> bool:
    return any("name" in _header_keys(row).values() for row in rows[:3])


def parse_end_user_table(rows: list[list[str | None]]) -> EndUserTable:
    header_at = next((i for i, row in enumerate(rows) if "number" in _header_keys(row).values()), None)
    if header_at is None:
        raise TableShapeChanged("no header row with a 'No.' column")
    header = [_heading(cell) for cell in rows[header_at]]
    fields = [COLUMNS.get(name) for name in header]
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise TableShapeChanged(f"header lacks {', '.join(missing)} (it has {header})")
    unknown = [name for name, known in zip(header, fields) if known is None and name]
    records = _merge_continuations(rows[header_at + 1 :], fields, header)
    return EndUserTable(rows=[_parse_row(record) for record in records], unknown_columns=unknown)


# -- rows -----------------------------------------------------------------------------


def _merge_continuations(rows, fields, header) -> list[dict[str, str]]:
    """One dict per numbered row; an empty No. cell continues the row before it."""
    records: list[dict[str, str]] = []
    for row in rows:
        cells = [(cell or "").strip() for cell in row] + [""] * (len(header) - len(row))
        if not any(cells) or [_heading(cell) for cell in cells] == header:
            continue  # blank line, or the header repeated on a new page
        record = {(field or f"column:{name}"): cell for field, name, cell in zip(fields, header, cells)}
        if not record["number"]:
            if not records:
                raise NumberingGap("the table starts with a row that has no No.")
            for key, value in record.items():
                if value:
                    records[-1][key] = f"{records[-1][key]}\n{value}".strip()
            continue
        number = _parse_number(record["number"])
        expected = len(records) + 1
        if number != expected:
            raise NumberingGap(f"row No. {number} follows No. {expected - 1}")
        records.append(record)
    return records


def _parse_row(record: dict[str, str]) -> EndUserRow:
    name, name_ja = _parse_name(record.pop("name"))
    country, country_ja = _parse_country(record.pop("country"))
    wmd = _parse_wmd(record.pop("wmd"))
    if record.pop("conventional", ""):
        wmd.append("CW")
    return EndUserRow(
        number=_parse_number(record.pop("number")),
        name=name,
        name_ja=name_ja,
        aliases=_parse_aliases(record.pop("aliases", "")),
        country=country,
        country_ja=country_ja,
        wmd=wmd,
        extra={key.removeprefix("column:"): value for key, value in record.items() if value},
    )


def _parse_number(cell: str) -> int:
    digits = cell.strip().rstrip(".")
    if not digits.isdigit():
        raise NumberingGap(f"No. cell {cell!r} is not a number")
    return int(digits)


def _parse_name(cell: str) -> tuple[str, str | None]:
    """English name (lines joined) and the Japanese form, from brackets or a line of its own."""
    japanese = [match.strip() for match in JAPANESE_IN_BRACKETS.findall(cell)]
    cell = JAPANESE_IN_BRACKETS.sub("", cell)
    latin = []
    for line in (line.strip() for line in cell.splitlines()):
        if not line:
            continue
        (japanese if HAS_JAPANESE.search(line) else latin).append(line)
    return _join_lines(latin), ("".join(japanese) or None)


def _parse_country(cell: str) -> tuple[str, str | None]:
    latin = " ".join(re.sub(r"[^A-Za-z '\-().,]", " ", cell).split()).strip(" ,")
    japanese = "".join(HAS_JAPANESE.findall(cell)) or None
    return latin, japanese


def _parse_aliases(cell: str) -> list[str]:
    if not cell.strip():
        return []
    if "・" in cell:
        parts = [" ".join(part.split()) for part in cell.split("・")]
    else:
        parts = [" ".join(line.split()) for line in cell.splitlines()]
    return [part.strip(" ,;") for part in parts if part.strip(" ,;")]


def _parse_wmd(cell: str) -> list[str]:
    return [code.strip().upper() for code in re.split(r"[,、，\s]+", cell) if code.strip()]


# -- header -----------------------------------------------------------------------------


def _heading(cell: str | None) -> str:
    """The English part of a heading cell ('国名・地域名\\nCountry or Region' -> 'country or region'); a heading
    with no English (the XLSX's '国名') is itself, without spaces."""
    lines = [line.strip() for line in (cell or "").splitlines() if re.search(r"[A-Za-z]", line)]
    if not lines:
        return "".join((cell or "").split())
    return " ".join(" ".join(lines).casefold().split())


def _header_keys(row) -> dict[str, str | None]:
    return {_heading(cell): COLUMNS.get(_heading(cell)) for cell in row or []}


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text += line if (not text or text.endswith("-")) else f" {line}"
    return " ".join(text.split())
