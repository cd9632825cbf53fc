"""`chokepoint` commands in processes forked from one warm process: the real CLI, engine and SQLite, without
paying Scrapy's and the spiders' imports (seconds) on every crawl.

`Forker()` starts `python -m tests.kit.forking`, which imports the command line, Scrapy,
Twisted and every spider once, then forks one child per command. A child is a whole
`chokepoint` process of its own (its own reactor, exit code, stdout and stderr), so a
test can run two at once or SIGKILL one. `pause_at` stops a child at a named point of
a crawl (after landing, while storing, during tagging) and tells the test, which then
kills it: the hooks live here, in the tests, not in the code under test.

The warm process starts no thread (BLAS is held to one thread; loading the classifier
starts none), so forking it is safe, and a child that tags finds the classifier loaded.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.kit.cli import FROZEN_NOW

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: float  # the child's peak resident memory

    @property
    def last_line(self) -> str:
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else ""


@dataclass
class Child:
    pid: int
    folder: Path
    paused: Path  # appears when the child reached its pause point


class Forker:
    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count = 0
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.kit.forking"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert self._ask({"do": "ping"}) == {"ok": True}

    def start(
        self,
        *args: str,
        now: str = FROZEN_NOW,
        env: dict[str, str] | None = None,
        pause_at: str | None = None,
        hold: float | None = None,
        raise_at: str | None = None,
    ) -> Child:
        """Fork `chokepoint ARGS`; returns at once (wait with `finish`).

        `pause_at` (a key of PAUSES) stops the child there until it is killed, or for `hold` seconds;
        `raise_at` makes the code there raise, as a bug of ours would.
        """
        self._count += 1
        folder = self.folder / f"run{self._count}"
        folder.mkdir()
        answer = self._ask(
            {
                "do": "start",
                "args": list(args),
                "env": {"CHOKEPOINT_NOW": now, **(env or {})},
                "folder": str(folder),
                "pause_at": pause_at,
                "hold": hold,
                "raise_at": raise_at,
            }
        )
        return Child(answer["pid"], folder, folder / "paused")

    def finish(self, child: Child) -> Finished:
        answer = self._ask({"do": "wait", "pid": child.pid})
        return Finished(
            answer["returncode"],
            (child.folder / "stdout").read_text(),
            (child.folder / "stderr").read_text(),
            answer["max_rss_kb"] / 1024,
        )

    def run(self, *args: str, **options) -> Finished:
        """`chokepoint ARGS` in a forked child, to the end."""
        return self.finish(self.start(*args, **options))

    def kill_when_paused(self, child: Child, timeout: float = 120) -> Finished:
        """SIGKILL the child once it reached its pause point (failing if it ended or never got there)."""
        wait_until_paused(child, timeout, self)
        os.kill(child.pid, signal.SIGKILL)
        return self.finish(child)

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            self._process.wait(timeout=30)

    def _ask(self, request: dict) -> dict:
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the warm chokepoint process died")
        return json.loads(line)


# -- the warm process ---------------------------------------------------------------------------------------


def _warm_up() -> None:
    import pipeline.cli.crawl  # noqa: F401
    import pipeline.cli.screening  # noqa: F401
    import pipeline.cli.site  # noqa: F401
    import pipeline.crawl.run  # noqa: F401  (Scrapy, Twisted, the gate and the store)
    import pipeline.crawl.steps  # noqa: F401
    from pipeline.crawl import engine

    for name in engine.spider_names():  # every spider module and what it imports (lxml, pdfplumber...)
        engine.spider_class(name)
    from pipeline.tagging import load_classifier

    load_classifier()  # seconds, once: a child that tags uses this copy (loading starts no thread)
    # sqlite-utils imports numpy: its BLAS must not have started a thread pool a child would inherit half of.
    assert os.environ.get("OPENBLAS_NUM_THREADS") == "1"


PAUSES = {
    # After the landing's transaction committed, before any post-crawl step.
    "landed": ("pipeline.crawl.landing", "land", "after"),
    # Inside the landing's transaction: every row written, the run marked succeeded, nothing committed.
    "storing": ("pipeline.store.pending", "record", "after"),
    # Tagging has classified a batch and is about to write its labels.
    "tagging": ("pipeline.store.labels", "write_labels", "before"),
    # The gate is about to check a crawl (`raise_at` puts a bug of ours there).
    "gate": ("pipeline.crawl.gate", "check", "before"),
}


def _install_pause(point: str, marker: Path, hold: float | None, raises: bool = False) -> None:
    """Stop at `point` (and wait to be killed), or, with `hold`, wait that long there and carry on;
    with `raises`, raise there instead (a bug in our own code)."""
    import importlib

    module_name, function_name, when = PAUSES[point]
    module = importlib.import_module(module_name)
    original = getattr(module, function_name)

    def pause():
        marker.write_text(point)
        if raises:
            raise RuntimeError(f"a fault injected at {point}")
        time.sleep(hold if hold is not None else 3600)

    def paused(*args, **kwargs):
        if when == "before":
            pause()
        result = original(*args, **kwargs)
        if when == "after":
            pause()
        return result

    setattr(module, function_name, paused)  # callers look it up on the module at call time


def _child(request: dict) -> None:
    folder = Path(request["folder"])
    os.environ.update(request["env"])
    sys.argv = ["chokepoint", *request["args"]]
    stdout = os.open(folder / "stdout", os.O_WRONLY | os.O_CREAT, 0o644)
    stderr = os.open(folder / "stderr", os.O_WRONLY | os.O_CREAT, 0o644)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # never read the warm process's requests
    os.dup2(stdout, 1)
    os.dup2(stderr, 2)
    sys.stdin = open(os.devnull)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    code = 1
    try:
        if request.get("pause_at"):
            _install_pause(request["pause_at"], folder / "paused", request.get("hold"))
        if request.get("raise_at"):
            _install_pause(request["raise_at"], folder / "raised", None, raises=True)
        from pipeline.cli import cli

        cli.main(request["args"], prog_name="chokepoint", standalone_mode=True)
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    _warm_up()
    for line in sys.stdin:
        request = json.loads(line)
        if request["do"] == "ping":
            answer = {"ok": True}
        elif request["do"] == "start":
            pid = os.fork()
            if pid == 0:
                _child(request)
            answer = {"pid": pid}
        else:
            _, status, usage = os.wait4(request["pid"], 0)
            answer = {"returncode": os.waitstatus_to_exitcode(status), "max_rss_kb": usage.ru_maxrss}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()


def wait_until_paused(child: Child, timeout: float = 120, forker: Forker | None = None) -> None:
    """Return once the child reached its pause point; fail at once if it ended first, or after `timeout`."""
    deadline = time.monotonic() + timeout
    while not child.paused.exists():
        if _ended(child.pid) or time.monotonic() > deadline:
            os.kill(child.pid, signal.SIGKILL)
            stderr = forker.finish(child).stderr if forker else ""
            raise AssertionError(f"the child never reached its pause point:\n{stderr}")
        time.sleep(0.02)


def _ended(pid: int) -> bool:
    """Whether the process has exited (a zombie its parent has not reaped yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
