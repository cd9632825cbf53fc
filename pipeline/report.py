"""How library code tells a person what it is doing: through a reporter it is handed, never by printing.

The command line hands in its reporter (`pipeline.cli.reporter`, which draws progress
bars with rich); tests and library callers that want nothing said use `SILENT`.
A post-crawl step says what it did by returning a `StepResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class Reporter(Protocol):
    def note(self, message: str) -> None:
        """One line for the person running the command (stderr): what a step did, what to look at."""

    def progress(self, task: str, done: int, total: int | None = None, unit: str = "") -> None:
        """How far `task` got (`total` None when unknown, e.g. items a crawl has yielded so far)."""

    def finish(self, task: str) -> None:
        """`task` is over: its progress display goes."""


class Silent:
    """A reporter that says nothing."""

    def note(self, message: str) -> None:
        pass

    def progress(self, task: str, done: int, total: int | None = None, unit: str = "") -> None:
        pass

    def finish(self, task: str) -> None:
        pass


SILENT = Silent()


@dataclass
class StepResult:
    """What one post-crawl step did. Each step returns its own (a subclass saying more); none edits another's."""

    step: str
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
