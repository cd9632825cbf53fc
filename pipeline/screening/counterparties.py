"""Reading a firm's counterparty file: a CSV with a `name` column, and `country`, `id`, `address` if it has them.

A file that cannot be screened at all (missing, empty, no `name` column) raises
ScreeningInputError with one line naming it. A problem confined to a row (bytes
that are not UTF-8, a row with the wrong number of cells, an empty name) skips
that row with one line naming file and row; every other row is still screened.
Excel's habits are accepted: a byte-order mark, and `;` or tab as the separator.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.screening.errors import ScreeningInputError
from pipeline.screening.match.screener import Query

COLUMNS = ("name", "country", "id", "address")
SEPARATORS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Counterparty:
    row: int  # the line number in the file (the header is line 1)
    query: Query


@dataclass
class CounterpartyFile:
    path: Path
    sha256: str
    rows: list[Counterparty] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: "FILE row N: what is wrong; skipped"


def read_counterparties(path: Path) -> CounterpartyFile:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScreeningInputError(f"{path}: cannot read ({error.strerror or error})") from None
    result = CounterpartyFile(path=path, sha256=hashlib.sha256(raw).hexdigest())
    # Undecodable bytes survive as surrogates, so the row they sit in can be named and skipped.
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    if not text.strip():
        raise ScreeningInputError(f"{path}: the file is empty; expected a CSV with a 'name' column")
    header_line = text.splitlines()[0]
    if _has_bad_bytes(header_line):
        raise ScreeningInputError(f"{path} row 1: the header is not UTF-8 text; save the file as UTF-8 CSV")
    separator = max(SEPARATORS, key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header = [column.strip().casefold() for column in next(reader)]
    if "name" not in header:
        raise ScreeningInputError(
            f"{path} row 1: no 'name' column (columns: {', '.join(header) or 'none'}); "
            "the first row must name the columns, one of them 'name'"
        )
    positions = {column: header.index(column) for column in COLUMNS if column in header}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        problem = _row_problem(cells, len(header))
        if problem:
            result.problems.append(f"{path} row {line}: {problem}; skipped")
            continue
        values = {column: cells[position].strip() or None for column, position in positions.items()}
        if not values.get("name"):
            result.problems.append(f"{path} row {line}: empty name; skipped")
            continue
        result.rows.append(
            Counterparty(line, Query(values["name"], values.get("country"), values.get("id"), values.get("address")))
        )
    if not result.rows and not result.problems:
        raise ScreeningInputError(f"{path}: no rows under the header; nothing to screen")
    return result


def _row_problem(cells: list[str], width: int) -> str | None:
    if any(_has_bad_bytes(cell) for cell in cells):
        return "not UTF-8 text (save the file as UTF-8)"
    if len(cells) != width:
        return f"{len(cells)} cells where the header has {width} (a stray separator or quote?)"
    return None


def _has_bad_bytes(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)
