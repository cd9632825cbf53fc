"""Search speed: the search page and each of its statements, on the demo and on the real May 2022 CSL.

    .venv/bin/python bench/search.py                       # builds both databases in a temporary folder
    .venv/bin/python bench/search.py --csl-db data/csl.db --demo-db data/demo/chokepoint.db

For each query: the whole `/search?q=...` page through Datasette in process (every
statement it runs, the template), p50 and p95 over --repeat runs; and the same
statements run directly in SQLite (rows, capped count, facets of both kinds), so
what Datasette and the page add is visible. The load average is printed with the
numbers (the machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlite_utils import Database  # noqa: E402

from pipeline.site import make_datasette  # noqa: E402
from pipeline.store import search  # noqa: E402

CHOKEPOINT = ROOT / ".venv" / "bin" / "chokepoint"
CSL = ROOT.parent / "shared" / "corpus" / "csl" / "csl_consolidated_2022-05_full.csv"
QUERIES = (
    "huawei",
    "rosneft",
    "china",  # a common word: thousands of matches
    "technology co",
    "moscow",
    "gallium",
    "镓",
    "出口管制",
    "bank*",
    "84 FR 29373",
)


def build(folder: Path) -> tuple[Path, Path]:
    demo, csl = folder / "demo" / "chokepoint.db", folder / "csl.db"
    subprocess.run(
        [str(CHOKEPOINT), "demo", "--no-serve", "--db", str(demo), "--private-db", str(folder / "p.db")],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [str(CHOKEPOINT), "crawl", "csl", "--url", CSL.as_uri(), "--db", str(csl)], check=True, capture_output=True
    )
    return demo, csl


def statements(db: Database, query: str) -> list[float]:
    """The page's statements, run directly: seconds each."""
    match = search.match_expression(query)
    timings = []
    for kind in search.KINDS.values():
        params = kind.params(match, {}, limit=10)
        for sql in (kind.rows_sql({}), kind.count_sql({}), kind.facets_sql({})):
            start = time.perf_counter()
            db.execute(sql, params).fetchall()
            timings.append(time.perf_counter() - start)
    return timings


async def pages(db_path: Path, repeat: int) -> dict[str, list[float]]:
    datasette = make_datasette(db_path)
    await datasette.invoke_startup()
    found: dict[str, list[float]] = {}
    for query in QUERIES:
        await datasette.client.get("/search", params={"q": query})  # warm
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = await datasette.client.get("/search", params={"q": query})
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.text[:300]
        found[query] = times
    return found


def report(label: str, db_path: Path, repeat: int) -> None:
    db = Database(db_path)
    listings, documents = db["listings"].count, db["documents"].count
    print(f"\n{label}: {listings:,} listings, {documents:,} documents ({db_path.stat().st_size / 1e6:.1f} MB)")
    print("| query | parties | measures | page p50 ms | page p95 ms | its statements in SQLite, total ms |")
    print("|---|---|---|---|---|---|")
    timings = asyncio.run(pages(db_path, repeat))
    for query in QUERIES:
        match = search.match_expression(query)
        counts = [
            db.execute(kind.count_sql({}), kind.params(match, {})).fetchone()[0] for kind in search.KINDS.values()
        ]
        shown = [
            f"{n:,}" + ("+" if n > search.COUNT_CAP else "") for n in (min(c, search.COUNT_CAP + 1) for c in counts)
        ]
        direct = statistics.median(sum(statements(db, query)) for _ in range(repeat)) * 1000
        page = sorted(timings[query])
        p95 = page[min(len(page) - 1, int(round(0.95 * (len(page) - 1))))]
        print(
            f"| {query} | {shown[0]} | {shown[1]} | {statistics.median(page) * 1000:.1f} | {p95 * 1000:.1f} | {direct:.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-db", type=Path)
    parser.add_argument("--csl-db", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        demo, csl = (args.demo_db, args.csl_db) if args.demo_db and args.csl_db else build(Path(folder))
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        report("demo", demo, args.repeat)
        report("May 2022 CSL", csl, args.repeat)
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
