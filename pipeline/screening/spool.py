"""Screened rows kept on disk while a file is screened, not in memory.

A screened name holds its best candidates with their explanations: about 1.7 KB as
Python objects, so a million names held at once took 1.7-1.8 GiB and a bank's ten
million would not fit. The rows are written here batch by batch as they come back,
in file order, and read back (as often as needed) for the receipt and the output.
The file is a private temporary file, deleted when the spool is closed or dropped.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from pipeline.screening.errors import SpoolFailed
from pipeline.screening.private.receipts import ScreenedRow

BATCH = 1_000  # rows per write: small enough to stay flat, large enough that pickling is cheap
T = TypeVar("T")


class SpooledRows:
    """An append-only sequence of screened rows on disk: `extend` in order, iterate any number of times."""

    def __init__(self):
        try:
            self._file = tempfile.TemporaryFile(prefix="chokepoint-screened-")
        except OSError as error:
            raise _failed(error) from None
        self.count = 0  # rows written
        self.matched = 0  # rows with at least one match

    def extend(self, rows: list[ScreenedRow]) -> None:
        if not rows:
            return
        try:
            self._file.seek(0, 2)
            pickle.dump(rows, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as error:
            raise _failed(error) from None
        self.count += len(rows)
        self.matched += sum(1 for row in rows if any(match.match for match in row.matches))

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[ScreenedRow]:
        self._file.flush()
        position = 0
        while True:  # each iteration keeps its own position, so two may interleave
            self._file.seek(position)
            try:
                batch = pickle.load(self._file)
            except EOFError:
                return
            position = self._file.tell()
            yield from batch

    def close(self) -> None:
        self._file.close()


def _failed(error: OSError) -> SpoolFailed:
    return SpoolFailed(
        f"cannot keep the screening results in {tempfile.gettempdir()} ({error.strerror or error}); "
        "nothing recorded: free space there or point TMPDIR elsewhere"
    )


def batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last may be shorter)."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch
