"""Digest at scale: `chokepoint digest` to many subscribers, through a real SMTP server on 127.0.0.1.

    .venv/bin/python bench/digest_scale.py                              # 100, 1,000 and 5,000 subscribers
    .venv/bin/python bench/digest_scale.py --subscribers 100 --profile out/digest.prof

The demo database is built once (`chokepoint demo --no-serve`, the bundled samples, no network) and
the demo watchlist added to its private database (`chokepoint watchlist add`). Each run starts from
a copy of both and adds N subscribers: a quarter follow everything, a quarter one rivalry dimension,
a quarter one list (every list of the demo in turn), a quarter the demo watchlist. The first
`--cli` of them are added with `chokepoint subscribe`, one process each, the rest through the same
function the command calls (`pipeline.digest.subscriptions.subscribe`); both are timed.

Then the real `chokepoint digest --since <before the demo was built>` sends every subscriber their
first digest to an aiosmtpd server started here (a thread of this process, so it shares the two
cores with the command), which counts messages and bytes per recipient. Every subscriber must get
exactly one message, or the run fails. A second `chokepoint digest` right after must say "nothing
new" to every subscriber and send nothing. Reported: wall time, digests per second, messages and
bytes received, the command's peak memory (its own ru_maxrss, from os.wait4), the private
database's size after the run, and the load average around each run.
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHOKEPOINT = ROOT / ".venv" / "bin" / "chokepoint"
WATCHLIST = ROOT / "pipeline" / "demo_data" / "watchlist.csv"
WATCHLIST_NAME = "suppliers"
DIMENSIONS = ("key_inputs", "core_tech", "partnerships", "governance")


class Counting:
    """An aiosmtpd handler that keeps, per recipient, how many messages and bytes it accepted."""

    def __init__(self):
        self.messages: Counter[str] = Counter()
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        for recipient in envelope.rcpt_tos:
            self.messages[recipient] += 1
        self.bytes += len(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def chokepoint(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CHOKEPOINT), *args], capture_output=True, text=True, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise SystemExit(f"chokepoint {' '.join(args)} failed:\n{result.stderr}{result.stdout}")
    return result


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy (WAL included), through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def build_demo(folder: Path) -> tuple[Path, Path]:
    db, private = folder / "chokepoint.db", folder / "private.db"
    chokepoint("demo", "--no-serve", "--db", str(db), "--private-db", str(private))
    chokepoint("watchlist", "add", WATCHLIST_NAME, str(WATCHLIST), "--db", str(db), "--private-db", str(private))
    return db, private


def subscriber_options(number: int, lists: list[str]) -> dict:
    """The subscriber's filters, by quarter: everything, one dimension, one list, the watchlist."""
    kind = number % 4
    if kind == 1:
        return {"dimensions": (DIMENSIONS[number // 4 % len(DIMENSIONS)],)}
    if kind == 2:
        return {"lists": (lists[number // 4 % len(lists)],)}
    if kind == 3:
        return {"watchlist": WATCHLIST_NAME}
    return {}


def as_cli_options(options: dict) -> list[str]:
    flags = []
    for dimension in options.get("dimensions", ()):
        flags += ["--dimension", dimension]
    for code in options.get("lists", ()):
        flags += ["--list", code]
    if "watchlist" in options:
        flags += ["--watchlist", options["watchlist"]]
    return flags


def email_of(number: int) -> str:
    return f"subscriber{number:05d}@example.com"


def add_subscribers(db_path: Path, private_path: Path, count: int, by_cli: int) -> tuple[float, float]:
    """Subscribe `count` addresses; the first `by_cli` through `chokepoint subscribe`. Returns both durations."""
    from sqlite_utils import Database

    from pipeline.digest import subscriptions
    from pipeline.digest.exposure import latest_alert_id
    from pipeline.screening.private.database import open_private
    from pipeline.store.changes import ChangeFilter, latest_change_id, lists_by_source

    db = Database(db_path)
    lists = sorted({code for codes in lists_by_source(db).values() for code in codes})
    by_cli = min(by_cli, count)
    started = time.perf_counter()
    for number in range(by_cli):
        options = as_cli_options(subscriber_options(number, lists))
        chokepoint("subscribe", email_of(number), *options, "--db", str(db_path), "--private-db", str(private_path))
    cli_seconds = time.perf_counter() - started
    started = time.perf_counter()
    private = open_private(private_path)
    latest_change, latest_alert = latest_change_id(db), latest_alert_id(private)
    for number in range(by_cli, count):
        options = subscriber_options(number, lists)
        filters = ChangeFilter(dimensions=options.get("dimensions", ()), lists=options.get("lists", ()))
        subscriptions.subscribe(
            private,
            email_of(number),
            name=None,
            filters=filters,
            watchlist=options.get("watchlist"),
            confirm_empty=False,
            latest_change_id=latest_change,
            latest_alert_id=latest_alert,
        )
    private.conn.close()
    db.conn.close()
    return cli_seconds, time.perf_counter() - started


@dataclass
class Run:
    elapsed: float
    peak: int  # bytes
    statuses: Counter
    messages: int
    bytes: int


def run_digest(db: Path, private: Path, since: str, port: int, inbox: Counting, profile: Path | None) -> Run:
    """`chokepoint digest` as a user runs it; the server's counts are what this run added."""
    before_messages, before_bytes = sum(inbox.messages.values()), inbox.bytes
    command = [str(CHOKEPOINT)]
    if profile:
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), str(CHOKEPOINT)]
    command += ["digest", "--since", since, "--smtp-host", "127.0.0.1", "--smtp-port", str(port)]
    command += ["--db", str(db), "--private-db", str(private)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read()))
    reader.start()
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # its own rusage: the peak memory of this command alone
    elapsed = time.perf_counter() - started
    reader.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{''.join(errors)[-2000:]}")
    statuses = Counter(line.split(": ")[1] for line in stdout.splitlines() if line.startswith("subscriber"))
    return Run(
        elapsed,
        usage.ru_maxrss * 1024,
        statuses,
        sum(inbox.messages.values()) - before_messages,
        inbox.bytes - before_bytes,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", default="100,1000,5000", help="subscriber counts, comma-separated")
    parser.add_argument("--cli", type=int, default=20, help="how many of them `chokepoint subscribe` adds (default 20)")
    parser.add_argument("--profile", type=Path, help="run the first digest under cProfile, its stats to this file")
    args = parser.parse_args()
    counts = [int(n.replace("_", "").replace(",", "")) for n in args.subscribers.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="digest_scale-"))
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))
    started = time.perf_counter()
    db, private = build_demo(folder / "demo")
    print(f"demo database and watchlist built in {time.perf_counter() - started:.1f} s in {folder}; since {since}")
    print(f"{os.cpu_count()} cores; load average (1/5/15 min) before the runs: {load()}\n")
    print(
        "| subscribers | added (`subscribe` CLI / in-process) | load before → after | digest | digests/s "
        "| messages | MiB received | peak memory | private db | second run | second run says |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for count in counts:
        here = folder / str(count)
        here.mkdir()
        run_db, run_private = copy_database(db, here / "chokepoint.db"), copy_database(private, here / "private.db")
        by_cli = min(args.cli, count)
        cli_seconds, code_seconds = add_subscribers(run_db, run_private, count, by_cli)
        inbox = Counting()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        try:
            before = load()
            first = run_digest(run_db, run_private, since, controller.port, inbox, args.profile)
            after_first = load()
            second = run_digest(run_db, run_private, since, controller.port, inbox, None)
        finally:
            controller.stop()
        expected = {email_of(n) for n in range(count)}
        wrong = {a: n for a, n in inbox.messages.items() if n != 1 or a not in expected}
        missing = expected - set(inbox.messages)
        if wrong or missing or first.statuses != Counter({"sent": count}):
            raise SystemExit(
                f"{count} subscribers: not exactly one message each: {len(missing)} got none, "
                f"{len(wrong)} got another count ({dict(list(wrong.items())[:5])}); statuses {dict(first.statuses)}"
            )
        if second.messages or second.statuses != Counter({"nothing new": count}):
            raise SystemExit(f"{count} subscribers: the second run sent {second.messages}: {dict(second.statuses)}")
        added = f"{cli_seconds:.1f} s for {by_cli} / {code_seconds:.1f} s for {count - by_cli:,}"
        print(
            f"| {count:,}{' (under cProfile)' if args.profile else ''} | {added} | {before} → {after_first} | {first.elapsed:,.1f} s | "
            f"{count / first.elapsed:,.1f} | {first.messages:,} | {first.bytes / 2**20:,.1f} | "
            f"{first.peak / 2**20:,.0f} MiB | {run_private.stat().st_size / 2**20:,.1f} MiB | "
            f"{second.elapsed:,.1f} s | {second.statuses['nothing new']:,} nothing new, {second.messages} sent |",
            flush=True,
        )
        args.profile = None  # only the first run is profiled
    print(f"\nload average after the runs: {load()}")


if __name__ == "__main__":
    main()
