"""Spreadsheets the tests build in the sources' real layouts (openpyxl for .xlsx, xlwt for .xls)."""

from __future__ import annotations

from pathlib import Path


def xlsx_file(path: Path, sheet: str, rows: list[list]) -> Path:
    """An .xlsx workbook of one sheet holding `rows` (the first is usually the header)."""
    import openpyxl

    book = openpyxl.Workbook()
    table = book.active
    table.title = sheet
    for row in rows:
        table.append(row)
    book.save(path)
    return path


def xls_file(path: Path, sheet: str, rows: list[list]) -> Path:
    """The same as an .xls (BIFF8) workbook."""
    import xlwt

    book = xlwt.Workbook()
    table = book.add_sheet(sheet)
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            table.write(number, column, value)
    book.save(str(path))
    return path
