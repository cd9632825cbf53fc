"""Classifier accuracy and speed: held-out micro-F1 per kind of item and language, with and without the
register of listed parties, what `needs_review` catches, items per second, and model load time.

    .venv/bin/python bench/classify.py [--corpus ../shared/corpus] [--repeat 3] [--threads 2]

Accuracy is on the held-out split only (training never reads it), in five
parts: measures in English, Federal Register documents, Chinese-language
measures, the hand-picked list entries and the random sample of crawled CSL
rows (classifier/data/README.md). The random sample is also split by
whether the register holds the party (its name, an alias, its position or a
"Linked To" parent names a registered party). "Without the register" is a
head trained the same way (same data, same C) on features computed with an
empty register.

Speed: documents are the recorded Federal Register page's title + abstract;
listings are rows of the recorded Consolidated Screening List as `chokepoint`
feeds them (name, aliases, list, programmes, an address, remarks); Chinese
documents are the labelled Chinese measures. Every repeat starts with an
empty cache. The machine's load average is printed: other work on the same
two cores slows every number here.
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

from bench.csl_rows import CSL_2022, classifier_item, crawled_listings  # noqa: E402

FR = "federal_register/fr_api_documents_2024_page1_per_page1000.json"
LOAD_SNIPPET = (
    "import time; t = time.perf_counter(); from classifier.model import Classifier; "
    "Classifier.load(threads={threads}); print(time.perf_counter() - t)"
)
PARTS = (
    "measures, English",
    "documents (Federal Register)",
    "measures, Chinese",
    "list entries, hand-picked",
    "list entries, random CSL sample",
)


def part_of(example) -> str:
    if example.kind == "listing":
        return PARTS[4] if example.sample else PARTS[3]
    if example.kind == "document":
        return PARTS[1]
    return PARTS[2] if example.language == "zh" else PARTS[0]


def documents(corpus: Path, limit: int) -> list[dict]:
    results = json.loads((corpus / FR).read_text())["results"]
    return [
        {"id": d["document_number"], "title": d["title"], "text": d["abstract"]} for d in results if d.get("abstract")
    ][:limit]


def listings(corpus: Path, limit: int) -> list[dict]:
    rows = crawled_listings(corpus / CSL_2022)
    step = max(1, len(rows) // limit)
    return [classifier_item(row) for row in rows[::step][:limit]]


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
        out = subprocess.run(
            [sys.executable, "-c", LOAD_SNIPPET.format(threads=threads)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def scores(gold, decisions, rows) -> tuple[float, float, int]:
    from classifier.evaluation import micro_f1

    dims, inds = micro_f1(gold[rows], [decisions[i] for i in rows])
    return dims, inds, len(rows)


def without_register(classifier, train_examples):
    """A classifier like `classifier` whose head was fitted, with the same C, on features of an empty register."""
    from classifier.features import Featurizer
    from classifier.model import Classifier
    from classifier.register import Register
    from classifier.training import featurise, fit_head, label_matrix

    featurizer = Featurizer(classifier.featurizer.encoder, classifier.featurizer.multilingual, Register([]))
    features, _ = featurise(featurizer, train_examples)
    head = fit_head(features, label_matrix(train_examples), classifier.head.info["C"], classifier.head.info["seed"])
    return Classifier(featurizer, head, "without-register")


def accuracy(classifier) -> dict:
    from classifier.dataset import load, split
    from classifier.listing import linked_to, own_names
    from classifier.training import items_of, label_matrix

    examples = load()
    test = split(examples, "test")
    items = items_of(test)
    gold = label_matrix(test)
    held = [
        bool(classifier.featurizer.register.match(own_names(item) + linked_to(item["text"])))
        if item["kind"] == "listing"
        else False
        for item in items
    ]
    results = {}
    for name, model in (("with", classifier), ("without", without_register(classifier, split(examples, "train")))):
        answers = model.classify(items)
        decisions = [(r.dimensions, r.industries) for r in answers]
        rows = {part: [i for i, e in enumerate(test) if part_of(e) == part] for part in PARTS}
        rows["all held-out items"] = list(range(len(test)))
        sample = rows[PARTS[4]]
        rows["random sample, party in the register"] = [i for i in sample if held[i]]
        rows["random sample, party not in the register"] = [i for i in sample if not held[i]]
        results[name] = {part: scores(gold, decisions, indices) for part, indices in rows.items()}
        if name == "with":
            wrong = [
                set(d) != set(test[i].dimensions) or set(n) != set(test[i].industries)
                for i, (d, n) in enumerate(decisions)
            ]
            flagged = [r.needs_review for r in answers]
            results["review"] = (sum(flagged), len(flagged), sum(w and f for w, f in zip(wrong, flagged)), sum(wrong))
    return results


def zero_shot_scores() -> str:
    from classifier.baseline import zero_shot
    from classifier.dataset import load, split
    from classifier.encoder import Encoder
    from classifier.evaluation import micro_f1
    from classifier.training import items_of, label_matrix

    test = split(load(), "test")
    dims, inds = micro_f1(label_matrix(test), zero_shot(Encoder(layers=6), items_of(test)))
    return f"{dims:.3f} / {inds:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=lambda value: Path(value).resolve(), default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--listings", type=int, default=2000)
    parser.add_argument("--no-accuracy", action="store_true", help="Speeds and load time only.")
    parser.add_argument(
        "--zero-shot",
        action="store_true",
        help="Also score the zero-shot yardstick (MiniLM, all 6 layers, label descriptions).",
    )
    args = parser.parse_args()

    from classifier.dataset import load
    from classifier.model import Classifier

    print(f"load average before: {os.getloadavg()[0]:.2f}")
    loaded = load_seconds(args.threads, args.repeat)
    classifier = Classifier.load(threads=args.threads)
    docs, rows = documents(args.corpus, args.documents), listings(args.corpus, args.listings)
    chinese = [{"id": e.id, "title": e.title, "text": e.text} for e in load() if e.language == "zh"]
    doc_rate = throughput(classifier, docs, args.repeat)
    row_rate = throughput(classifier, rows, args.repeat)
    zh_rate = throughput(classifier, chinese, args.repeat)
    print(f"load average after speeds: {os.getloadavg()[0]:.2f}")
    print(f"model {classifier.version}, {args.threads} threads")
    if not args.no_accuracy:
        results = accuracy(classifier)
        print("| held-out micro-F1, dimensions / industries | items | with the register | without it | target |")
        print("|---|---|---|---|---|")
        targets = {
            PARTS[0]: ">= 0.90 / 0.90",
            PARTS[1]: ">= 0.90 / 0.90",
            PARTS[2]: ">= 0.90 / 0.85",
            PARTS[4]: "industries >= 0.85",
        }
        for part in results["with"]:
            (d, n, count), (d0, n0, _) = results["with"][part], results["without"][part]
            print(f"| {part} | {count} | {d:.3f} / {n:.3f} | {d0:.3f} / {n0:.3f} | {targets.get(part, '')} |")
        flagged, total, caught, wrong = results["review"]
        print(
            f"needs_review: {flagged} of {total} held-out items flagged ({flagged / total:.0%}); "
            f"they hold {caught} of the {wrong} items with any wrong label ({caught / max(wrong, 1):.0%})"
        )
    if args.zero_shot:
        print(f"zero-shot yardstick, all held-out items, dimensions / industries: {zero_shot_scores()}")
    print("| speed | result | target |")
    print("|---|---|---|")
    print(f"| documents, title + abstract, {len(docs)} items | {doc_rate:.1f} items/s | >= 60 |")
    print(f"| Chinese measures, title + text, {len(chinese)} items | {zh_rate:.1f} items/s | (documents: >= 60) |")
    print(
        f"| listings, name + aliases + list + address + remarks, {len(rows)} items | {row_rate:.1f} items/s | >= 300 |"
    )
    print(f"| model load (fresh process, imports included) | {loaded:.2f} s | < 5 s |")


if __name__ == "__main__":
    main()
