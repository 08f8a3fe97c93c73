"""Read committed partitions: only the files a `_SUCCESS` manifest lists.

A partition without ``_SUCCESS`` does not exist for readers (PartitionNotCommitted). A
manifest that lists a missing or resized file is a ManifestError naming the file. A
partition replaced while it is being read (its old files swept) is read again from the
new manifest, so a reader always gets one whole version.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crosspost.common.dates import Day, parse_day
from crosspost.common.urls import normalize
from crosspost.lake import layout
from crosspost.exceptions import ManifestError, ObjectNotFound, PartitionNotCommitted
from crosspost.lake.schema import SCHEMA_VERSION, SCHEMAS, conform
from crosspost.lake.store import Store

_COMMITTED = re.compile(r"dt=(\d{4}-\d{2}-\d{2})/" + re.escape(layout.MANIFEST) + "$")
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
    dates are skipped. ``originals_only``: each article once (see ``originals``), with every
    cluster's current original (see ``current_clusters``); for ``clusters``, each cluster's
    current row.
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
    if not originals_only:
        return result
    if table == "clusters":
        return latest_rows(result)
    return originals(result, current_clusters(store, days[0]))


def _empty(table: str) -> pa.Table:
    return SCHEMAS[table].empty_table().append_column("dt", pa.array([], pa.date32()))


def originals(table: pa.Table, current: pa.Table | None = None) -> pa.Table:
    """Each article once: one row per cluster, plus ``reappeared_at``, the sorted URLs of the
    other members of the cluster (the copies) within ``table``.

    With ``current`` (a cluster's current row, ``current_clusters``), every member's
    ``original_url`` and ``is_original`` are its cluster's current answer and ``origin_url`` /
    ``origin_name`` are added; the row kept is the original's, else (the original is outside
    the dates read) the first member read. Without it (partitions older than the ``clusters``
    table), the rows marked ``is_original`` when written."""
    if current is None or not current.num_rows:
        kept = table.filter(pc.fill_null(table["is_original"], False))
    else:
        table = _current_answer(table, current)
    clustered = table.filter(pc.is_valid(table["cluster_id"]))
    found: dict[str, list[str]] = {}
    chosen: dict[str, int] = {}
    originals_seen: dict[str, bool] = {}
    for i, (cluster, url, orig) in enumerate(zip(clustered["cluster_id"].to_pylist(), clustered["url"].to_pylist(),
                                                 clustered["is_original"].to_pylist())):
        found.setdefault(cluster, []).append(url)
        if cluster not in chosen or (orig and not originals_seen.get(cluster)):  # the original's row,
            chosen[cluster], originals_seen[cluster] = i, bool(orig)  # else the first read
    if current is not None and current.num_rows:
        kept = clustered.take(sorted(chosen.values()))
    urls = [sorted(set(found.get(cluster, [])) - {url})
            for cluster, url in zip(kept["cluster_id"].to_pylist(), kept["url"].to_pylist())]
    return kept.append_column("reappeared_at", pa.array(urls, pa.list_(pa.string())))


def _current_answer(table: pa.Table, current: pa.Table) -> pa.Table:
    """``table`` with every member's current original and its cluster's origin."""
    by_id = {c["cluster_id"]: c for c in current.select(["cluster_id", "original_url", "origin_url", "origin_name"])
             .to_pylist()}
    rows = [by_id.get(cid) for cid in table["cluster_id"].to_pylist()]
    was = table["original_url"].to_pylist()
    original = [r["original_url"] if r else w for r, w in zip(rows, was)]
    is_original = [None if cid is None else normalize(url) == normalize(orig)
                   for cid, url, orig in zip(table["cluster_id"].to_pylist(), table["url"].to_pylist(), original)]
    for name, values, kind in (("original_url", original, pa.string()), ("is_original", is_original, pa.bool_())):
        table = table.set_column(table.column_names.index(name), name, pa.array(values, kind))
    for name in ("origin_url", "origin_name"):
        table = table.append_column(name, pa.array([r[name] if r else None for r in rows], pa.string()))
    return table


def latest_rows(clusters: pa.Table) -> pa.Table:
    """The row of each cluster from the latest partition that holds it (its current answer)."""
    if not clusters.num_rows:
        return clusters
    latest: dict[str, tuple[dt.date, int]] = {}
    for i, (cid, day) in enumerate(zip(clusters["cluster_id"].to_pylist(), clusters["dt"].to_pylist())):
        if cid not in latest or day >= latest[cid][0]:
            latest[cid] = (day, i)
    return clusters.take(sorted(i for _, i in latest.values()))


def current_clusters(store: Store, start: Day) -> pa.Table | None:
    """Each cluster's current row, from the ``clusters`` partitions from ``start`` to the latest
    committed one (a cluster read on date D has a row on D, and any later change has a later
    row); None when no ``clusters`` partition is committed from ``start`` on."""
    first = parse_day(start).isoformat()
    days = sorted(m.group(1) for k in store.list("clusters/") if (m := _COMMITTED.search(k)) and m.group(1) >= first)
    if not days:
        return None
    return latest_rows(read_table(store, "clusters", days[0], days[-1]))


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
