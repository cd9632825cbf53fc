"""Crawl speed of the OFAC, UN and DPL spiders on the real recorded files.

Each crawl is the whole `chokepoint crawl ... --url file://...` process into a
fresh database, then the same crawl again (nothing changed). A second table
times the enhanced-XML parser alone (no Scrapy, no store), the part that grows
with the ~18,000-entity live SDN export, which is not recorded.

    .venv/bin/python bench/list_spiders.py [--corpus ../shared/corpus] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spiders.ofac import enhanced_xml  # noqa: E402
from spiders.ofac.ofac_consolidated import OfacConsolidatedSpider  # noqa: E402

CHOKEPOINT = ROOT / ".venv" / "bin" / "chokepoint"
CRAWLS = (
    ("ofac_sdn", "ofac/sdn_csv_2021-07/sdn.csv", 8_976),
    ("ofac_consolidated", "ofac/CONS_ENHANCED_2025-01-14.XML", 446),
    ("ofac_consolidated", "ofac/cons_csv_2025-12/cons_prim.csv", 442),
    ("un_consolidated", "un/UN_consolidated_2026-02-27.xml", 1_003),
    ("bis_denied", "bis_lists/dpl_2023-11.txt", 665),
)


def crawl(spider: str, url: str, db_path: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [str(CHOKEPOINT), "crawl", spider, "--url", url, "--db", str(db_path)], capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"crawl {spider} failed: {result.stderr.strip().splitlines()[-1]}")
    return time.perf_counter() - start


def parse_enhanced(path: Path) -> tuple[float, int]:
    body = path.read_bytes()
    spider = OfacConsolidatedSpider(url=path.as_uri())
    start = time.perf_counter()
    count = sum(1 for _ in enhanced_xml.read_entities(body, spider, path.name, enhanced_xml.PublicationInfo()))
    return time.perf_counter() - start, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    print("| spider | file | listings | first crawl s | re-run s | listings/s (first) |")
    print("|---|---|---|---|---|---|")
    for spider, relative, listings in CRAWLS:
        firsts, reruns = [], []
        for _ in range(options.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                db_path = Path(tmp) / "bench.db"
                url = (options.corpus / relative).as_uri()
                firsts.append(crawl(spider, url, db_path))
                reruns.append(crawl(spider, url, db_path))
        first, rerun = statistics.median(firsts), statistics.median(reruns)
        print(
            f"| {spider} | {Path(relative).name} | {listings:,} | {first:.2f} | {rerun:.2f} | {listings / first:,.0f} |"
        )

    xml = options.corpus / "ofac/CONS_ENHANCED_2025-01-14.XML"
    times = [parse_enhanced(xml) for _ in range(options.repeat)]
    seconds, entities = statistics.median(t for t, _ in times), times[0][1]
    size_mb = xml.stat().st_size / 1e6
    print()
    print("| parser | file | entities | MB | median s | entities/s |")
    print("|---|---|---|---|---|---|")
    print(f"| enhanced XML | {xml.name} | {entities} | {size_mb:.1f} | {seconds:.3f} | {entities / seconds:,.0f} |")


if __name__ == "__main__":
    main()
