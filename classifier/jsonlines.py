"""Reading JSON lines (labelled data, register, corrections, `classify` input): one object a line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


def parse_object(line: str, where: str, error: type[Exception]) -> dict:
    """The JSON object on `line`; `error` naming `where` (a file and line) when it is none."""
    try:
        record = json.loads(line)
    except ValueError as problem:
        raise error(f"{where}: not valid JSON ({getattr(problem, 'msg', problem)})") from None
    if not isinstance(record, dict):
        raise error(f"{where}: expected a JSON object, got {type(record).__name__}")
    return record


def read_records(path: Path, error: type[Exception]) -> Iterator[tuple[str, dict]]:
    """(where, record) for each non-blank line of `path`, read by `parse_object`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            where = f"{path.name} line {number}"
            yield where, parse_object(line, where, error)
