"""The one reporter: everything a command says.

Results go to stdout exactly as scripts and the README expect (JSON lines, CSV,
tables, one line per crawl); notes, warnings and errors go to stderr. Progress is a
rich progress bar on a terminal; elsewhere (logs, CI, tests) a task that had a total
leaves one line when it ends, e.g. "  tagging listings: 14,159 of 14,159", unless
the command asks for bars only (`log_progress=False`: the demo's many small crawls).
"""

from __future__ import annotations

import click


class ConsoleReporter:
    def __init__(self, console=None, log_progress: bool = True):
        from rich.console import Console

        self.console = console or Console(stderr=True, highlight=False, soft_wrap=True)
        self.log_progress = log_progress
        self._bars = None  # a rich Progress while a task is running on a terminal
        self._tasks: dict[str, object] = {}
        self._last: dict[str, tuple[int, int | None, str]] = {}

    # -- results and messages ----------------------------------------------------

    def out(self, text: str = "") -> None:
        """A result line on stdout."""
        click.echo(text)

    def out_raw(self, text: str) -> None:
        """Result text on stdout exactly as given (its own line ends, e.g. CSV's CRLF)."""
        click.echo(text, nl=False)

    def table(self, rows: list[tuple]) -> None:
        """Rows (the first is the header) on stdout as columns padded to their widest cell, as wide
        as a terminal shows them (a Chinese character takes two columns)."""
        from rich.cells import cell_len

        widths = [max(cell_len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = (str(cell) + " " * (width - cell_len(str(cell))) for cell, width in zip(row, widths))
            self.out("  ".join(cells).rstrip())

    def note(self, message: str) -> None:
        """A line on stderr (above any progress bar)."""
        self.console.out(message, highlight=False)

    def warn(self, message: str) -> None:
        self.note(f"Warning: {message}")

    def error(self, message: str) -> None:
        self.note(f"Error: {message}")

    # -- progress ------------------------------------------------------------------

    def progress(self, task: str, done: int, total: int | None = None, unit: str = "") -> None:
        self._last[task] = (done, total, unit)
        if not self.console.is_terminal:
            return
        if self._bars is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bars = Progress(
                TextColumn("  {task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._bars.start()
        if task not in self._tasks:
            self._tasks[task] = self._bars.add_task(task, total=total, unit=unit)
        self._bars.update(self._tasks[task], completed=done, total=total)

    def finish(self, task: str) -> None:
        done, total, unit = self._last.pop(task, (0, None, ""))
        if task in self._tasks:
            self._bars.remove_task(self._tasks.pop(task))
        if self._bars is not None and not self._tasks:
            self._bars.stop()
            self._bars = None
        if total is not None and self.log_progress and not self.console.is_terminal:
            self.note(f"  {task}: {done:,} of {total:,} {unit}".rstrip())
