"""Per-site learned-boilerplate segments: what extraction learned of a site, one segment per date.

Segment ``state/boilerplate/site=<site>/dt=<date>.json`` holds the pages the extraction of
that date saw (the extract stage's model bytes; this module only stores them). A run for
date D reads the segments of the ``days`` dates before D only, so rerunning D reproduces the
same text, and two backfills of one site write different segments: neither loses the other's
learning. A run reads at most ``days`` objects, so these segments need no monthly compaction.
"""

from __future__ import annotations

import datetime as dt
import re

from crosspost.common.dates import Day, parse_day
from crosspost.lake.layout import boilerplate_key, boilerplate_prefix
from crosspost.lake.store import Store

_SEGMENT = re.compile(r"/dt=(\d{4}-\d\d-\d\d)\.json$")


def load_segments(store: Store, site: str, date: Day, days: int) -> list[tuple[str, bytes]]:
    """``(key, bytes)`` of the site's segments of the ``days`` dates before ``date``, oldest first."""
    last = parse_day(date)
    first = last - dt.timedelta(days=days)
    keys = sorted(key for key in store.list(boilerplate_prefix(site))
                  if (match := _SEGMENT.search(key)) and first <= parse_day(match.group(1)) < last)
    return [(key, store.get_bytes(key)) for key in keys]


def save_segment(store: Store, site: str, date: Day, data: bytes) -> str:
    """Write (or replace, on a rerun) the segment of ``date``; its key."""
    key = boilerplate_key(site, date)
    store.put_bytes(key, data)
    return key
