"""Screening at scale: `chokepoint screen` on one file of many names, in-process and on a Dask cluster.

    .venv/bin/python bench/screen_scale.py                      # 1,000,000 names against the real CSL
    .venv/bin/python bench/screen_scale.py --names 50000 --db data/chokepoint.db

Each run is the whole command, as a user runs it: reading the file and the listings,
screening, the JSON on stdout (hashed here, not kept) and the receipt in a fresh private
database. The names are bench/screen.py's vendor-master mix drawn from the list's own
names (half a listed name with a slip, a fifth real unlisted people's names from the
yente peer suite, the rest unlisted-looking firms). Runs: in-process (the default, its
worker processes forked from the command), then a LocalCluster of 1 and of 2 worker
processes of one thread each on 127.0.0.1, as `dask worker --nthreads 1` runs them.
Reports names per second, when the last name was screened (the command's progress line;
after it come the JSON and the receipt), the command's peak memory and each worker's,
and the load average around each run; every run's output must hash the same.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import logging
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.screen import published_db, speed_queries  # noqa: E402
from pipeline.store import listed  # noqa: E402

CHOKEPOINT = ROOT / ".venv" / "bin" / "chokepoint"


def write_names(db_path: Path, count: int, folder: Path) -> Path:
    rows = list(listed.active_listings(listed.open_read_only(db_path)))
    path = folder / "customers.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "id"])
        for number, query in speed_queries(rows, count):
            writer.writerow([query.name, f"C{number:08d}"])
    print(f"{count:,} names from {len(rows):,} listings of {db_path}, written to {path}")
    return path


@dataclass
class Run:
    elapsed: float  # the whole command, seconds
    screened_at: float  # when it said the last name was screened (then: JSON out, receipt)
    sha256: str  # of its stdout
    peak: int  # its peak resident memory, bytes


def run_screen(names: Path, db_path: Path, private: Path, *extra: str) -> Run:
    """`chokepoint screen` as a user runs it, its stdout hashed, the time its last progress line came."""
    command = [str(CHOKEPOINT), "screen", str(names), "--db", str(db_path), "--private-db", str(private), *extra]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines: list[tuple[float, str]] = []

    def read_stderr():
        for line in process.stderr:
            lines.append((time.perf_counter() - started, line.decode()))

    reader = threading.Thread(target=read_stderr)
    reader.start()
    digest = hashlib.sha256()
    while chunk := process.stdout.read(1 << 20):
        digest.update(chunk)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    reader.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{''.join(line for _, line in lines)}")
    private.unlink()  # the receipt holds every candidate of every name: gigabytes at a million
    screened_at = next(at for at, line in lines if line.lstrip().startswith("screening: ") and "screened" in line)
    return Run(elapsed, screened_at, digest.hexdigest(), usage.ru_maxrss * 1024)


def _peak_memory() -> int:
    """Run on a worker: its process's peak resident memory, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def report(label: str, count: int, run: Run, workers: list[int], before: str) -> None:
    per_worker = ", ".join(f"{memory / 2**20:,.0f} MiB" for memory in workers) or "-"
    print(
        f"| {label} | {before} → {load()} | {run.elapsed:,.1f} s | {run.screened_at:,.1f} s | "
        f"{run.elapsed - run.screened_at:,.1f} s | {count / run.elapsed:,.0f} | {run.peak / 2**20:,.0f} MiB | "
        f"{per_worker} |",
        flush=True,
    )


def main() -> None:
    from distributed import LocalCluster

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="published database to screen against (default: the real CSL, crawled)")
    parser.add_argument("--names", type=int, default=1_000_000, help="names in the file (default 1,000,000)")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated (default 1,2)")
    parser.add_argument("--skip-in-process", action="store_true", help="only the cluster runs")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="screen_scale-"))
    db_path = published_db(args.db)
    names = write_names(db_path, args.names, folder)
    print(f"{os.cpu_count()} cores; load average (1/5/15 min) before the runs: {load()}\n")
    print(
        "| run | load average before → after | `chokepoint screen` end to end | last name screened at | "
        "then output and receipt | names/s end to end | command's peak memory | peak memory per worker |"
    )
    print("|---|---|---|---|---|---|---|---|")
    hashes = {}
    if not args.skip_in_process:
        before = load()
        run = run_screen(names, db_path, folder / "in-process.db")
        hashes["in-process"] = run.sha256
        report("in-process (default)", args.names, run, [], before)
    for workers in (int(value) for value in args.workers.split(",")):
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.CRITICAL,  # a worker that outlives the scheduler at the end says so loudly
            ) as cluster,
            cluster.get_client() as client,
        ):
            before = load()
            label = f"--scheduler, {workers} worker(s)"
            run = run_screen(names, db_path, folder / f"cluster-{workers}.db", "--scheduler", cluster.scheduler_address)
            hashes[label] = run.sha256
            report(label, args.names, run, sorted(client.run(_peak_memory).values()), before)
    if len(set(hashes.values())) != 1:
        raise SystemExit(f"the runs' outputs differ: {hashes}")
    print(f"\nEvery run's output identical (sha256 {next(iter(hashes.values()))[:16]}...); files in {folder}")


if __name__ == "__main__":
    main()
