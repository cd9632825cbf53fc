"""Tagging stored items with the classifier: what text it reads, and when to re-tag.

The classifier sees `{"id", "title", "text"}`. For a document that is the title
and abstract (or, lacking one, the start of its full text) with the action,
type and agencies; for a listing the name, the
list, its programmes, one address and the remarks and licence terms. Each row
keeps a hash of that text and the model version it was tagged with, so a crawl
re-tags only what changed and `chokepoint reclassify` only what a new model
would see differently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from pipeline.report import SILENT, Reporter, StepResult
from pipeline.store import labels
from pipeline.store.changes import Changes

TABLES = ("documents", "listings")
REMARKS_CHARS = 300  # remarks run to pages on a few SDN entries; the first lines carry the signal
# Entity List licence policies are mostly "Presumption of denial."; the few specific ones
# ("...items uniquely required for production of semiconductors at advanced technology nodes") say it early.
POLICY_CHARS = 120


def _values(cell: Any) -> list[str]:
    """A stored JSON array (or a plain list) as a list of strings."""
    if cell is None:
        return []
    if isinstance(cell, str):
        try:
            cell = json.loads(cell) if cell[:1] == "[" else [cell]
        except ValueError:
            return [cell]
    return [str(value) for value in cell if value]


def document_input(row: dict[str, Any]) -> dict[str, str]:
    """What the classifier reads of a stored document: title, abstract (or the start of its full text
    when it has none), then action, type and agencies."""
    parts = [row.get("abstract") or row.get("full_text_start"), row.get("action"), row.get("type")]
    agencies = _values(row.get("agencies"))
    if agencies:
        parts.append("Agencies: " + ", ".join(agencies))
    return {"id": row["id"], "title": row.get("title") or "", "text": _sentences(parts)}


def listing_input(row: dict[str, Any]) -> dict[str, Any]:
    """What the classifier reads of a stored listing: the list first (it decides the dimension),
    then programmes, the first address, position, the parents OFAC links it to, remarks and licence
    policy; and its aliases beside the name.

    The licence requirement ("For all items subject to the EAR") is the same on
    nearly every entry: left out, it saves a fifth of the tokens. "Linked To:"
    parents are read out of the remarks first, because SSI remarks open with a
    long sentence that would push them past the cut.
    """
    from classifier.listing import aliases_of, linked_to

    parts = [row.get("list_name")]
    if row.get("entity_type"):
        parts.append(row["entity_type"])
    programs = _values(row.get("programs"))
    if programs:
        parts.append("Programs: " + "; ".join(programs))
    addresses = _values(row.get("addresses"))
    if addresses:
        parts.append("Address: " + addresses[0])
    if row.get("title"):
        parts.append("Title: " + row["title"])
    parents = linked_to(row.get("remarks") or "")
    if parents:
        parts.append("Linked To: " + "; ".join(parents))
    if row.get("remarks"):
        parts.append("Remarks: " + row["remarks"][:REMARKS_CHARS])
    if row.get("license_policy"):
        parts.append("License policy: " + row["license_policy"][:POLICY_CHARS])
    return {
        "id": row["id"],
        "title": row.get("name") or "",
        "text": _sentences(parts),
        "kind": "listing",
        "aliases": aliases_of(row),
    }


def _sentences(parts: list[str | None]) -> str:
    """Non-empty parts joined as sentences."""
    kept = [" ".join(part.split()).rstrip(".") for part in parts if part and part.strip()]
    return ". ".join(kept) + "." if kept else ""


def input_hash(item: dict[str, Any]) -> str:
    """The hash of exactly what the classifier reads (id excluded: the same text gets the same tags)."""
    from classifier.model import text_hash

    return text_hash(item)


class TaggingUnavailable(RuntimeError):
    """The classifier could not be loaded (weights or artefact missing or damaged)."""


_loaded = {}


def load_classifier():
    """The classifier, loaded once per process (loading takes seconds)."""
    if "classifier" not in _loaded:
        from classifier.encoder import EncoderUnavailable
        from classifier.head import BadArtefact
        from classifier.model import Classifier

        try:
            _loaded["classifier"] = Classifier.load()
        except (EncoderUnavailable, BadArtefact) as error:
            raise TaggingUnavailable(str(error)) from None
    return _loaded["classifier"]


def _input_for(table: str, row: dict[str, Any]) -> dict[str, str]:
    return document_input(row) if table == "documents" else listing_input(row)


def tag(
    db: Database,
    classifier,
    table: str,
    ids: list[str] | None = None,
    force: bool = False,
    batch_size: int = 512,
    reporter: Reporter = SILENT,
    task: str | None = None,
    unit: str = "",
) -> int:
    """Classify the rows of `table` with these ids (all rows when None) and store their labels.

    A row whose text hash and model version are unchanged is skipped unless
    `force`. Returns how many rows were (re)tagged; how far it got goes to the
    reporter as `task` (the table's name by default).
    """
    pending = []
    for row in labels.rows_to_label(db, table, ids):
        item = _input_for(table, row)
        digest = input_hash(item)
        if force or row["labels_input_hash"] != digest or row["labels_model"] != classifier.version:
            pending.append((item, digest))
    task = task or table
    done = 0
    for batch in _batches(pending, batch_size):
        results = classifier.classify([item for item, _ in batch])
        labels.write_labels(
            db,
            table,
            classifier.version,
            [(item["id"], digest, result) for (item, digest), result in zip(batch, results)],
        )
        done += len(batch)
        reporter.progress(task, done, len(pending), unit)
    reporter.finish(task)
    return done


def _batches(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class TaggingResult(StepResult):
    tagged: dict[str, int] = field(default_factory=dict)  # rows (re)tagged per table


class TagChanged:
    """Post-crawl step: tag what the crawl added or changed.

    A classifier that cannot load leaves the crawl's data in place and says so in
    the step's warnings; `chokepoint reclassify` tags the rows later.
    """

    name = "tagging"

    def __call__(self, db: Database, changes: Changes, reporter: Reporter) -> TaggingResult:
        result = TaggingResult(self.name)
        if not any(changes.ids(table) for table in TABLES):
            return result
        try:
            classifier = load_classifier()
        except TaggingUnavailable as error:
            result.warnings.append(f"labels not updated: {error}; run `chokepoint reclassify` once fixed")
            return result
        for table in TABLES:
            if changes.ids(table):
                result.tagged[table] = tag(
                    db, classifier, table, list(changes.ids(table)), reporter=reporter, task=f"tagging {table}"
                )
        return result


def corrections_for_training(db: Database) -> list[dict[str, Any]]:
    """The corrections in force, as `train-classifier --corrections` reads them: what the classifier reads
    of each corrected item now, with the person's tags and note (withdrawn corrections left out)."""
    exported = []
    for table in TABLES:
        corrected = labels.corrections_in_force(db, table)
        wanted = [item_id for item_id, c in corrected.items() if c.dimensions is not None]
        for row in labels.rows_to_label(db, table, wanted):
            correction = corrected[row["id"]]
            item = _input_for(table, row)
            exported.append(
                {
                    **item,
                    "kind": item.get("kind", "document"),
                    "dimensions": correction.dimensions,
                    "industries": correction.industries,
                    "note": correction.note,
                }
            )
    return sorted(exported, key=lambda record: record["id"])
