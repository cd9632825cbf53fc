"""Classifier accuracy and speed: held-out micro-F1 (and the zero-shot yardstick), items per
second for documents and for screening-list entries, and model load time.

    .venv/bin/python bench/classify.py [--corpus ../shared/corpus] [--repeat 3] [--threads 2]

Documents are the recorded Federal Register page's title + abstract (about 110
tokens each); listings are rows of the recorded Consolidated Screening List, as
`chokepoint` feeds them to the classifier (name, list, programmes, an address,
remarks). Every repeat starts with an empty cache, so each item is encoded.
The machine's load average is printed: other work on the same two cores slows
every number here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FR = "federal_register/fr_api_documents_2024_page1_per_page1000.json"
CSL = "csl/csl_consolidated_2022-05_full.csv"
LOAD_SNIPPET = ("import time; t = time.perf_counter(); from classifier.model import Classifier; "
                "Classifier.load(threads={threads}); print(time.perf_counter() - t)")


def documents(corpus: Path, limit: int) -> list[dict]:
    results = json.loads((corpus / FR).read_text())["results"]
    return [{"id": d["document_number"], "title": d["title"], "text": d["abstract"]}
            for d in results if d.get("abstract")][:limit]


def listings(corpus: Path, limit: int) -> list[dict]:
    from pipeline.store.records import to_row
    from pipeline.tagging import listing_input
    from spiders.csl.csl import CslSpider
    from spiders.kit.items import as_record
    from spiders.kit.offline import parse_items, response_for

    spider = CslSpider(url=(corpus / CSL).as_uri())
    parsed = parse_items(spider, response_for(corpus / CSL))
    step = max(1, len(parsed) // limit)
    return [listing_input(to_row(as_record(item))) for item in parsed[::step][:limit]]


def throughput(classifier, items: list[dict], repeat: int) -> float:
    rates = []
    for _ in range(repeat):
        classifier._cache.clear()  # measure encoding, not the cache
        started = time.perf_counter()
        classifier.classify(items)
        rates.append(len(items) / (time.perf_counter() - started))
    return statistics.median(rates)


def load_seconds(threads: int, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET.format(threads=threads)], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def accuracy(classifier) -> tuple[dict, dict]:
    from classifier.baseline import zero_shot
    from classifier.dataset import load, split
    from classifier.evaluation import report
    from classifier.training import label_matrix

    test = split(load(), "test")
    items = [{"id": e.id, "title": e.title, "text": e.text, "kind": e.kind} for e in test]
    gold = label_matrix(test)
    decisions = [(r.dimensions, r.industries) for r in classifier.classify(items)]
    trained = report(gold, decisions)["summary"]
    for kind in ("measure", "document", "listing"):  # where the errors are
        rows = [i for i, e in enumerate(test) if e.kind == kind]
        trained[kind] = report(gold[rows], [decisions[i] for i in rows])["summary"] | {"items": len(rows)}
    from classifier.encoder import Encoder

    baseline = report(gold, zero_shot(Encoder(layers=6), items))["summary"]
    return trained, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=lambda value: Path(value).resolve(), default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--listings", type=int, default=2000)
    args = parser.parse_args()

    from classifier.features import encoder_text, token_budget
    from classifier.model import Classifier

    print(f"load average before: {os.getloadavg()[0]:.2f}")
    loaded = load_seconds(args.threads, args.repeat)
    classifier = Classifier.load(threads=args.threads)
    trained, baseline = accuracy(classifier)
    docs, rows = documents(args.corpus, args.documents), listings(args.corpus, args.listings)
    def tokens(items: list[dict]) -> float:
        """Mean tokens the encoder reads per item (its window: 48 for documents, a listing's name up to 16)."""
        return statistics.mean(len(classifier.encoder.token_ids([encoder_text(item)], token_budget(item))[0])
                               for item in items)

    doc_rate = throughput(classifier, docs, args.repeat)
    row_rate = throughput(classifier, rows, args.repeat)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"model {classifier.version}, {args.threads} threads")
    print("| measure | result | target |")
    print("|---|---|---|")
    print(f"| held-out micro-F1, dimensions | {trained['dimensions']['micro_f1']:.3f} "
          f"(macro {trained['dimensions']['macro_f1']:.3f}) | >= 0.90 |")
    print(f"| held-out micro-F1, industries | {trained['industries']['micro_f1']:.3f} "
          f"(macro {trained['industries']['macro_f1']:.3f}) | >= 0.90 |")
    for kind in ("measure", "document", "listing"):
        print(f"| same, {trained[kind]['items']} held-out {kind}s only, dimensions / industries | "
              f"{trained[kind]['dimensions']['micro_f1']:.3f} / {trained[kind]['industries']['micro_f1']:.3f} | |")
    print(f"| zero-shot baseline (all 6 layers, 128 tokens) micro-F1, dimensions / industries | {baseline['dimensions']['micro_f1']:.3f} / "
          f"{baseline['industries']['micro_f1']:.3f} | (yardstick) |")
    print(f"| documents, title + abstract ({tokens(docs):.0f} tokens read, mean), {len(docs)} items | {doc_rate:.1f} items/s | >= 60 |")
    print(f"| listings, name + list + address ({tokens(rows):.0f} tokens read, mean), {len(rows)} items | {row_rate:.1f} items/s | >= 300 |")
    print(f"| model load (fresh process, imports included) | {loaded:.2f} s | < 5 s |")


if __name__ == "__main__":
    main()
