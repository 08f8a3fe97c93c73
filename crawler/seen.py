"""The per-site seen-URL index: normalised URLs already archived, one segment per date.

Segment ``state/seen/site=<site>/dt=<date>.txt.gz`` lists the URLs the crawl of that date
archived. A run for date D skips the URLs of every segment dated before D only, so rerunning
D fetches (and archives) exactly what D fetched before: reruns are idempotent.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
from collections.abc import Iterable

SEEN_ROOT = "state/seen/"
_SEGMENT = re.compile(r"/dt=(\d{4}-\d\d-\d\d)\.txt\.gz$")


def seen_prefix(site: str) -> str:
    """Folder of one site's seen-URL segments."""
    return f"{SEEN_ROOT}site={site}/"


def seen_key(site: str, date) -> str:
    """The segment of URLs archived by the crawl of ``site`` for ``date``."""
    day = date if isinstance(date, str) else date.isoformat()
    return f"{seen_prefix(site)}dt={day}.txt.gz"


def encode_segment(urls: Iterable[str]) -> bytes:
    """Sorted unique URLs, one a line, gzipped (mtime 0: same URLs, same bytes)."""
    text = "".join(f"{u}\n" for u in sorted(set(urls)))
    return gzip.compress(text.encode("utf-8"), mtime=0)


def decode_segment(data: bytes) -> list[str]:
    """The URLs of one segment."""
    return [line for line in gzip.decompress(data).decode("utf-8").splitlines() if line]


def segments_before(keys: Iterable[str], date) -> list[str]:
    """The segment keys dated strictly before ``date``."""
    day = dt.date.fromisoformat(date) if isinstance(date, str) else date
    out = []
    for key in keys:
        match = _SEGMENT.search(key)
        if match and dt.date.fromisoformat(match.group(1)) < day:
            out.append(key)
    return sorted(out)


def load_seen(store, site: str, date) -> set[str]:
    """Every URL archived for ``site`` by crawls dated before ``date`` (a Store-like object)."""
    urls: set[str] = set()
    for key in segments_before(store.list(seen_prefix(site)), date):
        urls.update(decode_segment(store.get_bytes(key)))
    return urls


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
