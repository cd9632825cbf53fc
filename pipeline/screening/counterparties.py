"""Reading a firm's counterparty file: a CSV with a `name` column, and `country`, `id`, `address` if it has them.

Files are decoded the way spreadsheets save them: UTF-8 (with or without a byte-order
mark), UTF-16 with its byte-order mark (Excel's "Unicode Text"), and otherwise
Windows-1252 (Excel's "CSV" on a Western Windows), said in a notice naming the file.
`;`, tab and `|` are accepted as separators.

A file that cannot be screened at all (missing, empty, no `name` column) raises
ScreeningInputError with one line naming it. Every other row is accounted for: a row
shorter than the header has its missing cells empty; a row that cannot be read (no name,
more cells than the header, a byte that is no text) is kept as `NotRead` with its reason,
so the output can show it beside the rows that were screened.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.screening.errors import ScreeningInputError
from pipeline.screening.match.screener import Query

COLUMNS = ("name", "country", "id", "address")
SEPARATORS = (",", ";", "\t", "|")
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
FALLBACK_NOTICE = "not UTF-8; read as Windows-1252 (Western European), as Excel saves CSV on Windows"


@dataclass(frozen=True)
class Counterparty:
    row: int  # the line number in the file (the header is line 1)
    query: Query


@dataclass(frozen=True)
class NotRead:
    """A row that could not be screened, with what could be read of it and why."""

    row: int
    name: str | None
    country: str | None
    id: str | None
    reason: str


@dataclass
class CounterpartyFile:
    path: Path
    sha256: str
    rows: list[Counterparty] = field(default_factory=list)
    skipped: list[NotRead] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # about the whole file, e.g. how it was decoded

    @property
    def problems(self) -> list[str]:
        """One line per row not read: "FILE row N: what is wrong; skipped"."""
        return [f"{self.path} row {row.row}: {row.reason}; skipped" for row in self.skipped]

    @property
    def file_rows(self) -> int:
        return len(self.rows) + len(self.skipped)


def read_counterparties(path: Path) -> CounterpartyFile:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScreeningInputError(f"{path}: cannot read ({error.strerror or error})") from None
    result = CounterpartyFile(path=path, sha256=hashlib.sha256(raw).hexdigest())
    text, readable_as = _decode(path, raw, result.notices)
    if not text.strip():
        raise ScreeningInputError(f"{path}: the file is empty; expected a CSV with a 'name' column")
    header_line = text.splitlines()[0]
    if _bad_byte(header_line) is not None:
        raise ScreeningInputError(f"{path} row 1: the header is not {readable_as} text; save the file as UTF-8 CSV")
    separator = max(SEPARATORS, key=header_line.count)
    lines = _RecordLines(text)
    reader = csv.reader(lines, delimiter=separator)
    header = [column.strip().casefold() for column in next(reader)]
    lines.take()
    if "name" not in header:
        raise ScreeningInputError(
            f"{path} row 1: no 'name' column (columns: {', '.join(header) or 'none'}); "
            "the first row must name the columns, one of them 'name'"
        )
    positions = {column: header.index(column) for column in COLUMNS if column in header}
    for cells in reader:
        record = lines.take()
        if _unclosed_quote(record, cells, len(header), separator):
            result.skipped.extend(_swallowed(record, reader.line_num - len(record) + 1, positions, separator))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        while len(cells) > len(header) and not cells[-1].strip():
            cells = cells[:-1]  # trailing empty cells, as spreadsheets pad rows
        cells = cells + [""] * (len(header) - len(cells))  # a short row: its missing cells are empty
        values = {column: _shown(cells[position]).strip() or None for column, position in positions.items()}
        reason = _row_problem(cells, len(header), readable_as)
        if reason is None and not values.get("name"):
            reason = "empty name"
        if reason:
            result.skipped.append(
                NotRead(reader.line_num, values.get("name"), values.get("country"), values.get("id"), reason)
            )
            continue
        result.rows.append(
            Counterparty(
                reader.line_num,
                Query(values["name"], values.get("country"), values.get("id"), values.get("address")),
            )
        )
    if not result.rows and not result.skipped:
        raise ScreeningInputError(f"{path}: no rows under the header; nothing to screen")
    return result


def _decode(path: Path, raw: bytes, notices: list[str]) -> tuple[str, str]:
    """The file's text and the encoding(s) it was read as; a byte that is no text stays as a surrogate,
    so the row it sits in can be named."""
    for mark, codec, name in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                return raw.decode(codec, errors="surrogateescape" if name == "UTF-8" else "strict"), name
            except UnicodeDecodeError:
                raise ScreeningInputError(
                    f"{path}: starts with a {name} byte-order mark but is not {name} text; save it as UTF-8 CSV"
                ) from None
    if b"\x00" in raw:
        raise ScreeningInputError(f"{path}: NUL bytes: UTF-16 without a byte-order mark? Save the file as UTF-8 CSV")
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        notices.append(f"{path}: {FALLBACK_NOTICE}")
        return raw.decode("cp1252", errors="surrogateescape"), "UTF-8 or Windows-1252"


class _RecordLines:
    """The file's lines as the CSV reader asks for them, keeping those of the record being read
    (the reader reads no further than the end of a record), so nothing is held but that record."""

    def __init__(self, text: str):
        self._lines = io.StringIO(text, newline="")
        self._record: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._record.append(line)
        return line

    def take(self) -> list[str]:
        """The lines of the record just read."""
        record, self._record = self._record, []
        return record


def _unclosed_quote(record: list[str], cells: list[str], width: int, separator: str) -> bool:
    """Whether a quote opened in this record was never closed where it should have been: the file ends
    inside it, or it ran on over whole rows of the file. A cell quoted across lines (an address typed
    with line breaks) closes, leaves the row its other cells, and its inner lines are not rows."""
    if len(record) < 2:  # on one line, a cell still holds its line break only when the file ended in it
        return any(cell.endswith(("\n", "\r")) for cell in cells)
    try:
        list(csv.reader(io.StringIO("".join(record), newline=""), delimiter=separator, strict=True))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return True
    if len(cells) < width and any(len(_cells_of(line, separator)) >= width for line in record[1:]):
        return True  # the row came up short, and what it swallowed holds a whole row
    return any(len(_cells_of(line, separator)) == width for line in record[1:-1])  # a whole row inside one cell


def _swallowed(record: list[str], start: int, positions: dict[str, int], separator: str) -> list[NotRead]:
    """Each line an unclosed quote ran over, as a row not read (what can be read of it, and why)."""
    end = start + len(record) - 1
    rows = []
    for number, line in enumerate(record, start=start):
        cells = _cells_of(line.lstrip('"') if number == start else line, separator)
        values = {
            column: _shown(cells[position]).strip() or None if position < len(cells) else None
            for column, position in positions.items()
        }
        span = f"lines {start}-{end} were read as one cell" if end > start else "the file ends inside it"
        reason = (
            f"a quote opened here is not closed ({span}); fix the quote"
            if number == start
            else f"inside the unclosed quote of line {start}"
        )
        rows.append(NotRead(number, values.get("name"), values.get("country"), values.get("id"), reason))
    return rows


def _cells_of(line: str, separator: str) -> list[str]:
    return next(csv.reader([line.rstrip("\r\n")], delimiter=separator), [])


def _row_problem(cells: list[str], width: int, readable_as: str) -> str | None:
    for cell in cells:
        byte = _bad_byte(cell)
        if byte is not None:
            return f"byte 0x{byte:02x} is not text in {readable_as}"
    if len(cells) != width:
        return f"{len(cells)} cells where the header has {width} (a stray separator or quote?)"
    return None


def _bad_byte(text: str) -> int | None:
    """The first byte that could not be decoded (kept as a surrogate), or None."""
    return next((ord(char) - 0xDC00 for char in text if "\udc80" <= char <= "\udcff"), None)


def _shown(cell: str) -> str:
    """A cell as it can be shown: a byte that is no text written as \\xNN."""
    return "".join(f"\\x{ord(char) - 0xDC00:02x}" if "\udc80" <= char <= "\udcff" else char for char in cell)
