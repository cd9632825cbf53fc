"""How many Federal Register citations on the real CSL become a backfill request for one document.

    .venv/bin/python bench/links.py [CSV]   (default ../shared/corpus/csl/csl_consolidated_2022-05_full.csv)

Rows of the Entity List (EL), MEU List, Denied Persons List (DPL) and ITAR
Debarred list (DTC), read with the CSL spider's own list codes. A citation is
each "<volume> FR" mark in a row's `federal_register_notice` (with or without
dots: "87 FR", "68 F.R.", "81.F.R."); it parses when a page follows it
(pipeline/store/citations.py, the parser landing uses). A parsed citation of
volume 59 (1994) or later becomes one backfill request (the citation and its
list's agency) for the one document whose pages cover it; older ones parse but
the Federal Register API has nothing to fetch. A row with text but no FR mark at
all counts as one citation that does not parse.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.store.citations import FR_CITATION, LIST_AGENCIES, parse_citations  # noqa: E402

DEFAULT = ROOT.parent / "shared/corpus/csl/csl_consolidated_2022-05_full.csv"
MARK = re.compile(r"\b\d{1,3}\s*\.?\s*F\.?\s?R\b\.?")
LIST_CODE = re.compile(r"\(([^)]+)\)")


def main(path: Path) -> None:
    marks, parsed, in_api, rows_with, rows_ok = Counter(), Counter(), Counter(), Counter(), Counter()
    requests: set[tuple[str, str]] = set()
    unparsed: Counter = Counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            match = LIST_CODE.search(row["source"])
            code = match.group(1).removesuffix(" List") if match else ""
            text = (row.get("federal_register_notice") or "").strip()
            if code not in LIST_AGENCIES or not text:
                continue
            rows_with[code] += 1
            found = parse_citations(text)
            n_marks = max(len(MARK.findall(text)), 1)
            marks[code] += n_marks
            n_parsed = len(FR_CITATION.findall(text))
            parsed[code] += min(n_parsed, n_marks)
            if n_parsed >= n_marks:
                rows_ok[code] += 1
            else:
                unparsed[text] += 1
            for citation in found:
                if citation.in_api:
                    in_api[code] += 1
                    requests.add((str(citation), LIST_AGENCIES[code]))
    print(f"{path.name}")
    print(f"{'list':5} {'rows':>6} {'rows ok':>8} {'citations':>10} {'parsed':>7} {'share':>8} {'1994+':>7}")
    for code in LIST_AGENCIES:
        share = parsed[code] / marks[code] if marks[code] else float("nan")
        print(
            f"{code:5} {rows_with[code]:6,} {rows_ok[code]:8,} {marks[code]:10,} {parsed[code]:7,} "
            f"{share:8.2%} {in_api[code]:7,}"
        )
    total, ok = sum(marks.values()), sum(parsed.values())
    print(
        f"{'all':5} {sum(rows_with.values()):6,} {sum(rows_ok.values()):8,} {total:10,} {ok:7,} {ok / total:8.2%} "
        f"{sum(in_api.values()):7,}"
    )
    print(f"distinct backfill requests (citation, agency), 1994 on: {len(requests):,}")
    years = {int(c.split()[0]) + 1935 for c, _ in requests}
    print(
        f"API searches a first backfill makes (one per cited year, all agencies at once, before paging): {len(years):,}"
    )
    print("rows with a citation that does not parse:")
    for text, count in unparsed.most_common():
        print(f"  {count} x {text!r}")


def graph(path: Path) -> None:
    """The party graph on the same file: parents named, found among the listings, shared addresses, time."""
    import json
    import time

    from pipeline.linkage.parties import compute_links

    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            split = lambda cell: json.dumps([v.strip() for v in (cell or "").split(";") if v.strip()])  # noqa: E731
            rows.append(
                {
                    "id": f"{number}",
                    "name": row["name"].strip(),
                    "alt_names": split(row.get("alt_names")),
                    "addresses": split(row.get("addresses")),
                    "remarks": row.get("remarks") or "",
                    "entity_type": row.get("type") or None,
                }
            )
    started = time.monotonic()
    links = compute_links(rows)
    seconds = time.monotonic() - started
    parents = [k for k in links if k["kind"] == "linked_to"]
    children = {k["listing_id"] for k in parents}
    found = {k["listing_id"] for k in parents if k["linked_id"]}
    named = {(k["listing_id"], k["target_name"]) for k in parents}
    shared = [k for k in links if k["kind"] == "shared_address"]
    print(f"party graph over {len(rows):,} rows in {seconds:.1f} s:")
    print(f"  {len(children):,} listings name a parent ({len(named):,} parent names);")
    print(f"  {len(found):,} of them ({len(found) / len(children):.1%}) have a parent found among the listings;")
    print(f"  {len(shared) // 2:,} pairs of parties share a specific address.")


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    main(source)
    graph(source)
