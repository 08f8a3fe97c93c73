"""Read committed partitions: only the files the date's commit record lists, checked on the way.

A date's commit record (``commits/dt=<date>/commit.json``, written last by every commit) holds
the manifest of each of its tables, so the tables of one date are always read from one run.
A table the record does not know falls back to its ``_SUCCESS`` manifest (dates written before
records existed). Without either the partition does not exist for readers
(PartitionNotCommitted). Every file is checked against its manifest entry, size and SHA-256
(``verify=False`` skips the hash for trusted stores): a damaged, truncated or replaced file,
or a manifest that is not what crosspost writes, is a ManifestError naming it. A date
committed again while it is being read (its old files swept) is read again from the new
record, so a reader always gets one whole version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crosspost.common.dates import Day, parse_day
from crosspost.common.urls import normalize
from crosspost.exceptions import ConfigError, ManifestError, ObjectNotFound, PartitionNotCommitted
from crosspost.lake import layout
from crosspost.lake.schema import SCHEMA_VERSION, SCHEMAS, conform
from crosspost.lake.store import Store

READ_ATTEMPTS = 3  # a partition replaced mid-read is read again from its new manifest
READ_ATTEMPTS = 3  # a date committed again mid-read is read again from its new record
PART_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._=-]*")  # a file in the partition folder, nothing else
SHA256 = re.compile(r"[0-9a-f]{64}")


class _MissingPart(Exception):
    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


def validate_manifest(manifest: Any, where: str) -> dict[str, Any]:
    """``manifest`` if it has the shape crosspost writes (a file list of entries with a plain
    file name, a size and optionally a SHA-256), else ManifestError naming ``where``."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise ManifestError(f"{where} has no file list: it was not written by crosspost or is damaged")
    for n, entry in enumerate(manifest["files"]):
        problem = _entry_problem(entry)
        if problem:
            raise ManifestError(f"{where}: file entry {n} {problem}: the manifest is damaged")
    return manifest


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return f"is {type(entry).__name__}, not an object"
    if not isinstance(entry.get("path"), str) or not PART_NAME.fullmatch(entry["path"]):
        return f"has no usable path ({entry.get('path')!r})"
    if not isinstance(entry.get("size"), int) or entry["size"] < 0:
        return f"has no usable size ({entry.get('size')!r})"
    if "sha256" in entry and not (isinstance(entry["sha256"], str) and SHA256.fullmatch(entry["sha256"])):
        return f"has a malformed sha256 ({entry['sha256']!r})"
    return None


def validate_record(record: Any, where: str) -> dict[str, Any]:
    """A date's commit record if well formed (every table's manifest too), else ManifestError."""
    if not isinstance(record, dict) or not isinstance(record.get("tables"), dict):
        raise ManifestError(f"{where} has no table list: it was not written by crosspost or is damaged")
    for name, manifest in record["tables"].items():
        validate_manifest(manifest, f"{where} ({name})")
    return record


def _load_json(store: Store, key: str) -> tuple[Any, str] | None:
    try:
        data, etag = store.get_with_etag(key)
    except ObjectNotFound:
        return None
    try:
        return json.loads(data), etag
    except (ValueError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{store.uri(key)} is not valid JSON ({exc}): it is damaged") from None


def read_record(store: Store, date: Day) -> tuple[dict[str, Any] | None, str | None]:
    """The date's commit record and its ETag; (None, None) when the date has none."""
    key = layout.commit_key(date)
    found = _load_json(store, key)
    if found is None:
        return None, None
    return validate_record(found[0], store.uri(key)), found[1]


def read_manifest(store: Store, table: str, date: Day) -> dict[str, Any]:
    """The committed manifest of a partition; PartitionNotCommitted if there is none."""
    return _manifest(store, table, date)[0]


def _manifest(store: Store, table: str, date: Day) -> tuple[dict[str, Any], str, str | None]:
    """(manifest, key it came from, that key's ETag): the record's, else the legacy ``_SUCCESS``."""
    record, etag = read_record(store, date)
    if record and table in record["tables"]:
        return record["tables"][table], layout.commit_key(date), etag
    key = layout.manifest_key(table, date)
    found = _load_json(store, key)
    if found is None:
        raise PartitionNotCommitted(f"{store.uri(layout.table_prefix(table, date))} has no committed data")
    return validate_manifest(found[0], store.uri(key)), key, found[1]


def read_partition(store: Store, table: str, date: Day, *, verify: bool = True) -> pa.Table:
    """One committed partition as a table, with a ``dt`` (date) column."""
    for _ in range(READ_ATTEMPTS):
        manifest, key, etag = _manifest(store, table, date)
        try:
            return _load(store, table, date, manifest, key, verify)
        except _MissingPart as missing:
            if _etag_now(store, key) == etag:
                raise ManifestError(f"{store.uri(key)} lists {missing.path}, which is missing from "
                                    f"{store.uri(layout.table_prefix(table, date))}") from None
    raise ManifestError(f"{store.uri(layout.commit_key(date))} was replaced {READ_ATTEMPTS} times while being read; "
                        "try again")


def _etag_now(store: Store, key: str) -> str | None:
    try:
        return store.get_with_etag(key)[1]
    except ObjectNotFound:
        return None


def _load(store: Store, table: str, date: Day, manifest: dict[str, Any], key: str, verify: bool) -> pa.Table:
    prefix = layout.table_prefix(table, date)
    version = manifest.get("schema_version", SCHEMA_VERSION)
    parts = [conform(_read_part(store, prefix, entry, verify), table, version, store.uri(prefix))
             for entry in manifest["files"]]
    result = pa.concat_tables(parts, promote_options="default") if parts else SCHEMAS[table].empty_table()
    day = parse_day(date)
    return result.append_column("dt", pa.array([day] * result.num_rows, pa.date32()))


def _read_part(store: Store, prefix: str, entry: dict[str, Any], verify: bool) -> pa.Table:
    where = store.uri(prefix + entry["path"])
    try:
        data = store.get_bytes(prefix + entry["path"])
    except ObjectNotFound:
        raise _MissingPart(entry["path"]) from None
    if len(data) != entry["size"]:
        raise ManifestError(f"{where} has {len(data)} bytes, its manifest says {entry['size']}: it was changed "
                            "outside crosspost or truncated")
    if verify and "sha256" in entry and hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise ManifestError(f"{where} does not match the SHA-256 its manifest records: the file is damaged or was "
                            "changed outside crosspost (rerun the date to rewrite it)")
    try:
        return parquet_table(data)
    except (pa.ArrowException, OSError) as exc:
        raise ManifestError(f"{where} is not a readable Parquet file ({exc}): it is damaged") from None


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
    first, last = _bounds(start, end)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _bounds(start: Day, end: Day | None) -> tuple[dt.date, dt.date]:
    first = parse_day(start)
    last = parse_day(end) if end else first
    if last < first:
        raise ConfigError(f"the range ends before it starts ({last} is before {first})")
    return first, last


def committed_dates(store: Store, table: str, start: Day, end: Day | None = None) -> list[dt.date]:
    """The dates from ``start`` to ``end`` that have a commit record or a ``_SUCCESS`` of ``table``,
    found by listing (not one lookup per day: a range of centuries costs two listings)."""
    first, last = _bounds(start, end)
    found = set()
    for key in store.list("commits/") + store.list(f"{table}/"):
        match = re.search(r"/dt=([^/]+)/(?:commit\.json|_SUCCESS)$", "/" + key)
        if match:
            try:
                found.add(parse_day(match.group(1)))
            except ConfigError:
                continue  # a folder crosspost did not write
    return sorted(d for d in found if first <= d <= last)


def read_table(store: Store, table: str, start: Day, end: Day | None = None, *, originals_only: bool = False,
               verify: bool = True) -> pa.Table:
    """Committed partitions from ``start`` to ``end`` (inclusive) as one pyarrow Table.

    A single date that is not committed is PartitionNotCommitted; in a range, uncommitted
    dates are skipped. ``originals_only``: each article once (see ``originals``), with every
    cluster's current original (see ``current_clusters``); for ``clusters``, each cluster's
    current row. ``verify``: check every file's SHA-256 against its manifest (default).
    """
    store.check(write=False)
    first, last = _bounds(start, end)
    days = [first] if first == last else committed_dates(store, table, first, last)
    parts = []
    for day in days:
        try:
            parts.append(read_partition(store, table, day, verify=verify))
        except PartitionNotCommitted:
            if first == last:
                raise
    result = pa.concat_tables(parts, promote_options="default") if parts else _empty(table)
    if not originals_only:
        return result
    if table == "clusters":
        return latest_rows(result)
    return originals(result, current_clusters(store, days[0]))


def read_date(store: Store, date: Day, tables: tuple[str, ...] = layout.TABLES, *,
              verify: bool = True) -> dict[str, pa.Table]:
    """Every table of one date from the same commit (one record read for all of them)."""
    for _ in range(READ_ATTEMPTS):
        record, etag = read_record(store, date)
        try:
            out = {t: read_partition(store, t, date, verify=verify) for t in tables}
        except ManifestError:
            if read_record(store, date)[1] == etag:
                raise
            continue
        if read_record(store, date)[1] == etag:
            return out
    raise ManifestError(f"{store.uri(layout.commit_key(date))} kept changing while being read; try again")


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
    days = committed_dates(store, "clusters", start, dt.date.max)
    try:  # a date's commit record may hold no clusters table (written by an older version)
        return latest_rows(read_table(store, "clusters", days[0], days[-1])) if days else None
    except PartitionNotCommitted:
        return None


def committed_files(store: Store, table: str, start: Day, end: Day | None = None) -> list[str]:
    """URIs of the files the commit records list, for engines that read a file list
    (DuckDB ``read_parquet([...])``, ``pyarrow.dataset``, Spark ``read.parquet(*files)``)."""
    uris: list[str] = []
    for day in committed_dates(store, table, start, end):
        try:
            manifest = read_manifest(store, table, day)
        except PartitionNotCommitted:
            continue
        prefix = layout.table_prefix(table, day)
        uris.extend(store.uri(prefix + entry["path"]) for entry in manifest["files"])
    return uris
