"""Spreadsheets (.xlsx and the older .xls), read with python-calamine: one maintained reader for both.

Sources switch between CSV and spreadsheets without notice (the BIS Denied Persons
List's "Export as CSV" link has served all three; METI publishes an .xlsx beside
its PDF), so a file is told by its first bytes, never by its name.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time

from python_calamine import CalamineError, CalamineWorkbook

from spiders.kit.errors import SourceShapeChanged

XLSX = b"PK\x03\x04"  # a zip (Office Open XML)
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file (BIFF8)
MAGIC = (XLSX, XLS)


def is_sheet(body: bytes) -> bool:
    return body.startswith(MAGIC)


def kind(body: bytes) -> str:
    return "xlsx" if body.startswith(XLSX) else "xls"


def sheet_names(body: bytes, source: str, where: str) -> list[str]:
    return _workbook(body, source, where).sheet_names


def read_rows(body: bytes, source: str, where: str, sheet: str | None = None) -> list[list[str]]:
    """The rows of one sheet (by name; the first when None) as text cells, trailing blank rows dropped.

    Dates become ISO dates ("2025-10-03"), whole numbers lose their ".0", blanks are "".
    """
    workbook = _workbook(body, source, where)
    name = sheet or workbook.sheet_names[0]
    if name not in workbook.sheet_names:
        raise SourceShapeChanged(source, f"{where} has no sheet {name!r} (it has {', '.join(workbook.sheet_names)})")
    try:
        values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except CalamineError as error:
        raise SourceShapeChanged(source, f"{where} sheet {name!r} cannot be read: {error}") from None
    rows = [[cell_text(value) for value in row] for row in values]
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _workbook(body: bytes, source: str, where: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(body))
    except (CalamineError, ValueError, OSError) as error:
        raise SourceShapeChanged(source, f"{where} is not a readable {kind(body)} workbook: {error}") from None
