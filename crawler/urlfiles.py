"""Plain URL lists, one a line: how the crawl process is told what is already archived and tells
what it archived (the store's seen-URL index lives in ``crosspost.lake.seen``)."""

from __future__ import annotations

from collections.abc import Iterable


def read_url_file(path) -> set[str]:
    """URLs from a plain text file, one a line (missing file: none)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return {line.strip() for line in fh if line.strip()}
    except FileNotFoundError:
        return set()


def write_url_file(path, urls: Iterable[str]) -> None:
    """Write URLs to a plain text file, one a line, sorted."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(f"{u}\n" for u in sorted(set(urls)))
