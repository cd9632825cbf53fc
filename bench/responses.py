"""Measure ↔ countermeasure: on real pairs, how often the true response is among the top suggestions.

    .venv/bin/python bench/responses.py [--window DAYS] [--blind]
    .venv/bin/python bench/responses.py --scale 20000   # ranking time only, on synthetic measures

Builds a store from tests/files/responses/measures.json (108 real measures: 43 with
at least one real response of another government, 56 pairs, the rest real distractors),
tags it with the real classifier, ranks with `chokepoint suggest-responses`'s code, and
counts, per measure with a known response, whether one of its true responses is the
first suggestion, or among the first three. Prints the misses, then the same counts
with each part of the score alone (and no minimum score), as baselines.

`--blind` first strips from every text the clause saying what the measure answers ("..., in
response to the US Hong Kong Human Rights and Democracy Act", "over the EU's sanctions on
Xinjiang"): the texts are our summaries, and although China's countermeasure announcements
do say what they answer, a summary that names it makes the ranking's task easier than a
store's real texts may.

`--scale N` times the ranking alone (no embedding, no database) on N synthetic measures
spread over four years, 80% of them US as in a store the Federal Register dominates,
with random embeddings and tags: how long `suggest-responses` spends ranking a large store.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlite_utils import Database  # noqa: E402

from bench.measures import MEASURES, store_measures, true_responses  # noqa: E402
from pipeline.linkage import responses  # noqa: E402
from pipeline.linkage.responses import WINDOW_DAYS  # noqa: E402
from pipeline.linkage.suggest import update_suggestions  # noqa: E402
from pipeline.tagging import load_classifier, tag  # noqa: E402


def measure(db: Database, data: dict, window: int) -> tuple[int, int, list, float]:
    """(first, in top 3, misses, seconds) of one ranking of the stored measures."""
    started = time.monotonic()
    update_suggestions(db, at="bench", window=window)
    seconds = time.monotonic() - started
    truth = true_responses(data)
    ranked: dict[str, list[str]] = {}
    for row in db.query(
        "SELECT measure_id, response_id FROM measure_responses WHERE status = 'suggested' ORDER BY measure_id, rank"
    ):
        ranked.setdefault(row["measure_id"], []).append(row["response_id"])
    top1 = top3 = 0
    misses = []
    for measure_id, answers in sorted(truth.items()):
        got = ranked.get(measure_id, [])
        top1 += bool(got[:1] and got[0] in answers)
        hit = bool(set(got[:3]) & answers)
        top3 += hit
        if not hit:
            misses.append((measure_id, sorted(answers), got[:3]))
    return top1, top3, misses, seconds


# A clause naming what a measure answers, to the end of its sentence.
ANSWERS = re.compile(
    r",?\s*(?:(?:a|as a) )?(?:reciprocal measure )?(?:in response to|a response to|response to|answering|over the)\b[^.]*",
    re.IGNORECASE,
)


def blinded(folder: str) -> tuple[Path, int]:
    """A copy of the measures file whose texts do not say what they answer; how many texts changed."""
    data = json.loads(MEASURES.read_text(encoding="utf-8"))
    changed = 0
    for item in data["measures"]:
        text = ANSWERS.sub("", item["text"]).strip()
        changed += text != item["text"]
        item["text"] = text
    path = Path(folder) / "blinded.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, changed


def main(window: int, blind: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "bench.db")
        if blind:
            path, changed = blinded(folder)
            print(f"blind: {changed} text(s) no longer say what they answer")
            data = store_measures(db, path)
        else:
            data = store_measures(db)
        tag(db, load_classifier(), "documents")
        n = len(true_responses(data))
        top1, top3, misses, seconds = measure(db, data, window)
        print(f"{len(data['measures'])} measures, {len(data['pairs'])} pairs, {n} measures with a known response")
        print(
            f"window {window} days; ranking (embedding included) took {seconds:.1f} s; load average {os.getloadavg()[0]:.2f}"
        )
        print(f"true response first:        {top1}/{n} = {top1 / n:.1%}")
        print(f"true response in the top 3: {top3}/{n} = {top3 / n:.1%}")
        for measure_id, answers, got in misses:
            print(f"  miss {measure_id}: true {', '.join(answers)}; top 3 {', '.join(got) or '(none)'}")
        print("each part alone (no minimum score): first / top 3")
        weights, minimum = dict(responses.WEIGHTS), responses.MIN_SCORE
        try:
            responses.MIN_SCORE = 0.0
            for part in weights:
                responses.WEIGHTS.update({key: float(key == part) for key in weights})
                top1, top3, _, _ = measure(db, data, window)
                print(f"  {part:8} {top1 / n:6.1%} {top3 / n:6.1%}")
        finally:
            responses.WEIGHTS.update(weights)
            responses.MIN_SCORE = minimum


def scale(count: int, window: int) -> None:
    import random
    from datetime import date, timedelta

    import numpy as np

    from pipeline.linkage.responses import Measure, suggest

    rng = random.Random(1)
    governments, shares = ["US", "EU", "CN", "JP"], [80, 8, 10, 2]
    measures = [
        Measure(
            f"m{i}",
            date(2021, 1, 1) + timedelta(days=rng.randrange(1460)),
            rng.choices(governments, shares)[0],
            frozenset(rng.sample(governments, 1)),
            frozenset(rng.sample(["a", "b", "c", "d", "e"], 2)),
            frozenset(),
        )
        for i in range(count)
    ]
    vectors = np.random.default_rng(1).normal(size=(count, 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    position = {m.id: i for i, m in enumerate(measures)}
    started = time.monotonic()
    kept = suggest(measures, lambda a, b: float(vectors[position[a]] @ vectors[position[b]]), window)
    print(
        f"{count:,} synthetic measures ranked in {time.monotonic() - started:.1f} s ({len(kept):,} suggestions kept); "
        f"load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=int, default=WINDOW_DAYS)
    parser.add_argument("--scale", type=int, default=None, metavar="N", help="time ranking N synthetic measures")
    parser.add_argument("--blind", action="store_true", help="texts stripped of what they answer (see above)")
    arguments = parser.parse_args()
    if arguments.scale:
        scale(arguments.scale, arguments.window)
    else:
        main(arguments.window, arguments.blind)
