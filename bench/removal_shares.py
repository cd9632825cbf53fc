"""How much of a list really goes at once: the evidence behind the crawl gate's removal guard (pipeline/crawl/gate.py).

The recorded corpus holds no two consecutive daily downloads of one list, so this
measures what it can: the share of a list's entries gone between two real files
months apart (an upper bound for what any one day of that span removed), and the
removals the dated histories give day by day.

- OFAC SDN: the legacy sdn.csv of July 2021 against the SDN rows of the CSL of May
  2022, by OFAC entry number (the CSL's `entity_number`);
- OFAC non-SDN: the enhanced export of 2025-01-10 against cons_prim.csv of 2025-12,
  by entry number;
- the SSI list: the CSL of May 2022 against the (partial) CSL of November 2023, by
  entry number (its 288 SSI rows look whole: 290 before);
- the Denied Persons List: the CSL of May 2022 against dpl.txt of November 2023, by
  normalised name (the DPL has no ids);
- the DoD 1260H list (OpenSanctions' dated table): each release's removals;
- China's lists (OpenSanctions' dated table of MOFCOM/MFA designations): each
  day's removals.

    .venv/bin/python bench/removal_shares.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
ENHANCED = "{https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML}"


def list_code(source: str) -> str:
    match = re.search(r"\(([^)]+)\)", source)
    return match.group(1).removesuffix(" List") if match else source


def csl_rows(path: Path) -> dict[str, list[dict[str, str]]]:
    """Rows per list code; a truncated file is read up to its last whole row."""
    by_list: dict[str, list[dict[str, str]]] = defaultdict(list)
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    try:
        for row in reader:
            if row["source"] != "source":  # the 2023 subset repeats its header once
                by_list[list_code(row["source"])].append(row)
    except csv.Error:
        pass  # the 2023 subset ends inside a quoted address
    return by_list


def ofac_numbers(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8").rstrip("\x1a\r\n")
    return {row[0] for row in csv.reader(io.StringIO(text)) if row}


def normalised(name: str) -> str:
    return " ".join(name.casefold().split())


def share(label: str, span: str, before: set[str], after: set[str]) -> tuple:
    gone = len(before - after)
    return (label, span, len(before), gone, gone / len(before))


def measure(corpus: Path) -> list[tuple]:
    csl_2022 = csl_rows(corpus / "csl" / "csl_consolidated_2022-05_full.csv")
    csl_2023 = csl_rows(corpus / "csl" / "csl_consolidated_2023-11_subset.csv")
    rows = [
        share(
            "OFAC SDN (sdn.csv → CSL SDN rows)",
            "2021-07 → 2022-05",
            ofac_numbers(corpus / "ofac" / "sdn_csv_2021-07" / "sdn.csv"),
            {row["entity_number"] for row in csl_2022["SDN"]},
        ),
        share(
            "OFAC non-SDN (enhanced export → cons_prim.csv)",
            "2025-01 → 2025-12",
            {
                e.get("id")
                for e in etree.parse(str(corpus / "ofac" / "CONS_ENHANCED_2025-01-14.XML")).iter(f"{ENHANCED}entity")
            },
            ofac_numbers(corpus / "ofac" / "cons_csv_2025-12" / "cons_prim.csv"),
        ),
        share(
            "SSI (CSL → CSL)",
            "2022-05 → 2023-11",
            {row["entity_number"] for row in csl_2022["SSI"]},
            {row["entity_number"] for row in csl_2023["SSI"]},
        ),
        share(
            "Denied Persons List (CSL → dpl.txt, by name)",
            "2022-05 → 2023-11",
            {normalised(row["name"]) for row in csl_2022["DPL"]},
            {
                normalised(row["Name"])
                for row in csv.DictReader(
                    io.StringIO((corpus / "bis_lists" / "dpl_2023-11.txt").read_text(encoding="utf-8")), delimiter="\t"
                )
            },
        ),
    ]
    rows += dated_removals(
        "DoD 1260H (one release)",
        corpus / "us_other" / "opensanctions_dod_1260h_chinese_milcorps.csv",
        "Start date",
        "End date",
        "%Y-%m-%d",
    )
    rows += dated_removals(
        "China, MOFCOM/MFA lists (one day)",
        corpus / "mofcom" / "opensanctions_cn_sanctions.csv",
        "Date",
        "End date",
        "%d.%m.%Y",
    )
    return rows


def dated_removals(label: str, path: Path, start: str, end: str, form: str) -> list[tuple]:
    """For each day entries ended: how many were listed just before, how many ended (the largest such day)."""

    def day(value: str):
        try:
            return datetime.strptime(value.strip(), form).date()
        except ValueError:
            return None

    entries = [(day(row[start]), day(row[end])) for row in csv.DictReader(path.open(encoding="utf-8"))]
    ends = sorted({ended for _, ended in entries if ended})
    days = []
    for ended in ends:
        listed = sum(1 for began, gone in entries if began and began < ended and (gone is None or gone >= ended))
        removed = sum(1 for _, gone in entries if gone == ended)
        days.append((label, ended.isoformat(), listed, removed, removed / listed if listed else 0.0))
    return [max(days, key=lambda row: (row[3], row[4]))] if days else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    corpus = parser.parse_args().corpus
    print("| list | between | entries before | gone | share |")
    print("|---|---|---|---|---|")
    for label, span, before, gone, fraction in measure(corpus):
        print(f"| {label} | {span} | {before:,} | {gone:,} | {fraction:.1%} |")


if __name__ == "__main__":
    main()
