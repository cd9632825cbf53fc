"""Recorded responses instead of live sources: a manifest maps each spider to a saved file.

A manifest is a JSON list of {"spider", "file" (relative to the manifest) or "url",
"expect": [min, max] (optional, for small samples), "note"}. The demo's bundled
samples are one; a team can keep its own for offline re-runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.crawl.model import CrawlRequest


class ManifestError(ValueError):
    """The replay manifest is missing, not JSON, or has a bad entry."""


def load_manifest(path: Path) -> dict[str, CrawlRequest]:
    try:
        entries = json.loads(path.read_text())
    except FileNotFoundError:
        raise ManifestError(f"{path}: no such replay manifest") from None
    except json.JSONDecodeError as error:
        raise ManifestError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(entries, list):
        raise ManifestError(f"{path}: expected a JSON list of entries")
    requests = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "spider" not in entry or not ("file" in entry or "url" in entry):
            raise ManifestError(f"{path}: entry {number} needs 'spider' and 'file' or 'url'")
        url = entry.get("url") or (path.parent / entry["file"]).resolve().as_uri()
        expect = tuple(entry["expect"]) if entry.get("expect") else None
        requests[entry["spider"]] = CrawlRequest(entry["spider"], url=url, expect=expect)
    return requests
