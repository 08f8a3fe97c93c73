"""The per-site seen-URL index: normalised URLs already archived, one segment per date.

Segment ``state/seen/site=<site>/dt=<date>.txt.gz`` lists the URLs the crawl of that date
archived. A run for date D skips the URLs of every segment dated before D only, so rerunning
D fetches (and archives) exactly what D fetched before: reruns are idempotent.

Once a month is over its daily segments are compacted into one month segment
(``state/seen/site=<site>/month=YYYY-MM/``, see crosspost.lake.compaction), which keeps each
URL's date: a run reads one object per earlier month, and a rerun of an old date still skips
only what the dates before it archived.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyarrow as pa

from crosspost.common.dates import Day, day, parse_day
from crosspost.lake.compaction import DatedIndex, compact_before, read_before
from crosspost.lake.jsonl import gunzip_lines, gzip_text
from crosspost.lake.layout import seen_key, seen_prefix
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


def seen_index(site: str) -> DatedIndex:
    """The site's seen-URL index, as crosspost.lake.compaction reads and compacts it."""
    return DatedIndex(seen_prefix(site), _SEGMENT, lambda date: seen_key(site, date),
                      lambda data: pa.table({"url": pa.array(decode_segment(data), pa.string())}))


def load_seen(store: Store, site: str, date: Day) -> set[str]:
    """Every URL archived for ``site`` by crawls dated before ``date`` (a Store-like object)."""
    table, _ = read_before(store, seen_index(site), day(date))
    return set(table.column("url").to_pylist()) if table is not None else set()


def compact_seen(store: Store, site: str, date: Day) -> list[str]:
    """Fold the site's daily segments of the months before ``date``'s month into month segments."""
    return compact_before(store, seen_index(site), day(date))
