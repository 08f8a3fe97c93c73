"""Read committed partitions: only the files a `_SUCCESS` manifest lists.

A partition without ``_SUCCESS`` does not exist for readers (PartitionNotCommitted). A
manifest that lists a missing or resized file is a ManifestError naming the file. A
partition replaced while it is being read (its old files swept) is read again from the
new manifest, so a reader always gets one whole version.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crosspost.common.dates import Day, parse_day
from crosspost.lake import layout
from crosspost.exceptions import ManifestError, ObjectNotFound, PartitionNotCommitted
from crosspost.lake.schema import SCHEMA_VERSION, SCHEMAS, conform
from crosspost.lake.store import Store

READ_ATTEMPTS = 3  # a partition replaced mid-read is read again from its new manifest


class _MissingPart(Exception):
    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


def read_manifest(store: Store, table: str, date: Day) -> dict[str, Any]:
    """The manifest of a partition; PartitionNotCommitted if there is none."""
    return _manifest(store, table, date)[0]


def _manifest(store: Store, table: str, date: Day) -> tuple[dict[str, Any], str]:
    key = layout.manifest_key(table, date)
    try:
        data, etag = store.get_with_etag(key)
    except ObjectNotFound:
        raise PartitionNotCommitted(f"{store.uri(layout.table_prefix(table, date))} has no committed data") from None
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise ManifestError(f"{store.uri(key)} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise ManifestError(f"{store.uri(key)} has no file list")
    return manifest, etag


def read_partition(store: Store, table: str, date: Day) -> pa.Table:
    """One committed partition as a table, with a ``dt`` (date) column."""
    key = layout.manifest_key(table, date)
    for _ in range(READ_ATTEMPTS):
        manifest, etag = _manifest(store, table, date)
        try:
            return _load(store, table, date, manifest)
        except _MissingPart as missing:
            if _etag_now(store, key) == etag:
                raise ManifestError(f"{store.uri(key)} lists {missing.path}, which is missing from "
                                    f"{store.uri(layout.table_prefix(table, date))}") from None
    raise ManifestError(f"{store.uri(key)} was replaced {READ_ATTEMPTS} times while being read; try again")


def _etag_now(store: Store, key: str) -> str | None:
    try:
        return store.get_with_etag(key)[1]
    except ObjectNotFound:
        return None


def _load(store: Store, table: str, date: Day, manifest: dict[str, Any]) -> pa.Table:
    prefix = layout.table_prefix(table, date)
    version = manifest.get("schema_version", SCHEMA_VERSION)
    parts = [conform(_read_part(store, prefix, entry), table, version, store.uri(prefix))
             for entry in manifest["files"]]
    result = pa.concat_tables(parts, promote_options="default") if parts else SCHEMAS[table].empty_table()
    day = parse_day(date)
    return result.append_column("dt", pa.array([day] * result.num_rows, pa.date32()))


def _read_part(store: Store, prefix: str, entry: dict[str, Any]) -> pa.Table:
    try:
        data = store.get_bytes(prefix + entry["path"])
    except ObjectNotFound:
        raise _MissingPart(entry["path"]) from None
    if "size" in entry and len(data) != entry["size"]:
        raise ManifestError(f"{store.uri(prefix + entry['path'])} has {len(data)} bytes, its manifest says "
                            f"{entry['size']}: it was changed outside crosspost")
    return parquet_table(data)


def parquet_table(data: bytes) -> pa.Table:
    """A Parquet file held in memory, read on this thread only.

    ``pq.read_table(io.BytesIO(data))`` pre-buffers through Arrow's thread pool, whose workers
    may drop the last reference to a Python-owned buffer after the caller has moved on. If the
    interpreter is exiting by then, the worker cannot take the GIL, Python ends that thread with
    pthread_exit, the unwind crosses a C++ destructor and the process aborts ("terminate called
    without an active exception", exit 134: seen at the end of `crosspost read` under CPU load).
    Our files are small: read them serially, without pre-buffering, from a native reader.
    """
    return pq.ParquetFile(pa.BufferReader(data), pre_buffer=False).read(use_threads=False)


def dates(start: Day, end: Day | None = None) -> list[dt.date]:
    """Every date from ``start`` to ``end`` inclusive (``end`` defaults to ``start``)."""
    first = parse_day(start)
    last = parse_day(end) if end else first
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def read_table(store: Store, table: str, start: Day, end: Day | None = None, *, originals_only: bool = False) -> pa.Table:
    """Committed partitions from ``start`` to ``end`` (inclusive) as one pyarrow Table.

    A single date that is not committed is PartitionNotCommitted; in a range, uncommitted
    dates are skipped. ``originals_only``: each article once (see ``originals``).
    """
    store.check(write=False)
    days = dates(start, end)
    parts = []
    for day in days:
        try:
            parts.append(read_partition(store, table, day))
        except PartitionNotCommitted:
            if len(days) == 1:
                raise
    result = pa.concat_tables(parts, promote_options="default") if parts else _empty(table)
    return originals(result) if originals_only else result


def _empty(table: str) -> pa.Table:
    return SCHEMAS[table].empty_table().append_column("dt", pa.array([], pa.date32()))


def originals(table: pa.Table) -> pa.Table:
    """Each article once: the rows that are their cluster's original, plus ``reappeared_at``,
    the sorted URLs of the other members of the cluster (the copies) within ``table``."""
    is_original = pc.fill_null(table["is_original"], False)
    copies = table.filter(pc.and_(pc.invert(is_original), pc.is_valid(table["cluster_id"])))
    found: dict[str, list[str]] = {}
    for cluster, url in zip(copies["cluster_id"].to_pylist(), copies["url"].to_pylist()):
        found.setdefault(cluster, []).append(url)
    kept = table.filter(is_original)
    urls = [sorted(set(found.get(cluster, []))) for cluster in kept["cluster_id"].to_pylist()]
    return kept.append_column("reappeared_at", pa.array(urls, pa.list_(pa.string())))


def committed_files(store: Store, table: str, start: Day, end: Day | None = None) -> list[str]:
    """URIs of the files the manifests list, for engines that read a file list
    (DuckDB ``read_parquet([...])``, ``pyarrow.dataset``, Spark ``read.parquet(*files)``)."""
    uris: list[str] = []
    for day in dates(start, end):
        try:
            manifest = read_manifest(store, table, day)
        except PartitionNotCommitted:
            continue
        prefix = layout.table_prefix(table, day)
        uris.extend(store.uri(prefix + entry["path"]) for entry in manifest["files"])
    return uris
