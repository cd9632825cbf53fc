"""Parse speed of the FCC, METI and MOFCOM spiders on the recorded corpus, plus whole crawls.

- fcc_covered: the recorded Covered List table, callback called directly.
- meti_end_user, text: the recorded Russia export-ban list (561 entries) as extracted text.
- meti_end_user, PDF: the same list laid out as a PDF (40 lines a page) and read back with
  pdfplumber, as a live crawl reads METI's PDFs.
- whole crawls: `chokepoint crawl meti_end_user --url <corpus meti dir>` (644 entries)
  into a fresh database, then again (nothing changed).

    .venv/bin/python bench/lists_b.py [--corpus ../shared/corpus] [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spiders.fcc.fcc_covered import FccCoveredSpider  # noqa: E402
from spiders.kit.offline import parse_items, response_for  # noqa: E402
from spiders.meti import sample_pdf  # noqa: E402
from spiders.meti.meti_end_user import MetiEndUserSpider  # noqa: E402

CHOKEPOINT = ROOT / ".venv" / "bin" / "chokepoint"


def best_of(repeat: int, fn) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = len(fn())
        times.append(time.perf_counter() - start)
    return min(times), count


def crawl_seconds(url: str, db: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            str(CHOKEPOINT),
            "crawl",
            "meti_end_user",
            "--url",
            url,
            "--db",
            str(db),
            "--private-db",
            str(db.with_name("private.db")),
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fcc = args.corpus / "us_other" / "fcc_covered_list_table.html"
    russia = args.corpus / "meti" / "250912_list_russia_tokutei.pdf.txt"

    rows = []
    seconds, count = best_of(args.repeat, lambda: parse_items(FccCoveredSpider(url="file:///bench"), response_for(fcc)))
    rows.append(("fcc_covered, recorded table", count, seconds))
    spider = MetiEndUserSpider(url="file:///bench")
    seconds, count = best_of(
        args.repeat, lambda: parse_items(spider, response_for(russia), callback=spider.parse_document)
    )
    rows.append(("meti_end_user, Russia list as text", count, seconds))
    with tempfile.TemporaryDirectory() as folder:
        lines = russia.read_text(encoding="utf-8").splitlines()
        pages = [[[line] for line in lines[i : i + 40]] for i in range(0, len(lines), 40)]
        pdf = sample_pdf.build(Path(folder) / "list_russia_tokutei.pdf", pages)
        seconds, count = best_of(
            args.repeat, lambda: parse_items(spider, response_for(pdf), callback=spider.parse_document)
        )
        rows.append((f"meti_end_user, Russia list as a {len(pages)}-page PDF", count, seconds))
        db = Path(folder) / "bench.db"
        first = crawl_seconds((args.corpus / "meti").as_uri() + "/", db)
        second = crawl_seconds((args.corpus / "meti").as_uri() + "/", db)

    print(f"{'what':<48} {'items':>6} {'seconds':>8} {'items/s':>9}")
    for what, count, seconds in rows:
        print(f"{what:<48} {count:>6} {seconds:>8.3f} {count / seconds:>9,.0f}")
    print(f"{'whole crawl, corpus meti dir (644), first':<48} {644:>6} {first:>8.2f}")
    print(f"{'whole crawl, same again (no change)':<48} {644:>6} {second:>8.2f}")
    print(f"(parse rows: best of {args.repeat}; whole crawls: one run each, including process start)")


if __name__ == "__main__":
    main()
