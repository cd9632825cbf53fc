"""`chokepoint classify`, `train-classifier`, `eval-classifier`, `reclassify`: glue around classifier/.

The encoder and its weights load only inside these commands, so `chokepoint --help` stays fast.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from pipeline.cli.options import db_option, existing_db, reviewer_name
from pipeline.cli.reporter import ConsoleReporter

BATCH_LINES = 256
# The labelled data both train-classifier and eval-classifier read.
data_option = click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Labelled JSON lines (default: classifier/data/labelled.jsonl).",
)


class BadLine(ValueError):
    """A line of `classify` input that cannot be classified."""


KINDS = ("document", "listing")
# A listing's fields, as the `listings` table stores them; `name` and `list_name` are required.
LISTING_FIELDS = (
    "name",
    "list_name",
    "alt_names",
    "entity_type",
    "programs",
    "addresses",
    "title",
    "remarks",
    "license_policy",
)


def parse_line(line: str, number: int) -> dict:
    """One item to classify, or BadLine naming the line and the problem.

    A document is `{"id", "title", "text"}`; a listing is `{"id", "kind": "listing", "name", "list_name", ...}`
    with a listing's fields (read as `chokepoint` reads a stored listing), or with `title` and `text` already
    built and optionally `aliases`."""
    from classifier.jsonlines import parse_object

    item = parse_object(line, f"line {number}", BadLine)
    kind = item.get("kind", "document")
    if kind not in KINDS:
        raise BadLine(f"line {number}: kind must be document or listing, not {kind!r}")
    if kind == "listing" and "name" in item:
        return _listing_item(item, number)
    missing = [key for key in ("title", "text") if not isinstance(item.get(key), str)]
    if missing:
        raise BadLine(f"line {number}: missing {' and '.join(missing)} (each must be a string)")
    return item


def _listing_item(fields: dict, number: int) -> dict:
    """What the classifier reads of a listing given by its fields: the text `chokepoint` builds, and its aliases."""
    from classifier.listing import aliases_of
    from pipeline.tagging import listing_input

    missing = [key for key in ("name", "list_name") if not isinstance(fields.get(key), str) or not fields[key].strip()]
    if missing:
        raise BadLine(f"line {number}: a listing needs {' and '.join(missing)}")
    unknown = sorted(set(fields) - set(LISTING_FIELDS) - {"id", "kind"})
    if unknown:
        raise BadLine(f"line {number}: unknown listing field(s) {', '.join(unknown)}")
    row = {key: fields.get(key) for key in LISTING_FIELDS}
    return {**listing_input({**row, "id": fields.get("id")}), "aliases": aliases_of(row)}


def _classify_stream(classifier, lines, reporter: ConsoleReporter) -> tuple[int, int]:
    """Classify JSON lines in batches, writing results in input order; (classified, bad)."""
    classified = bad = 0
    batch: list[dict] = []

    def flush():
        nonlocal classified
        for result in classifier.classify(batch):
            reporter.out(json.dumps(result.as_dict(), ensure_ascii=False))
        classified += len(batch)
        batch.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = parse_line(line, number)
        except BadLine as error:
            reporter.error(str(error))
            bad += 1
            continue
        item.setdefault("id", None)
        batch.append(item)
        if len(batch) >= BATCH_LINES:
            flush()
    if batch:
        flush()
    return classified, bad


def _load_classifier():
    from pipeline.tagging import TaggingUnavailable, load_classifier

    try:
        return load_classifier()
    except TaggingUnavailable as error:
        raise click.ClickException(str(error)) from None


@click.command()
@click.argument("file", required=False, type=click.File("r", encoding="utf-8"))
def classify(file):
    """Tag JSON lines {"id", "title", "text"} from FILE (or stdin).

    Writes one JSON line per item: {"id", "dimensions", "industries",
    "scores", "confidence", "needs_review"}. "kind" is "document" (the
    default) or "listing": a screening-list entry, given by its fields
    ({"name", "list_name", "alt_names", "programs", "addresses", "remarks",
    ...}, read as `chokepoint` reads a stored listing) or by "title" and
    "text" with optional "aliases". A line that is not JSON or lacks what its
    kind needs gets an error naming its line number on stderr; the others are
    still classified, and the exit status is 1 if any line was bad.
    """
    reporter = ConsoleReporter()
    classifier = _load_classifier()
    classified, bad = _classify_stream(classifier, file or sys.stdin, reporter)
    if bad:
        reporter.note(f"{classified} item(s) classified, {bad} bad line(s) skipped")
        sys.exit(1)


@click.command("train-classifier")
@data_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the head (default: classifier/model/head.safetensors).",
)
@click.option("--seed", default=13, show_default=True, help="Seed for the cross-validation folds and solver.")
@click.option(
    "--corrections",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="People's corrections as JSON lines (title, text, kind, dimensions, industries): "
    "they replace the labels of the same training item or join the training split.",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Also learn from the corrections people recorded in this database (`chokepoint label`).",
)
def train_classifier(data, out, seed, corrections, db_path):
    """Train the classifier's head on the training split (the held-out split is never read)."""
    from classifier import training
    from classifier.dataset import DATA_FILE, BadDataset
    from classifier.encoder import Encoder, EncoderUnavailable
    from classifier.features import Featurizer
    from classifier.head import ARTEFACT
    from classifier.multilingual import MultilingualEncoder
    from classifier.register import BadRegister, default_register

    reporter = ConsoleReporter()
    started = time.monotonic()
    if db_path is not None:
        corrections = _with_recorded_corrections(db_path, corrections, reporter)
    try:
        featurizer = Featurizer(Encoder(), MultilingualEncoder(), default_register())
        head, version = training.train(
            featurizer,
            data or DATA_FILE,
            out or ARTEFACT,
            seed,
            progress=lambda message: reporter.note(f"  {message}"),
            corrections=corrections,
        )
    except (BadDataset, BadRegister, EncoderUnavailable) as error:
        raise click.ClickException(str(error)) from None
    reporter.out(
        f"Trained {version} on {head.info['train_items']} items (C={head.info['C']:g}, "
        f"cross-validated micro-F1 {head.info['cv_micro_f1']:.3f}) in {time.monotonic() - started:.0f} s: "
        f"{out or ARTEFACT}"
    )


def _with_recorded_corrections(db_path: Path, corrections: Path | None, reporter: ConsoleReporter) -> Path:
    """A JSON-lines file of the corrections in `db_path` (after those of `corrections`, if given)."""
    import tempfile

    from sqlite_utils import Database

    from pipeline import tagging

    recorded = tagging.corrections_for_training(Database(db_path))
    reporter.note(f"  {len(recorded):,} correction(s) in force in {db_path}")
    handle = tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False)
    with handle:
        if corrections is not None:
            handle.write(corrections.read_text(encoding="utf-8").rstrip("\n") + "\n")
        for record in recorded:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return Path(handle.name)


@click.command()
@click.argument("item_id")
@click.option(
    "--dimension",
    "dimensions",
    multiple=True,
    metavar="LABEL",
    help="A rivalry dimension (repeatable, or comma-separated).",
)
@click.option(
    "--industry", "industries", multiple=True, metavar="LABEL", help="An industry (repeatable, or comma-separated)."
)
@click.option(
    "--model", "back_to_model", is_flag=True, help="Withdraw the item's correction: the model's tags apply again."
)
@click.option("--note", required=True, help="Why (kept with the correction).")
@click.option(
    "--by", "reviewer", default=None, help="Who decided (default: $CHOKEPOINT_REVIEWER, else your user name)."
)
@db_option()
def label(item_id, dimensions, industries, back_to_model, note, reviewer, db_path):
    """Correct the tags of document or listing ITEM_ID.

    The correction outranks the model at once and for good: on the site, in
    facets, feeds and digests, and after `chokepoint reclassify`.
    `train-classifier --db` learns from it. Every correction is kept; the
    newest is in force; `--model` withdraws it.
    """
    from sqlite_utils import Database

    from classifier.labels import DIMENSIONS, INDUSTRIES, UnknownLabel, check_labels
    from pipeline.store import ensure_schema, labels
    from spiders.kit import clock

    dimensions = _split_labels(dimensions)
    industries = _split_labels(industries)
    if back_to_model and (dimensions or industries):
        raise click.UsageError("--model withdraws a correction: give it no --dimension or --industry")
    if not back_to_model:
        try:
            check_labels(dimensions, industries, item_id)
        except UnknownLabel as error:
            raise click.UsageError(
                f"{error}; dimensions: {', '.join(DIMENSIONS)}; industries: {', '.join(INDUSTRIES)}"
            ) from None
    if not note.strip():
        raise click.UsageError("--note must say why")
    db = Database(existing_db(db_path))
    ensure_schema(db)
    reviewer = reviewer_name(reviewer)
    try:
        correction_id, _ = labels.record_correction(
            db,
            item_id,
            None if back_to_model else dimensions,
            None if back_to_model else industries,
            note.strip(),
            reviewer,
            clock.now(),
        )
    except labels.UnknownItem as error:
        raise click.ClickException(str(error)) from None
    reporter = ConsoleReporter()
    if back_to_model:
        reporter.out(
            f"{item_id}: correction withdrawn by {reviewer}; the model's tags apply [correction {correction_id}]"
        )
    else:
        reporter.out(
            f"{item_id}: tagged {', '.join(dimensions)} / {', '.join(industries)} by {reviewer} "
            f"[correction {correction_id}]"
        )


def _split_labels(values: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(part.strip() for value in values for part in value.split(",") if part.strip()))


@click.command("eval-classifier")
@data_option
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Head to evaluate (default: the committed one).",
)
@click.option(
    "--split",
    "split_name",
    type=click.Choice(["test", "train"]),
    default="test",
    show_default=True,
    help="Which split to score.",
)
def eval_classifier(data, model_path, split_name):
    """Per-label precision, recall and F1, and micro/macro F1, on the held-out split."""
    from classifier.dataset import DATA_FILE, BadDataset, load, split
    from classifier.evaluation import format_report, report
    from classifier.head import ARTEFACT, BadArtefact
    from classifier.model import Classifier
    from classifier.training import label_matrix

    try:
        examples = split(load(data or DATA_FILE), split_name)
        classifier = Classifier.load(model_path or ARTEFACT)
    except (BadDataset, BadArtefact) as error:
        raise click.ClickException(str(error)) from None
    results = classifier.classify(
        [{"id": e.id, "title": e.title, "text": e.text, "kind": e.kind, "aliases": list(e.aliases)} for e in examples]
    )
    decisions = [(r.dimensions, r.industries) for r in results]
    reporter = ConsoleReporter()
    reporter.out(f"{classifier.version} on the {split_name} split of {(data or DATA_FILE).name}")
    reporter.out(format_report(report(label_matrix(examples), decisions)))


@click.command()
@db_option(help="SQLite database to re-tag.")
@click.option("--all", "force", is_flag=True, help="Re-tag every row, even those the current model already tagged.")
def reclassify(db_path, force):
    """Re-tag stored documents and listings after a model change.

    Rows whose text and model version are unchanged are skipped unless --all.
    """
    from sqlite_utils import Database

    from pipeline import tagging
    from pipeline.store import ensure_schema

    db = Database(existing_db(db_path))
    ensure_schema(db)
    classifier = _load_classifier()
    reporter = ConsoleReporter()
    for table in tagging.TABLES:
        count = tagging.tag(db, classifier, table, force=force, reporter=reporter, unit="tagged")
        reporter.out(f"{table}: {count:,} row(s) tagged with {classifier.version}")


COMMANDS = (classify, train_classifier, eval_classifier, reclassify, label)
