"""Crawl speed: rows per second for the recorded CSL and Federal Register files.

Each crawl is the whole `chokepoint crawl` process, through Scrapy, into a fresh
database; then the same crawl again (nothing changed). The post-crawl steps
(tagging and screening what the crawl stored) are timed apart, from the crawl's
own report: the target is about crawling and storing, the classifier has its
own benchmark (bench/classify.py). The yardstick is a
plain-Python load of the same CSV into the same schema (FTS triggers included),
measured in the same run.

    .venv/bin/python bench/crawl.py [--corpus ../shared/corpus] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.store import ensure_schema  # noqa: E402

CHOKEPOINT = ROOT / ".venv" / "bin" / "chokepoint"
CSL = "csl/csl_consolidated_2022-05_full.csv"
FR = "federal_register/fr_api_documents_2024_page1_per_page1000.json"
MULTI = (
    "alt_names",
    "addresses",
    "programs",
    "ids",
    "dates_of_birth",
    "places_of_birth",
    "nationalities",
    "citizenships",
)


def plain_load(csv_path: Path, db_path: Path) -> int:
    """The yardstick: read the CSV with the csv module and INSERT it into the listings schema."""
    db = Database(db_path)
    ensure_schema(db)
    columns = [c.name for c in db["listings"].columns]
    rows = []
    with open(csv_path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            record = {key: json.dumps([p for p in row[key].split("; ") if p]) for key in MULTI}
            code = row["source"].split("(", 1)[1].split(")", 1)[0]
            record.update(
                id=f"plain:{code}:{row['_id']}:{len(rows)}",
                source="plain",
                list_code=code,
                list_name=row["source"],
                entry_id=row["_id"],
                name=row["name"],
            )
            rows.append([record.get(c) for c in columns])
    names = ", ".join(f"[{c}]" for c in columns)
    with db.atomic():
        db.conn.executemany(f"INSERT INTO listings ({names}) VALUES ({', '.join('?' * len(columns))})", rows)
    db.close()
    return len(rows)


def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def crawl(spider: str, url: str, db_path: Path, *options: str) -> str:
    result = subprocess.run(
        [str(CHOKEPOINT), "crawl", spider, "--url", url, "--db", str(db_path), *options], capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"crawl {spider} failed: {result.stderr.strip().splitlines()[-1]}")
    return result.stdout.strip()


def post_crawl_seconds(summary: str) -> float:
    """The seconds the crawl spent tagging and screening what it stored (0 when nothing was new)."""
    match = re.search(r"tagged and screened in ([0-9.]+) s", summary)
    return float(match.group(1)) if match else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    csl, fr = options.corpus / CSL, options.corpus / FR

    results: dict[str, list[float]] = {"plain": [], "csl": [], "csl_rerun": [], "fr": [], "fr_rerun": []}
    post: dict[str, list[float]] = {key: [] for key in results}
    rows = {}
    for attempt in range(options.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, rows["plain"] = timed(plain_load, csl, Path(tmp) / "plain.db")
            results["plain"].append(seconds)
            for name, spider, path in (("csl", "csl", csl), ("fr", "federal_register", fr)):
                db_path = Path(tmp) / f"{name}.db"
                for key in (name, f"{name}_rerun"):
                    seconds, summary = timed(crawl, spider, path.as_uri(), db_path)
                    tagging = post_crawl_seconds(summary)
                    results[key].append(seconds - tagging)
                    post[key].append(tagging)
                    print(f"[{attempt + 1}] {key}: {seconds:.2f} s  {summary}", file=sys.stderr)
            print(f"[{attempt + 1}] plain: {results['plain'][-1]:.2f} s", file=sys.stderr)

    counts = {"plain": rows["plain"], "csl": 14_160, "csl_rerun": 14_160, "fr": 1_000, "fr_rerun": 1_000}
    print("| run | crawl, parse, store: median s | rows/s | vs plain load | then tagging and screening: median s |")
    print("|---|---|---|---|---|")
    plain = statistics.median(results["plain"])
    for key, times in results.items():
        median = statistics.median(times)
        ratio = f"{median / plain:.2f}×" if key.startswith("csl") else "-"
        after = f"{statistics.median(post[key]):.2f}" if post[key] else "-"
        print(f"| {key} | {median:.2f} | {counts[key] / median:,.0f} | {ratio} | {after} |")


if __name__ == "__main__":
    main()
