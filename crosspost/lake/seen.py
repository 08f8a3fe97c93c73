"""The per-site seen-URL index: normalised URLs already archived, one segment per date.

Segment ``state/seen/site=<site>/dt=<date>.txt.gz`` lists the URLs the crawl of that date
archived. A run for date D skips the URLs of every segment dated before D only, so rerunning
D fetches (and archives) exactly what D fetched before: reruns are idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crosspost.common.dates import Day, parse_day
from crosspost.lake.jsonl import gunzip_lines, gzip_text
from crosspost.lake.layout import seen_prefix
from crosspost.lake.store import Store

_SEGMENT = re.compile(r"/dt=(\d{4}-\d\d-\d\d)\.txt\.gz$")


def encode_segment(urls: Iterable[str]) -> bytes:
    """Sorted unique URLs, one a line, gzipped (mtime 0: same URLs, same bytes)."""
    return gzip_text("".join(f"{u}\n" for u in sorted(set(urls))))


def decode_segment(data: bytes) -> list[str]:
    """The URLs of one segment."""
    return gunzip_lines(data)


def segments_before(keys: Iterable[str], date: Day) -> list[str]:
    """The segment keys dated strictly before ``date``."""
    day = parse_day(date)
    out = []
    for key in keys:
        match = _SEGMENT.search(key)
        if match and parse_day(match.group(1)) < day:
            out.append(key)
    return sorted(out)


def load_seen(store: Store, site: str, date: Day) -> set[str]:
    """Every URL archived for ``site`` by crawls dated before ``date`` (a Store-like object)."""
    urls: set[str] = set()
    for key in segments_before(store.list(seen_prefix(site)), date):
        urls.update(decode_segment(store.get_bytes(key)))
    return urls
