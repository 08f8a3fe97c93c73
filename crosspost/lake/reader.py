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
import io
import json
import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crosspost.common.dates import Day, parse_day
from crosspost.exceptions import ConfigError, ManifestError, ObjectNotFound, PartitionNotCommitted
from crosspost.lake import layout
from crosspost.lake.schema import SCHEMA_VERSION, SCHEMAS, conform
from crosspost.lake.store import Store

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
        return pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as exc:
        raise ManifestError(f"{where} is not a readable Parquet file ({exc}): it is damaged") from None


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
    dates are skipped. ``originals_only``: each article once (see ``originals``).
    ``verify``: check every file's SHA-256 against its manifest (default).
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
    return originals(result) if originals_only else result


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
