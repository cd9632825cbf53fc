"""The search page under load: `chokepoint serve` on a large database, 8 concurrent clients, beside direct SQLite.

    .venv/bin/python bench/scale.py --out /tmp/scale          # builds /tmp/scale/store.db
    .venv/bin/python bench/search_load.py --db /tmp/scale/store.db

Starts `chokepoint serve` on a free port of 127.0.0.1 (a real server, its own
process) and drives it from this process with `--clients` concurrent clients for
`--seconds`, each sending its next request as soon as the last one answered:
80% searches (`/search?q=WORD`, both kinds) and 20% searches narrowed by one
facet value (`kind=measures` or `kind=parties` with an agency, dimension,
industry, country, program or list). The words are the ones `bench/scale.py`
plants at known rates; their match rates are measured here on the database.

Reported: p50, p95 and p99 latency, errors (any status but 200, any failed
connection), and facets missing per response (a facet block absent from the
page, or present but "not counted"); then, for every distinct request, the
page's median time with one client beside the same statements run directly in
SQLite (rows, capped count and facets of each kind shown). The load average
is printed (the machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.store import search  # noqa: E402

CHOKEPOINT = ROOT / ".venv" / "bin" / "chokepoint"
WORDS = ("export", "commerce", "licensing", "semiconductor", "sanctions", "huawei", "gallium")  # bench/scale.py
# Words of listings' names (bench/scale.py's NAME_PARTS and NAME_KINDS): filtered parties searches use these.
PARTY_WORDS = ("trading", "moscow", "aviation plant", "sugon")
FILTERS = (
    ("measures", "agency", "Industry and Security Bureau"),
    ("measures", "agency", "State Department"),
    ("measures", "dimension", "key_inputs"),
    ("measures", "industry", "semiconductors"),
    ("measures", "type", "Rule"),
    ("parties", "country", "RU"),
    ("parties", "program", "IRAN"),
    ("parties", "list", "EL"),
)


def requests(seed: int) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(searches, filtered searches): every word, and every word with every filter."""
    searches = [{"q": word} for word in (*WORDS, *PARTY_WORDS)]
    filtered = [
        {"q": word, "kind": kind, name: value}
        for kind, name, value in FILTERS
        for word in (WORDS if kind == "measures" else PARTY_WORDS)
    ]
    random.Random(seed).shuffle(filtered)
    return searches, filtered


def expected_facets(args: dict[str, str]) -> int:
    kinds = [search.KINDS[args["kind"]]] if "kind" in args else list(search.KINDS.values())
    return sum(len(kind.facets) for kind in kinds)


def facets_missing(html: str, args: dict[str, str]) -> int:
    present = len(re.findall(r'<div class="facet" data-facet="', html))
    return expected_facets(args) - present + html.count("not counted:")


def direct_seconds(conn: sqlite3.Connection, args: dict[str, str]) -> float:
    """The page's statements (rows, capped count, facets of each kind shown) run directly in SQLite."""
    match = search.match_expression(args["q"])
    started = time.perf_counter()
    for kind in search.KINDS.values():
        if args.get("kind") not in (None, kind.name):
            continue
        filters = {facet.name: args[facet.name] for facet in kind.facets if args.get(facet.name)}
        params = kind.params(match, filters, limit=20 if "kind" in args else 10)
        params["floor"] = conn.execute(kind.count_sql(filters), params).fetchone()[1]
        for sql in (kind.rows_sql(filters), kind.facets_sql(filters)):
            conn.execute(sql, params).fetchall()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(CHOKEPOINT), "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"chokepoint serve stopped: {server.stderr.read().decode()[-500:]}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/search?q=gallium", timeout=30).raise_for_status()
            return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("chokepoint serve did not answer within 300 s")


class Results:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {"search": [], "filtered": []}
        self.errors: list[str] = []
        self.missing: list[int] = []


async def client(http: httpx.AsyncClient, base: str, rng: random.Random, mix, until: float, results: Results) -> None:
    searches, filtered = mix
    while time.monotonic() < until:
        kind = "search" if rng.random() < 0.8 else "filtered"
        args = rng.choice(searches if kind == "search" else filtered)
        started = time.perf_counter()
        try:
            response = await http.get(f"{base}/search?{urlencode(args)}")
        except httpx.HTTPError as error:
            results.errors.append(f"{args}: {type(error).__name__}")
            continue
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            results.errors.append(f"{args}: HTTP {response.status_code}")
            continue
        results.latency[kind].append(elapsed)
        results.missing.append(facets_missing(response.text, args))


async def load(base: str, clients: int, seconds: float, seed: int) -> Results:
    results = Results()
    mix = requests(seed)
    until = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        await asyncio.gather(
            *(client(http, base, random.Random(f"{seed}/{n}"), mix, until, results) for n in range(clients))
        )
    return results


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(value: float) -> str:
    return f"{value * 1000:,.0f}"


def single_client(base: str, conn: sqlite3.Connection, repeat: int, mix) -> list[tuple[str, float, float]]:
    """(request, page median seconds with one client, direct SQLite median seconds) for each distinct request."""
    rows = []
    with httpx.Client(timeout=60) as http:
        for args in [*mix[0], *mix[1][:: len(mix[1]) // 12]]:
            page, direct = [], []
            for _ in range(repeat):
                started = time.perf_counter()
                http.get(f"{base}/search?{urlencode(args)}").raise_for_status()
                page.append(time.perf_counter() - started)
                direct.append(direct_seconds(conn, args))
            rows.append((urlencode(args), statistics.median(page), statistics.median(direct)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a database built by bench/scale.py")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--repeat", type=int, default=5, help="runs per request in the one-client comparison")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    total = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    print(f"{total:,} documents, {conn.execute('SELECT count(*) FROM listings').fetchone()[0]:,} listings")
    listings = conn.execute("SELECT count(*) FROM listings").fetchone()[0]
    for word in (*WORDS, *PARTY_WORDS):
        match = search.match_expression(word)
        shares = [
            conn.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?", [match]).fetchone()[0] / n
            for fts, n in (("documents_search", total), ("listings_search", listings))
        ]
        print(f"  {word}: {shares[0]:.2%} of documents, {shares[1]:.2%} of listings")

    port = free_port()
    server = start_server(args.db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        mix = requests(args.seed)
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        results = asyncio.run(load(base, args.clients, args.seconds, args.seed))
        print(f"load average after {args.seconds:.0f} s: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        answered = results.latency["search"] + results.latency["filtered"]
        print(f"\n{args.clients} clients, {args.seconds:.0f} s: {len(answered):,} answers "
              f"({len(answered) / args.seconds:.1f}/s), {len(results.errors)} errors, "
              f"facets missing: {sum(results.missing)} in {sum(1 for m in results.missing if m)} responses")  # fmt: skip
        print("| requests | n | p50 ms | p95 ms | p99 ms |")
        print("|---|---|---|---|---|")
        for name, values in (*results.latency.items(), ("all", answered)):
            print(f"| {name} | {len(values):,} | {ms(percentile(values, 0.5))} | {ms(percentile(values, 0.95))} | "
                  f"{ms(percentile(values, 0.99))} |")  # fmt: skip
        for error in results.errors[:5]:
            print(f"  error: {error}")
        print("\none client, median of", args.repeat, "runs:")
        print("| request | page ms | statements in SQLite ms | page / SQLite |")
        print("|---|---|---|---|")
        for request, page, direct in single_client(base, conn, args.repeat, mix):
            print(f"| {request} | {ms(page)} | {ms(direct)} | {page / direct:.1f}x |")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
