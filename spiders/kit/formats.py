"""Small parsing helpers shared by spiders: CSV and JSON reading, multi-valued cells, dates, hashed ids."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

from spiders.kit.errors import SourceShapeChanged, SourceTruncated

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def split_multi(cell: str | None, separator: str = "; ") -> list[str]:
    """Split a multi-valued cell, dropping empty parts and keeping order."""
    if not cell:
        return []
    return [part.strip() for part in cell.split(separator) if part.strip()]


def clean(value: str | None) -> str | None:
    """Strip a cell; empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def squash(value: str | None) -> str | None:
    """Collapse runs of whitespace (titles carry trailing blanks and line breaks); empty becomes None."""
    if value is None:
        return None
    return " ".join(value.split()) or None


def unique(values) -> list:
    """Values in first-seen order without repeats (empty ones dropped)."""
    return list(dict.fromkeys(v for v in values if v))


def hashed_id(*parts: str) -> str:
    """A stable id for a source that gives none: 'h' + a hash of the parts, case and spacing ignored.

    Punctuation counts: BIS lists spelling variants of one party as rows of their own
    ("AL NASER AIRLINES", "AL-NASER AIRLINES").
    """
    basis = "|".join(" ".join(part.casefold().split()) for part in parts)
    return "h" + hashlib.sha1(basis.encode()).hexdigest()[:16]


def decode_json(text: str, source: str, where: str):
    """The text as JSON; text that does not parse fails the crawl by name (cut short, when it stops mid-value)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated"):
            raise SourceTruncated(source, f"{where} ends in the middle of its JSON: {error}") from None
        raise SourceShapeChanged(source, f"{where} is not valid JSON: {error}") from None


def country_from_address(address: str) -> str | None:
    """The CSL writes addresses as '..., City, CN': the last part is an ISO code."""
    last = address.rsplit(",", 1)[-1].strip()
    return last if COUNTRY_CODE.match(last) else None


def plausible_iso_date(value: str | None) -> bool:
    """True for an ISO date in a believable range (sources print years like 0017 or 3033)."""
    if not value or not ISO_DATE.match(value):
        return False
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return False
    return 1900 <= parsed.year <= 2100


def us_date_to_iso(value: str | None) -> str | None:
    """'06/19/2003' -> '2003-06-19'; anything else is returned unchanged for a human to read."""
    value = clean(value)
    if not value:
        return None
    try:
        return datetime.strptime(value, "%m/%d/%Y").date().isoformat()
    except ValueError:
        return value


DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")
DAY_SLASH_MONTH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}


def iso_date(value) -> str | None:
    """A YYYY-MM-DD date from the forms European and U.S. sources print, or None.

    Takes ISO dates and datetimes ("2024-07-04", "2024-07-04T10:00:00Z"),
    "4 July 2024", "04/07/2024" (day first, as EU sites write it), RSS dates
    ("Thu, 04 Jul 2024 00:00:00 GMT") and epoch milliseconds (JSON APIs).
    """
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc).date().isoformat()
    text = " ".join(str(value).split())
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    match = DAY_MONTH_YEAR.match(text)
    if match and match.group(2).casefold() in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2).casefold()], int(match.group(3))
        return _checked(year, month, day)
    match = DAY_SLASH_MONTH.match(text)
    if match:
        return _checked(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _checked(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def read_csv(
    text: str, source: str, where: str, required: set[str], delimiter: str = ","
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Check a delimited file's header, then yield (line number, row) pairs.

    A ragged row or an unterminated quote means the file was cut short or
    changed shape: the crawl fails rather than storing half a list.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise SourceTruncated(source, f"{where} has no header row") from None
    missing = required - set(header)
    if missing:
        raise SourceShapeChanged(source, f"{where} header lacks column(s): {', '.join(sorted(missing))}")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for row in reader:
                if not row or row == [""]:
                    continue
                if len(row) != len(header):
                    raise SourceTruncated(
                        source, f"{where} line {reader.line_num} has {len(row)} fields, header has {len(header)}"
                    )
                yield reader.line_num, dict(zip(header, row))
        except csv.Error as error:
            raise SourceTruncated(source, f"{where} line {reader.line_num}: {error}") from None

    return header, rows()
