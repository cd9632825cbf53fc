"""A large published database built through the store's own write path, timed beside a plain executemany.

    .venv/bin/python bench/scale.py --out /tmp/scale                          # 1,000,000 documents, 500,000 listings
    .venv/bin/python bench/scale.py --documents 100000 --listings 50000 --out /tmp/scale

Synthetic Federal-Register-like documents (titles, abstracts, agencies, dates,
types, dimension and industry tags) and sanctions-list-like listings (names,
aliases, addresses, countries, programs, list codes), seeded: the same arguments
build the same rows. Documents land as crawls do, `--batch` per
`pipeline.store.apply_documents` call (plan, insert, change log, search index
and facet tables by trigger); listings as one complete `apply_snapshot` per
source. After each crawl, the rows it wrote (documents or listings, and the
change log) are loaded with one plain `sqlite3` `executemany` per table into a
second database with the same schema (same indexes, same search-index and facet
triggers): the two loads take turns, so both see the same machine load, and the
ratio is what the store's own code costs. Each phase's time,
rows per second and the file sizes are printed with the load average (the
machine is shared). `<out>/store.db` is kept for `bench/search_load.py`.

Some words are planted at fixed rates so searches span known match rates (see
PLANTED); the printed match rates are measured on the built database.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlite_utils import Database  # noqa: E402

from classifier.labels import DIMENSIONS, INDUSTRIES  # noqa: E402
from pipeline.store import apply_documents, apply_snapshot, ensure_schema, finish_run, start_run  # noqa: E402
from pipeline.store.search import register_functions  # noqa: E402

NOW = "2026-11-30T00:00:00+00:00"

# Words planted in documents' abstracts at these rates (and nowhere else): searches for them match these shares.
PLANTED = {
    "export": 0.60,
    "commerce": 0.30,
    "licensing": 0.10,
    "semiconductor": 0.05,
    "sanctions": 0.02,
    "huawei": 0.01,
    "gallium": 0.003,
}
AGENCIES = (
    ("Industry and Security Bureau", 0.35),
    ("Commerce Department", 0.30),
    ("Foreign Assets Control Office", 0.12),
    ("State Department", 0.08),
    ("International Trade Administration", 0.07),
    ("Treasury Department", 0.04),
    ("Federal Communications Commission", 0.02),
    ("Defense Department", 0.02),
)
TYPES = (("Notice", 0.62), ("Rule", 0.22), ("Proposed Rule", 0.12), ("Presidential Document", 0.04))
JURISDICTIONS = (("US", 0.90), ("EU", 0.05), ("CN", 0.03), ("JP", 0.02))
TITLE_HEADS = (
    "Additions to the Entity List",
    "Revisions to the Export Administration Regulations",
    "Implementation of Additional Controls",
    "Removal of Certain Entries",
    "Initiation of Five-Year Reviews",
    "Request for Public Comments",
    "Information Collection Activities",
    "Amendments to Licensing Policy",
    "Final Determination of Sales at Less Than Fair Value",
    "Designation of Foreign Persons",
)
TITLE_TAILS = (
    "advanced computing items",
    "integrated circuits",
    "certain chemical precursors",
    "aircraft parts",
    "telecommunications equipment",
    "critical minerals",
    "lithium-ion batteries",
    "steel wire rod",
    "quantum items",
    "surveillance technology",
    "military end users",
    "biological agents",
)
FILLER = (
    "the bureau amends the regulations to add persons determined to be acting contrary to the national "
    "security or foreign policy interests of the united states this rule also clarifies requirements for "
    "items subject to the regulations and revises license review policy for certain destinations the "
    "department is taking this action to protect national security interested parties may submit comments "
    "on the proposed changes before the date set out in this notice the agency invites comments on the "
    "burden estimate and on ways to minimize the burden of the collection of information"
).split()
NAME_PARTS = (
    "Shenzhen Guangdong Beijing Shanghai Tianjin Moscow Tehran Pyongyang Minsk Dubai Hong Kong Harbin Wuhan "
    "Novosibirsk Chengdu Sinopec Rostec Kalashnikov Almaz Zhongxing Hikvision Dahua Inspur Sugon Phytium "
    "Nanjing Xian Kazan Tula Isfahan Shiraz Omsk Qingdao Dalian"
).split()
NAME_KINDS = (
    "Technology Co., Ltd.",
    "Electronics Company",
    "Trading LLC",
    "Research Institute",
    "Industrial Group",
    "Aviation Plant",
    "Shipping Limited",
    "Import Export Co.",
)
LISTING_SOURCES = (
    ("csl", (("EL", 0.35), ("SDN", 0.30), ("MEU", 0.05), ("UVL", 0.05), ("DPL", 0.15), ("NS-MBS", 0.10))),
    ("ofac_sdn", (("SDN", 1.0),)),
    ("un_consolidated", (("UN", 1.0),)),
)
COUNTRIES = (("CN", 0.35), ("RU", 0.30), ("IR", 0.12), ("KP", 0.05), ("AE", 0.06), ("BY", 0.04), ("HK", 0.08))
PROGRAMS = ("RUSSIA-EO14024", "IRAN", "DPRK3", "SDGT", "NPWMD", "UKRAINE-EO13662", "CMIC-EO13959", "EAR")


def pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def tags(rng: random.Random, names: tuple[str, ...], most: int) -> list[str]:
    return sorted(rng.sample(names, rng.randint(0, most)))


def document(rng: random.Random, number: int) -> dict:
    year = min(2026, 1994 + number // 31_250)  # older documents first, as rowids grow
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    words = rng.choices(FILLER, k=rng.randint(35, 70))
    for word, rate in PLANTED.items():
        if rng.random() < rate:
            words.insert(rng.randrange(len(words)), word)
    agencies = sorted({pick(rng, AGENCIES) for _ in range(rng.randint(1, 2))})
    volume, page = year - 1935, rng.randint(1, 90_000)
    doc_number = f"{year}-{number:07d}"
    return {
        "id": f"federal_register:{doc_number}",
        "source": "federal_register",
        "document_number": doc_number,
        "title": f"{rng.choice(TITLE_HEADS)}: {rng.choice(TITLE_TAILS)}",
        "publication_date": date,
        "type": pick(rng, TYPES),
        "publisher": agencies[0],
        "jurisdiction": pick(rng, JURISDICTIONS),
        "citation": f"{volume} FR {page}",
        "abstract": " ".join(words).capitalize() + ".",
        "agencies": agencies,
        "html_url": f"https://www.federalregister.gov/documents/{date.replace('-', '/')}/{doc_number}/x",
        "volume": volume,
        "start_page": page,
        "end_page": page + rng.randint(0, 40),
        "language": "en",
        "dimensions": tags(rng, DIMENSIONS, 2),
        "industries": tags(rng, INDUSTRIES, 3),
    }


def listing(rng: random.Random, source: str, lists: tuple, number: int) -> dict:
    name = f"{rng.choice(NAME_PARTS)} {rng.choice(NAME_PARTS)} {rng.choice(NAME_KINDS)}"
    countries = sorted({pick(rng, COUNTRIES) for _ in range(rng.randint(1, 2))})
    return {
        "id": f"{source}:{number}",
        "source": source,
        "list_code": pick(rng, lists),
        "name": name,
        "alt_names": [f"{rng.choice(NAME_PARTS)} {rng.choice(NAME_KINDS)}" for _ in range(rng.randint(0, 3))],
        "addresses": [f"{rng.randint(1, 999)} {rng.choice(NAME_PARTS)} Road, {rng.choice(NAME_PARTS)}"],
        "countries": countries,
        "programs": sorted(rng.sample(PROGRAMS, rng.randint(0, 2))),
        "start_date": f"{rng.randint(1998, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "list_name": f"{source} list",
        "remarks": " ".join(rng.choices(FILLER, k=rng.randint(0, 12))) or None,
        "dimensions": tags(rng, DIMENSIONS, 2),
        "industries": tags(rng, INDUSTRIES, 2),
    }


def document_batches(seed: int, total: int, batch: int) -> Iterator[list[dict]]:
    for start in range(0, total, batch):
        rng = random.Random(f"{seed}/documents/{start}")
        yield [document(rng, number) for number in range(start, min(total, start + batch))]


def listing_snapshots(seed: int, total: int) -> Iterator[tuple[str, list[dict]]]:
    shares = (0.6, 0.3, 0.1)
    for (source, lists), share in zip(LISTING_SOURCES, shares, strict=True):
        rng = random.Random(f"{seed}/listings/{source}")
        yield source, [listing(rng, source, lists, number) for number in range(int(total * share))]


class Clock:
    def __init__(self) -> None:
        self.phases: dict[str, float] = {}

    def add(self, phase: str, seconds: float) -> None:
        self.phases[phase] = self.phases.get(phase, 0.0) + seconds


class Plain:
    """The plain load: the rows the store just wrote, copied with one executemany per table into `path`."""

    def __init__(self, path: Path, store: Path) -> None:
        db = Database(path)
        ensure_schema(db)
        db.close()
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA synchronous=NORMAL")  # as the store's connections
        register_functions(Database(self.conn))
        self.source = sqlite3.connect(store)
        self.copied = {"documents": 0, "listings": 0, "changes": 0}

    def copy(self, table: str, clock: Clock, phase: str) -> None:
        columns = [row[1] for row in self.source.execute(f"PRAGMA table_info([{table}])")]
        names = ", ".join(f"[{c}]" for c in columns)
        rows = self.source.execute(
            f"SELECT rowid, {names} FROM [{table}] WHERE rowid > ? ORDER BY rowid", [self.copied[table]]
        ).fetchall()
        if not rows:
            return
        self.copied[table] = rows[-1][0]
        values = [row[1:] for row in rows]
        started = time.perf_counter()
        self.conn.execute("BEGIN")
        self.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' * len(columns))})", values)
        self.conn.execute("COMMIT")
        clock.add(phase, time.perf_counter() - started)


def build(store: Path, plain: Path, args: argparse.Namespace, clock: Clock) -> None:
    """Each crawl through the store, then the same rows by executemany, in turn: both see the same machine load."""
    db = Database(store)
    ensure_schema(db)
    copy = Plain(plain, store)
    done = 0
    for records in document_batches(args.seed, args.documents, args.batch):
        started = time.perf_counter()
        run_id = start_run(db, "federal_register", "documents", "https://www.federalregister.gov/api/v1", NOW)
        counts = apply_documents(db, run_id, records, NOW)
        finish_run(db, run_id, "succeeded", NOW, items_seen=len(records), added=counts.added)
        clock.add("store: documents", time.perf_counter() - started)
        copy.copy("documents", clock, "executemany: documents")
        copy.copy("changes", clock, "executemany: documents")  # the store logs each new document too
        done += len(records)
        print(f"  {done:,} documents", file=sys.stderr)
    for source, records in listing_snapshots(args.seed, args.listings):
        started = time.perf_counter()
        run_id = start_run(db, source, "lists", f"https://example.invalid/{source}", NOW)
        counts = apply_snapshot(db, run_id, source, records, NOW)
        finish_run(db, run_id, "succeeded", NOW, items_seen=len(records), added=counts.added)
        clock.add("store: listings", time.perf_counter() - started)
        copy.copy("listings", clock, "executemany: listings")
        copy.copy("changes", clock, "executemany: listings")
        print(f"  {source}: {len(records):,} listings", file=sys.stderr)
    db.close()


def match_rates(path: Path, documents: int) -> dict[str, float]:
    db = Database(path)
    return {
        word: db.execute("SELECT count(*) FROM documents_search WHERE documents_search MATCH ?", [word]).fetchone()[0]
        / documents
        for word in PLANTED
    }


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--listings", type=int, default=500_000)
    parser.add_argument("--batch", type=int, default=50_000, help="documents per crawl (apply_documents call)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", type=Path, required=True, help="folder for store.db and plain.db")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    store, plain = args.out / "store.db", args.out / "plain.db"
    for path in (store, plain):
        for part in path.parent.glob(path.name + "*"):
            part.unlink()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    clock = Clock()
    started = time.perf_counter()
    build(store, plain, args, clock)
    wall = time.perf_counter() - started
    plain_load = sum(seconds for phase, seconds in clock.phases.items() if phase.startswith("executemany"))
    store_write = sum(seconds for phase, seconds in clock.phases.items() if phase.startswith("store"))
    with sqlite3.connect(store) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(plain) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"\n{args.documents:,} documents, {args.listings:,} listings, seed {args.seed}, batch {args.batch:,}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| phase | seconds | rows per second |")
    print("|---|---|---|")
    rows = {"documents": args.documents, "listings": args.listings}
    for phase, seconds in clock.phases.items():
        kind = phase.split(": ")[1]
        count = rows.get(kind)
        print(f"| {phase} | {seconds:.1f} | {f'{count / seconds:,.0f}' if count else ''} |")
    print(f"| store, all (generating the records excluded) | {store_write:.1f} | |")
    print(f"| executemany, all | {plain_load:.1f} | |")
    print(f"\nstore / executemany: {store_write / plain_load:.2f}x (wall time of both, generating the records and reading them back included: "
          f"{wall:.0f} s)")  # fmt: skip
    print(f"file size: store.db {size_mb(store):,.0f} MB, plain.db {size_mb(plain):,.0f} MB")
    db = Database(store)
    for table in ("documents", "listings", "changes", "document_facets", "listing_facets"):
        print(f"  {table}: {db[table].count:,} rows")
    print("match rates of planted words: " + ", ".join(
        f"{word} {rate:.2%}" for word, rate in match_rates(store, args.documents).items()))  # fmt: skip


if __name__ == "__main__":
    main()
