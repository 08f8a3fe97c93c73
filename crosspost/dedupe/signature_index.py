"""The cross-night signature index: one append-only segment per date in the store.

``dedupe_date`` for date D writes ``state/signatures/dt=D/`` and, to cluster D, reads the
segments of every date *before* D and nothing else: old text is never re-read, and a
rerun of D sees exactly what the first run saw, so it gives the same result (and writes
the same bytes).

A segment is two Parquet files, one row per article of D (per normalised URL):

- ``index.parquet`` (written last: a segment exists once its index does): URL, site,
  the metadata provenance needs (title, dates, credited source), the exact-text hash,
  word count, the 128 MinHash values (512 bytes) and the cluster id and original
  assigned on D. Every run reads every earlier index.
- ``sketches.parquet``: the verification sketch, the sorted distinct 32-bit hashes of
  the article's word 3-shingles (4 bytes a word: ~2 KB for 500 words). A run reads an
  earlier date's sketches only if one of its articles is an LSH candidate that passes
  the MinHash pre-filter (or the original of a cluster that grows): usually only the
  last few days'. Why full shingle sets rather than a
  fixed-size bottom-k sketch: verification across nights then decides exactly as it
  would within one night (``benchmarks/dedupe_quality.py`` measures what a 128-value
  bottom-k sketch would lose), and truncated copies need containment, which a bottom-k
  sketch estimates poorly when the sizes differ.

Backfills and reruns (the dedupe task has ``depends_on_past``, runs go forward in date order):

- rerunning D rewrites segment D from the records of D and the segments before D: same
  input, same output; later segments stay valid because they depend on D only through
  segment D, whose bytes do not change;
- backfilling dates *before* existing dates (say D1..D4 when D5..D10 exist): D1..D4 are
  computed against what precedes them; D5..D10 keep the clusters they were given, made
  without D1..D4 (a copy on D5 of an article of D3 is its own cluster there). Each index
  records a digest of the segments it was computed from, so ``stale_dates`` lists
  D5..D10; rerun them in date order (dedupe then publish) to recompute them.

Compaction (``compact``, run by ``dedupe_date``): once a month is over, its daily indexes
become one month segment (``state/signatures/month=YYYY-MM/``, crosspost.lake.compaction), so
a night reads one index object per earlier month plus its own month's days. A history reads
the same rows in the same order, and the basis digests stay those of the daily indexes (the
month manifest keeps each date's digest and basis), so nothing above changes: a rerun of an
old date still reads only the dates before it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from crosspost.common import dates
from crosspost.common.dates import Day
from crosspost.common.records import Record
from crosspost.dedupe.clusters import META, Member, Night
from crosspost.dedupe.minhash import (
    MIN_NEAR_WORDS,
    NUM_PERM,
    READABLE_VERSIONS,
    SIGNATURE_VERSION,
    band_keys,
)
from crosspost.exceptions import ConfigError
from crosspost.lake import compaction, layout
from crosspost.lake.reader import parquet_table
from crosspost.lake.store import Store

log = logging.getLogger(__name__)

BASIS = b"crosspost.basis"  # index metadata: digest of the earlier segments it was built on
VERSION = b"crosspost.signature_version"
_DATE = re.compile(r"dt=(\d{4}-\d{2}-\d{2})/" + re.escape(layout.SIGNATURE_INDEX_FILE) + "$")
INDEX_SCHEMA = pa.schema(
    [("key", pa.string())] + [(m, pa.string()) for m in META]
    + [("exact", pa.string()), ("n_words", pa.int32()), ("n_shingles", pa.int32()),
       ("minhash", pa.list_(pa.uint32(), NUM_PERM)),
       ("cluster_id", pa.string()), ("original_url", pa.string())])
SKETCH_SCHEMA = pa.schema([("key", pa.string()), ("sketch", pa.list_(pa.uint32()))])


def _read_index(data: bytes) -> pa.Table:
    """A daily index as rows of INDEX_SCHEMA (its metadata goes to the month manifest)."""
    return parquet_table(data).cast(INDEX_SCHEMA).replace_schema_metadata(None)


def _index_meta(data: bytes) -> dict[str, str]:
    meta = pq.read_schema(io.BytesIO(data)).metadata or {}
    return {"basis": meta.get(BASIS, b"").decode(), "version": meta.get(VERSION, b"").decode()}


# The indexes are compacted by month (crosspost.lake.compaction); sketches stay one file per
# date: they are read only for candidates, never all of them.
INDEX = compaction.DatedIndex(layout.SIGNATURES_ROOT, _DATE, layout.signature_index_key, _read_index, _index_meta)


def segment_dates(store: Store) -> list[str]:
    """Dates that have a segment (a daily index, or a date of a month segment), ascending."""
    return compaction.held_dates(store, INDEX)


class History:
    """Every article of the segments before a date, as columns (dates ascending, then URL)."""

    def __init__(self, index: pa.Table | None = None, row_dates: list[str] | None = None,
                 store: Store | None = None, basis: str = ""):
        index = INDEX_SCHEMA.empty_table() if index is None else index
        self.store, self.basis, self.row_dates = store, basis, row_dates or []
        self.dates = sorted(set(self.row_dates))
        self.keys = index.column("key").to_pylist()
        self.exact = index.column("exact").to_pylist()
        self.cluster_id = index.column("cluster_id").to_pylist()
        self.n_words = index.column("n_words").to_numpy(zero_copy_only=False).astype(np.int64)
        self.n_shingles = index.column("n_shingles").to_numpy(zero_copy_only=False).astype(np.int64)
        values = index.column("minhash").combine_chunks().flatten().to_numpy(zero_copy_only=False)
        self.minhash = values.astype(np.uint32, copy=False).reshape(-1, NUM_PERM)
        self.meta = {m: index.column(m).to_pylist() for m in META}
        self._sketches: dict[str, dict[str, np.ndarray]] = {}
        self._index()

    def _index(self) -> None:
        self.rows_by_key: dict[str, list[int]] = {}
        self.rows_by_exact: dict[str, list[int]] = {}
        self._members: dict[str, list[int]] = {}
        for row, (key, exact, cid) in enumerate(zip(self.keys, self.exact, self.cluster_id)):
            self.rows_by_key.setdefault(key, []).append(row)
            if self.n_words[row]:
                self.rows_by_exact.setdefault(exact, []).append(row)
            self._members.setdefault(cid, []).append(row)
        # LSH needs one row per distinct text: the earliest (exact copies share a cluster).
        firsts = [rows[0] for rows in self.rows_by_exact.values()]
        self.near_rows = np.array(sorted(r for r in firsts if self.n_words[r] >= MIN_NEAR_WORDS), dtype=np.int64)
        self.near_bands = band_keys(self.minhash[self.near_rows])

    def __len__(self) -> int:
        return len(self.keys)

    def members(self, cluster_id: str) -> list[int]:
        """Rows of an earlier cluster."""
        return self._members.get(cluster_id, [])

    def member(self, row: int) -> Member:
        """A row as a provenance ``Member``."""
        meta = {m: self.meta[m][row] for m in META}
        return Member(self.keys[row], meta["url"], self.exact[row], int(self.n_words[row]), meta, row=row)

    def sketch(self, row: int) -> np.ndarray:
        """A row's verification sketch (reads its date's sketch file on first use)."""
        return self._sketches_of(self.row_dates[row])[self.keys[row]]

    def preload(self, rows: np.ndarray) -> None:
        """Read the sketch files of the dates of ``rows`` (once each)."""
        for date in sorted({self.row_dates[r] for r in np.asarray(rows).tolist()}):
            self._sketches_of(date)

    def _sketches_of(self, date: str) -> dict[str, np.ndarray]:
        if date not in self._sketches:
            assert self.store is not None, "a history with rows comes from a store"
            self._sketches[date] = read_sketches(self.store, date)
        return self._sketches[date]


def load_history(store: Store, date: Day) -> History:
    """The segments of every date before ``date`` (never ``date`` itself or later)."""
    day = dates.day(dates.parse_day(date))
    table, held = compaction.read_before(store, INDEX, day)
    digest = hashlib.sha1()
    for d, info in held.items():
        _check_version(info["version"], d)
        digest.update(f"{d}:{info['digest']}\n".encode())
    row_dates = table.column("dt").to_pylist() if table is not None else []
    index = table.drop_columns(["dt"]) if table is not None else None
    log.info("signature history before %s: %d dates, %d articles", day, len(held), len(row_dates))
    return History(index, row_dates, store, digest.hexdigest())


def _check_version(found: str, date: str) -> None:
    if found not in READABLE_VERSIONS:
        raise ConfigError(f"signature segment of {date} has version {found or 'none'}, this code makes "
                          f"{SIGNATURE_VERSION}: rerun dedupe for every date in order "
                          "(see crosspost.dedupe.signature_index)")


def read_sketches(store: Store, date: Day) -> dict[str, np.ndarray]:
    """key -> sorted shingle hashes, for one date."""
    key = layout.signature_sketch_key(date)
    data = store.get_bytes(key)
    with compaction.readable(store, key):
        table = parquet_table(data)
        column = table.column("sketch").combine_chunks()
        values = column.values.to_numpy(zero_copy_only=False)
        offsets = column.offsets.to_numpy()
        keys = table.column("key").to_pylist()
    return {k: values[offsets[i] : offsets[i + 1]] for i, k in enumerate(keys)}


def segment_tables(night: Night, basis: str = "") -> tuple[pa.Table, pa.Table]:
    """Index and sketch tables of a night (sorted by URL key)."""
    order = sorted(range(len(night.docs)), key=lambda i: night.docs[i].key)
    assigned = _assignment_by_doc(night)
    index: dict[str, Any] = {"key": [night.docs[i].key for i in order]}
    index.update({m: [night.docs[i].meta.get(m) for i in order] for m in META})
    index["exact"] = [night.sigs[i].exact for i in order]
    index["n_words"] = [night.sigs[i].n_words for i in order]
    index["n_shingles"] = [len(night.sigs[i].sketch) for i in order]
    flat = pa.array(night.minhash[order].ravel() if order else np.empty(0, np.uint32), type=pa.uint32())
    index["minhash"] = pa.FixedSizeListArray.from_arrays(flat, NUM_PERM)
    index["cluster_id"] = [assigned[i]["cluster_id"] for i in order]
    index["original_url"] = [assigned[i]["original_url"] for i in order]
    table = pa.table(index, schema=INDEX_SCHEMA.with_metadata({BASIS: basis.encode(),
                                                               VERSION: SIGNATURE_VERSION.encode()}))
    sketches = pa.table({"key": index["key"], "sketch": [night.sigs[i].sketch for i in order]}, schema=SKETCH_SCHEMA)
    return table, sketches


def _assignment_by_doc(night: Night) -> dict[int, Record]:
    # Assignments are per raw URL; every doc has at least one (its own URL).
    by_url = {a["url"]: a for a in night.assignments}
    return {i: by_url[d.url] for i, d in enumerate(night.docs)}


def write_segment(store: Store, date: Day, night: Night, basis: str = "") -> bool:
    """Write a date's segment: sketches first, then the index that makes it visible.
    Returns whether the index changed (False on a rerun that found the same clusters)."""
    index, sketches = segment_tables(night, basis)
    data = _parquet(index)
    changed = compaction.digest_of(store, INDEX, dates.day(date)) != hashlib.sha1(data).hexdigest()
    store.put_bytes(layout.signature_sketch_key(date), _parquet(sketches))
    store.put_bytes(layout.signature_index_key(date), data)
    return bool(changed)


_parquet = compaction.parquet_bytes


def compact(store: Store, date: Day) -> list[str]:
    """Fold the daily indexes of the months before ``date``'s month into month segments."""
    return compaction.compact_before(store, INDEX, dates.day(dates.parse_day(date)))


def stale_dates(store: Store) -> list[str]:
    """Dates whose segment was built on other earlier segments than the current ones (after a
    backfill into the past): rerun them, in date order."""
    stale: list[str] = []
    digest = hashlib.sha1()
    for d, info in compaction.dates(store, INDEX).items():
        if stale or info["basis"] != digest.hexdigest():
            stale.append(d)
        digest.update(f"{d}:{info['digest']}\n".encode())
    return stale


def later_dates(store: Store, date: Day) -> list[str]:
    """Dates after ``date`` that already have a segment (a rerun of ``date`` may leave them stale)."""
    day = dates.day(dates.parse_day(date))
    return [d for d in segment_dates(store) if d > day]
