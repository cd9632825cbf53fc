"""Following recorded responses from local files (`--url file:///...`).

A source that answers through several URLs (a list and its detail pages, an
API and a news page) is recorded as a directory of files; `--url` may name
that directory or one file in it. Spiders ask here which files to read and
where a follow-up request lands when replaying, so no replay reaches the
network.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit


def is_local(url: str) -> bool:
    return urlsplit(url).scheme == "file"


def local_path(url: str) -> Path:
    """The local path a file:// URL names."""
    return Path(unquote(urlsplit(url).path))


def local_directory(url: str) -> Path | None:
    """The directory a file:// URL names, or None for a file or a remote URL."""
    if not is_local(url):
        return None
    path = local_path(url)
    return path if path.is_dir() else None


def files_in(directory: Path, suffixes: tuple[str, ...]) -> list[str]:
    """file:// URLs of the directory's files with these suffixes, sorted by name."""
    return [p.as_uri() for p in sorted(directory.iterdir()) if p.is_file() and p.suffix.lower() in suffixes]


def sibling(url: str, relative: str) -> str:
    """The file:// URL of a file recorded next to the file at `url` (e.g. a detail page)."""
    return (Path(unquote(urlsplit(url).path)).parent / relative).as_uri()


def file_name(url: str) -> str:
    """How messages name a response: a recorded file by its name, a live answer by its URL."""
    return unquote(url.rsplit("/", 1)[-1]) if is_local(url) else url
