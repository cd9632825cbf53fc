"""Backtest of the surge signal (pipeline/trends/surge.py), week by week, on the real dated measures we hold.

Three sources of history, each run through the same `scan` the `surges` command uses:

1. `classifier/data/labelled.jsonl`: the written measures and Federal Register documents
   with a day-precise date (month-only dates cannot be put in a week and are left out,
   counted). A measure written in English and in Chinese is one measure: per group and
   day, the larger of the two languages' counts. Each week from 2018 to the data's end
   is tested, as the digest would have on that Sunday.
2. The recorded Federal Register page (../shared/corpus/federal_register, 1,000 documents
   of 2-17 January 2024), crawled by `chokepoint crawl federal_register` into a fresh
   database (the project's own spider, tagging by the classifier), then `surges(db)`.
3. The demo database (`chokepoint demo --no-serve`), then `surges(db)`.

For the waves of issue 17 that fall in the labelled data, it reports whether and when
each was flagged (at which of its measures), and every flag outside those waves,
per industry and year.

    .venv/bin/python bench/surges.py [--corpus ../shared/corpus] [--skip-fr]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.trends import open_database, read, scan_weeks  # noqa: E402
from pipeline.trends.events import MEASURE, Event  # noqa: E402
from pipeline.trends.periods import period_start  # noqa: E402
from pipeline.trends.surge import Settings, scan  # noqa: E402

CHOKEPOINT = Path(sys.executable).parent / "chokepoint"
LABELLED = ROOT / "classifier" / "data" / "labelled.jsonl"
FR = "federal_register/fr_api_documents_2024_page1_per_page1000.json"
FIRST_WEEK, WAVE_WEEKS = date(2018, 1, 1), 8

# The waves issue 17 names: (name, industry, jurisdiction, the day of the wave's first measure).
WAVES = [
    ("U.S. advanced computing and chip-equipment rules, Oct 2022", "semiconductors", "US", date(2022, 10, 7)),
    ("U.S. advanced computing and chip-equipment rules, Oct 2023", "semiconductors", "US", date(2023, 10, 17)),
    ("U.S. HBM and chip-equipment rules, Dec 2024", "semiconductors", "US", date(2024, 12, 2)),
    ("China gallium and germanium controls, Jul 2023", "critical_minerals", "CN", date(2023, 7, 3)),
    ("China graphite controls, Oct 2023", "critical_minerals", "CN", date(2023, 10, 20)),
    ("China rare-earth controls, Apr 2025", "critical_minerals", "CN", date(2025, 4, 4)),
    ("EU electric-vehicle anti-subsidy case, Oct 2023", "ev_batteries", "EU", date(2023, 10, 4)),
    ("China brandy anti-dumping case, Jan 2024", "consumer_goods", "CN", date(2024, 1, 5)),
    ("China pork anti-dumping case, Jun 2024", "agri_food", "CN", date(2024, 6, 17)),
]


def labelled_events() -> tuple[list[Event], Counter]:
    skipped: Counter = Counter()
    days: dict[tuple, dict] = {}
    for line in LABELLED.read_text().splitlines():
        item = json.loads(line)
        if item["kind"] not in ("measure", "document"):
            continue
        if len(item.get("date", "")) != 10:
            skipped["measures dated to the month only"] += 1
            continue
        key = (item.get("group") or item["id"], item["date"], item["jurisdiction"])
        entry = days.setdefault(key, {"en": [], "zh": [], "industries": set()})
        entry["zh" if item.get("language") == "zh" else "en"].append(item)
        entry["industries"].update(item["industries"])
    events = []
    for (group, day, jurisdiction), entry in sorted(days.items()):
        copies = entry["en"] if len(entry["en"]) >= len(entry["zh"]) else entry["zh"]
        skipped["translations of a measure already counted"] += len(entry["en"]) + len(entry["zh"]) - len(copies)
        for item in copies:
            events.append(
                Event(
                    MEASURE,
                    item["id"],
                    "labelled",
                    date.fromisoformat(day),
                    "date",
                    jurisdiction,
                    None,
                    tuple(item["dimensions"]),
                    tuple(sorted(entry["industries"])),
                    item["title"],
                )
            )
    return events, skipped


def in_wave(surge, wave) -> bool:
    _, industry, jurisdiction, first = wave
    start = period_start(first, "week")
    return (surge.industry, surge.jurisdiction) == (industry, jurisdiction) and start <= surge.week < start + timedelta(
        weeks=WAVE_WEEKS
    )


def backtest_labelled(settings: Settings) -> None:
    events, skipped = labelled_events()
    last = max(event.day for event in events)
    weeks, week = [], FIRST_WEEK
    while week <= last:
        weeks.append(week)
        week += timedelta(weeks=1)
    result = scan(events, weeks, settings)
    print(
        f"## 1. Labelled measures, window of {settings.window_weeks} week(s): {len(events)} measures, "
        f"weeks {weeks[0]} to {weeks[-1]} ({len(weeks)} weeks)"
    )
    print(f"   left out: {dict(skipped)}; {result.tested_series} industry x jurisdiction series")
    print(f"   {len(result.surges)} flags; {len(result.untested)} week(s) untested for short history\n")
    print("| wave | its measures (week, count) | flagged | at its measure no. |")
    print("|---|---|---|---|")
    met = 0
    for wave in WAVES:
        name, industry, jurisdiction, first = wave
        start = period_start(first, "week")
        mine = sorted(
            e.day
            for e in events
            if jurisdiction == e.jurisdiction
            and industry in (e.industries or ())
            and start <= e.day < start + timedelta(weeks=WAVE_WEEKS)
        )
        per_week = Counter(period_start(day, "week") for day in mine)
        flags = sorted(s.week for s in result.surges if in_wave(s, wave))
        if flags:
            at = sum(1 for day in mine if period_start(day, "week") <= flags[0])
            met += at <= 2
            flagged = f"week of {flags[0]}"
        else:
            at, flagged = "-", "no"
        shown = ", ".join(f"{w} ({n})" for w, n in sorted(per_week.items()))
        print(f"| {name} ({industry}, {jurisdiction}) | {shown} | {flagged} | {at} |")
    print(f"\n   waves flagged by their second measure: {met} of {len(WAVES)}")
    outside = [s for s in result.surges if not any(in_wave(s, wave) for wave in WAVES)]
    years = (weeks[-1] - weeks[0]).days / 365.25
    per_industry_year = Counter((s.industry, s.week.year) for s in outside)
    print(
        f"\n   flags outside the named waves: {len(outside)} in {years:.1f} years "
        f"({len(outside) / years:.1f} a year over all 15 industries and every jurisdiction)"
    )
    worst = per_industry_year.most_common(5)
    print(f"   most in one industry and year: {worst}")
    over = sum(1 for n in per_industry_year.values() if n > 1)
    print(
        f"   industry-years with more than one: {over} of {len({i for i, _ in per_industry_year}) * round(years)}"
        " (industries flagged x years)"
    )
    print("\n   every flag outside the named waves:")
    for s in outside:
        print(f"   - {s.reason} [p={s.p_value:.1g}]")


def backtest_database(name: str, db_path: Path) -> None:
    now = "2026-11-30T00:00:00Z"
    stored = read(open_database(db_path), now)
    days = sorted(event.day for event in stored.dated.events)
    result = scan_weeks(stored, days[0], days[-1], None)
    print(f"\n## {name}: {len(stored.dated.events)} dated items, {days[0]} to {days[-1]}")
    print(f"   not counted: {dict(stored.dated.not_counted)}")
    print(f"   {result.tested_series} series; {len(result.surges)} flags; {len(result.untested)} untested weeks")
    for surge in result.surges:
        print(f"   - {surge.reason} [p={surge.p_value:.1g}]")
    for week in result.untested:
        print(
            f"   - untested: {week.series}, {week.count} in the week of {week.week} "
            f"({week.history_weeks} week(s) of history)"
        )


def run(*args: str) -> None:
    result = subprocess.run(
        [str(CHOKEPOINT), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CHOKEPOINT_NOW": "2026-11-30T00:00:00Z"},
    )
    if result.returncode:
        raise SystemExit(f"chokepoint {args[0]} failed: {result.stderr.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--skip-fr", action="store_true", help="Do not crawl the recorded Federal Register page.")
    options = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}\n")
    backtest_labelled(Settings())
    backtest_labelled(Settings(window_weeks=4))
    with tempfile.TemporaryDirectory() as tmp:
        if not options.skip_fr:
            fr_db = Path(tmp) / "fr.db"
            run("crawl", "federal_register", "--url", (options.corpus / FR).resolve().as_uri(), "--db", str(fr_db))
            backtest_database("2. Recorded Federal Register page (crawled and tagged)", fr_db)
        demo_db = Path(tmp) / "demo" / "chokepoint.db"
        run("demo", "--no-serve", "--db", str(demo_db), "--private-db", str(Path(tmp) / "demo" / "private.db"))
        backtest_database("3. Demo database", demo_db)


if __name__ == "__main__":
    main()
