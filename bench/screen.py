"""Screening benchmark: quality on the evaluation set, the yente peer suite, and speed.

    .venv/bin/python bench/screen.py                 # all three, the CSL crawled into a temporary database
    .venv/bin/python bench/screen.py --db data/chokepoint.db --only quality

Quality: recall and false-positive rate on pipeline/screening/data/evaluation_set.csv
(the whole set and each of its parts, v1 and v2) against the real May 2022
Consolidated Screening List, next to plain rapidfuzz WRatio
over every name and alias (at its best threshold with at most 3% false positives).
Peer suite: OpenSanctions yente's UN fixtures against the real UN list.
Speed: 10,000 counterparty names against the full list, index built once.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.screening import evaluation  # noqa: E402
from pipeline.screening.match.index import NameIndex, as_list  # noqa: E402
from pipeline.screening.match.names import listing_names  # noqa: E402
from pipeline.screening.match.screener import DEFAULT_THRESHOLD, Query, Screener  # noqa: E402
from pipeline.screening.run import screen_queries  # noqa: E402
from pipeline.store import listed as published  # noqa: E402

CSL = ROOT.parent / "shared" / "corpus" / "csl" / "csl_consolidated_2022-05_full.csv"


def published_db(path: str | None) -> Path:
    if path:
        return Path(path)
    target = Path(tempfile.mkdtemp()) / "csl.db"
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "chokepoint"), "crawl", "csl", "--url", CSL.as_uri(), "--db", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def quality(rows: list[dict]) -> None:
    from rapidfuzz import fuzz, process, utils

    cases = evaluation.load_cases()
    missing = evaluation.check_expected_are_listed(cases, [row["name"] for row in rows])
    if missing:
        raise SystemExit(f"evaluation set names listings the list does not have: {missing}")
    index = NameIndex(rows)
    screener = Screener(index, limit=10)
    parts = evaluation.parts(cases)
    labelled = [("whole set", cases), *((f"part {part}", chosen) for part, chosen in parts.items())]
    for label, chosen in labelled:
        listed = [case for case in chosen if case.expected]
        print(
            f"Evaluation set, {label}: {len(listed)} listed parties written as vendor masters do "
            f"({sum(1 for case in listed if case.native_script)} in Chinese characters or Cyrillic), "
            f"{len(chosen) - len(listed)} unlisted companies and people"
        )
    results = {case: screener.screen(Query(case.name, case.country)) for case in cases}
    print("\nchokepoint matcher (names, aliases, country as evidence):")
    for threshold in (0.75, DEFAULT_THRESHOLD, 0.85, 0.9):
        default = " (default)" if threshold == DEFAULT_THRESHOLD else ""
        for label, chosen in labelled:
            result = evaluation.evaluate(chosen, lambda case: [m.name for m in results[case] if m.score >= threshold])
            _report(f"threshold {threshold:.2f}{default}, {label}", result)
    for part, chosen in parts.items():
        default = evaluation.evaluate(chosen, lambda case: [m.name for m in results[case] if m.match])
        for name in default.missed:
            print(f"    missed ({part}): {name}")
        for alarm in default.false_alarms:
            print(f"    false positive ({part}): {alarm}")

    # Baseline: rapidfuzz WRatio over every name and alias, no normalisation beyond default_process.
    choices, owners = [], []
    for row in rows:
        for name in [row["name"], *as_list(row["alt_names"])]:
            choices.append(name)
            owners.append(row["name"])
    processed = [utils.default_process(choice) for choice in choices]
    best: dict[evaluation.Case, list[tuple[float, str]]] = {}
    for case in cases:
        found = process.extract(
            utils.default_process(case.name), processed, scorer=fuzz.WRatio, processor=None, limit=25, score_cutoff=70
        )
        best[case] = [(score, owners[position]) for _, score, position in found]
    print("\nrapidfuzz WRatio over names and aliases (baseline):")
    candidates = []
    for cutoff in range(80, 101):
        result = evaluation.evaluate(cases, lambda case: [name for score, name in best[case] if score >= cutoff])
        candidates.append((cutoff, result))
        if cutoff in (85, 90, 95):
            _report(f"WRatio >= {cutoff}, whole set", result)
    cutoff, result = max(
        ((c, r) for c, r in candidates if r.false_positive_rate <= 0.03), key=lambda item: (item[1].recall, -item[0])
    )
    _report(f"WRatio >= {cutoff} (best recall at <= 3% false positives), whole set", result)
    for part, chosen in parts.items():
        result = evaluation.evaluate(chosen, lambda case: [name for score, name in best[case] if score >= cutoff])
        _report(f"WRatio >= {cutoff}, part {part}", result)


def _report(label: str, result: evaluation.Result) -> None:
    print(
        f"  {label}: recall {result.recall:.3f} ({result.found}/{result.positives}), "
        f"false-positive rate {result.false_positive_rate:.3f} ({result.false_positives}/{result.negatives}), "
        f"Chinese/Cyrillic found {result.native_found}/{result.native}"
    )


def peer_suite() -> None:
    from pipeline.screening.peer_suite import measure

    started = time.perf_counter()
    outcome = measure()
    print(
        f"\nyente peer suite against the UN list ({outcome.listings} listings): treated names found "
        f"{outcome.found}/{outcome.exact} = {outcome.recall:.3f}; false positives {outcome.false_positives} "
        f"of {outcome.negatives} negatives ({time.perf_counter() - started:.1f} s)"
    )


def speed_queries(rows: list[dict], count: int, seed: int = 20220516) -> list[tuple[int, Query]]:
    """A vendor master's mix: listed names with a slip, synthetic unlisted people, unlisted-looking firms."""
    from pipeline.screening.peer_suite import persons

    rng = random.Random(seed)
    names = [name for row in rows for name in listing_names(row["name"], as_list(row["alt_names"]))]
    people = [p.full_name for p in persons("negatives_global.csv") + persons("negatives_us.csv")]
    places = ["Shenzhen", "Dubai", "Hamburg", "Ohio", "Osaka", "Lyon", "Pune", "Sao Paulo", "Rotterdam", "Busan"]
    trades = ["Precision", "Logistics", "Textiles", "Foods", "Electronics", "Plastics", "Marine", "Software"]
    forms = ["Co Ltd", "GmbH", "LLC", "S.A.", "Pvt Ltd", "Inc", "B.V.", "K.K."]
    queries = []
    for number in range(count):
        kind = number % 10
        if kind < 5:
            name = list(rng.choice(names))
            if len(name) > 4:
                position = rng.randrange(len(name))
                name[position] = rng.choice("aeiourstn")
            text = "".join(name)
        elif kind < 7:
            text = rng.choice(people)
        else:
            text = f"{rng.choice(places)} {rng.choice(trades)} {rng.choice(trades)} {rng.choice(forms)}"
        queries.append((number + 2, Query(text)))
    return queries


def speed(rows: list[dict], count: int) -> None:
    queries = speed_queries(rows, count)
    started = time.perf_counter()
    index = NameIndex(rows)
    built = time.perf_counter()
    screened = screen_queries(Screener(index), queries)
    done = time.perf_counter()
    matched = sum(1 for row in screened if any(m.match for m in row.matches))
    print(
        f"\nSpeed: index of {len(index.names):,} names and aliases ({len(rows):,} listings) built in "
        f"{built - started:.1f} s; {len(queries):,} names screened in {done - built:.1f} s "
        f"({(done - built) / len(queries) * 1000:.2f} ms a name, {matched:,} with a match); "
        f"total {done - started:.1f} s"
    )


def end_to_end(db_path: Path, count: int) -> None:
    """`chokepoint screen` on a 10,000-row file: loading, screening, writing results and the receipt."""
    import csv

    rows = list(published.active_listings(published.open_read_only(db_path)))
    folder = Path(tempfile.mkdtemp())
    path = folder / "vendors.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "country", "id"])
        for number, query in speed_queries(rows, count):
            writer.writerow([query.name, "", f"V{number}"])
    started = time.perf_counter()
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "chokepoint"),
            "screen",
            str(path),
            "--db",
            str(db_path),
            "--private-db",
            str(folder / "private.db"),
        ],
        check=True,
        capture_output=True,
    )
    print(
        f"End to end: chokepoint screen on {count:,} rows (start-up, index, screening, JSON out, receipt): "
        f"{time.perf_counter() - started:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="published database holding the CSL (default: crawl it into a temporary one)")
    parser.add_argument("--only", choices=["quality", "peer", "speed"])
    parser.add_argument("--queries", type=int, default=10_000)
    args = parser.parse_args()
    db_path = published_db(args.db)
    rows = list(published.active_listings(published.open_read_only(db_path)))
    if args.only in (None, "quality"):
        quality(rows)
    if args.only in (None, "peer"):
        peer_suite()
    if args.only in (None, "speed"):
        speed(rows, args.queries)
        end_to_end(db_path, args.queries)


if __name__ == "__main__":
    main()
