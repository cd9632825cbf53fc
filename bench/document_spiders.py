"""Crawl speed of the document spiders (public inspection, CHIPS, EU trade defence, FSR).

Each crawl is the whole `chokepoint crawl` process, through Scrapy, into a
fresh database, then the same crawl again (nothing changed). The public-
inspection and CHIPS crawls read the recorded Federal Register page of 1,000
real documents (the public-inspection one reshaped into an issue in a
temporary directory: ten times a busy day); the EU crawls read the bundled
samples, which are small: for them the figure is the fixed cost of a crawl.

    .venv/bin/python bench/document_spiders.py [--corpus ../shared/corpus] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from crawl import ROOT, crawl  # bench/crawl.py: one `chokepoint crawl` process

SAMPLES = ROOT / "pipeline" / "demo_data"
FR = "federal_register/fr_api_documents_2024_page1_per_page1000.json"


def as_issue(page_path: Path, out: Path) -> int:
    """The recorded documents page as one public-inspection issue (the fields the spider asks for)."""
    results = []
    for record in json.loads(page_path.read_text())["results"]:
        number = record["document_number"]
        results.append(
            {
                "agencies": [a for a in record["agencies"] if a.get("parent_id")] or record["agencies"],
                "docket_numbers": record["docket_ids"],
                "document_number": number,
                "editorial_note": None,
                "filed_at": None,
                "filing_type": "regular",
                "html_url": None,
                "json_url": None,
                "pdf_updated_at": None,
                "pdf_url": f"https://public-inspection.federalregister.gov/{number}.pdf",
                "publication_date": record["publication_date"],
                "raw_text_url": None,
                "title": record["title"],
                "type": record["type"],
            }
        )
    out.write_text(json.dumps({"count": len(results), "results": results}))
    return len(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        issue = Path(tmp) / "current.json"
        read = {
            "federal_register_public_inspection": as_issue(options.corpus / FR, issue),
            "chips_nist": 1000,
            "eu_trade_defence": 3,
            "eu_fsr": 3,
        }
        runs = {
            "federal_register_public_inspection": issue.as_uri(),
            "chips_nist": (options.corpus / FR).as_uri(),
            "eu_trade_defence": (SAMPLES / "eu_trade_defence").as_uri(),
            "eu_fsr": (SAMPLES / "eu_fsr").as_uri(),
        }
        times: dict[str, list[float]] = {}
        for attempt in range(options.repeat):
            for spider, url in runs.items():
                db_path = Path(tmp) / f"{spider}-{attempt}.db"
                for key in (spider, f"{spider} (again)"):
                    start = time.perf_counter()
                    summary = crawl(spider, url, db_path, "--expect", "0:100000")
                    times.setdefault(key, []).append(time.perf_counter() - start)
                    print(f"[{attempt + 1}] {key}: {times[key][-1]:.2f} s  {summary}", file=sys.stderr)

    print("| crawl | records read | median s | records/s |")
    print("|---|---|---|---|")
    for key, values in times.items():
        median = statistics.median(values)
        records = read[key.removesuffix(" (again)")]
        print(f"| {key} | {records:,} | {median:.2f} | {records / median:,.0f} |")


if __name__ == "__main__":
    main()
