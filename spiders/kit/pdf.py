"""Reading PDF bodies with pdfplumber: the rows of the tables, or the text, page by page."""

from __future__ import annotations

import io

import pdfplumber

PDF_MAGIC = b"%PDF-"


def is_pdf(body: bytes) -> bool:
    return body[:5] == PDF_MAGIC


def first_page_rows(body: bytes) -> list[list[str | None]]:
    """The table rows of the first page only: enough to tell which layout a PDF has.

    pdfminer reads about a page a second; reading every page's tables of a PDF that
    turns out to be running text would double a crawl's time.
    """
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        if not pdf.pages:
            return []
        return [row for table in pdf.pages[0].extract_tables() for row in table]


def table_rows(body: bytes) -> list[list[str | None]]:
    """Every row of every table, in page order (a table that runs over pages is one list)."""
    rows: list[list[str | None]] = []
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows.extend(table)
    return rows


def text(body: bytes) -> str:
    """The text of every page, pages joined by newlines."""
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)
