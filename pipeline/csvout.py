"""CSV that a spreadsheet opens safely: every command's CSV output goes through `csv_text`.

Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return before one) as a formula: `=HYPERLINK(...)` leaks data, `=cmd|' /C calc'!A0` runs a
program. Such text reaches our output from a firm's own file and from the names the sources
publish, so, as OWASP advises, such a cell is written with a leading apostrophe, which
spreadsheets show as text.

The rule is by type, not by look: any `str` is text and is neutralised, even "-5" from a firm's
file (text that merely looks like a number could be a formula's start); an `int` or `float` the
program computed (a row number, a score) is written as the number it is. `None` is an empty cell,
a `bool` is `true` or `false`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet should show it: text that would start a formula gets a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


PLAIN_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def safe_text(cell: str) -> str:
    """A cell of CSV someone else wrote, whose types are lost (the site's downloads): neutralised like
    text, except a plain number ("-5", "-0.25"), which a spreadsheet reads as the number it is."""
    if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]], header: bool = True) -> str:
    """A header (unless a later part of a CSV printed in parts) and rows as CSV text (RFC 4180 line ends),
    every cell passed through `safe_cell`."""
    text = io.StringIO()
    writer = csv.writer(text)
    if header:
        writer.writerow([safe_cell(column) for column in columns])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return text.getvalue()
