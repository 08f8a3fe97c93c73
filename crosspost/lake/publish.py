"""Write a date's partitions as Parquet parts and commit them together, with one record written last.

The commit protocol (``commit_tables``), for the tables of one date:

1. ``read``: read the date's commit record ``commits/dt=<date>/commit.json`` and its ETag (none:
   the date is new). It holds the manifest of every table of the date: which files readers use.
2. ``part-<n>``: encode each table's sorted rows in parts and upload each under a name no
   other write can use, ``part-<write id>-<n>.parquet`` (the write id is random per attempt).
   A part whose bytes equal a file the current manifest lists (same SHA-256) is not uploaded
   but listed as it is: a rerun with the same rows writes no data file at all.
3. ``list``: list each table's partition folder. Whatever is there and not in the new manifest
   belongs to the version being replaced, to a killed run, or to a run that will lose.
4. ``commit``: replace the commit record in one conditional PUT, If-Match the ETag of step 1
   (If-None-Match when there was none). If another run committed in between, the PUT fails:
   CommitConflict, and this run deletes only its own new parts. This one PUT publishes every
   table of the date at once: readers never see ``articles`` of one run and ``crossposts`` of
   another.
5. ``success``: copy each table's manifest to ``<table>/dt=<date>/_SUCCESS`` (for engines and
   people that look for the marker; crosspost's readers use the record).
6. ``sweep``: delete what step 3 found.

Why step 6 cannot delete a file a live record needs: a run that can still commit after
this one must have read this run's record (its If-Match is this ETag), so every file it
writes appears after step 4, too late for the listing of step 3; and write ids keep its
names apart from everything listed. A process killed between any two steps leaves the
previous record and all its files in place, so readers, which open only listed files,
see the old version or the new, never a mix; the next successful commit sweeps the rest.

``CROSSPOST_TEST_CRASH_AFTER=<step>`` makes the process exit right after that step (the
kill tests use it); unset, it does nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import secrets
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crosspost import __version__
from crosspost.common.dates import Day, day, parse_day, parse_iso
from crosspost.exceptions import CommitConflict, ManifestError, ObjectNotFound, StoreError
from crosspost.lake import layout
from crosspost.lake.reader import validate_manifest, validate_record
from crosspost.lake.schema import SCHEMA_VERSION, SCHEMAS, SORT_KEYS
from crosspost.lake.store import Store

log = logging.getLogger(__name__)

# Sizes are of the in-memory Arrow data; zstd makes files 3-4x smaller for article text.
ROW_GROUP_BYTES = 64 * 2**20
PART_BYTES = 256 * 2**20
UPLOADS_IN_FLIGHT = 3  # parts encoded while earlier ones upload: bounds memory
# Long free text: a dictionary never pays off and min/max statistics are useless, yet both
# cost time on the biggest columns.
FREE_TEXT = ("text", "description")
CRASH_ENV = "CROSSPOST_TEST_CRASH_AFTER"
CRASH_EXIT = 70


def write_partition(store: Store, name: str, date: Day, rows: list[dict[str, Any]], *, run_id: str,
                    data_interval: tuple[str, str] | None = None, sites: dict[str, Any] | None = None) -> str:
    """Write and commit one partition from row dicts; return the manifest key."""
    return commit_table(store, name, date, to_table(name, rows), run_id=run_id,
                        data_interval=data_interval, sites=sites)


def to_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows (dicts) to a typed table in deterministic order."""
    schema = SCHEMAS[name]
    columns = {f.name: _column(f, [r.get(f.name) for r in rows]) for f in schema}
    return sort_rows(name, pa.Table.from_pydict(columns, schema=schema))


def _column(field: pa.Field, values: list[Any]) -> list[Any]:
    # Only timestamps and dates can arrive as text: other columns go to Arrow as they are.
    if pa.types.is_timestamp(field.type) or pa.types.is_date32(field.type):
        return [_coerce(v, field) for v in values]
    return values


def sort_rows(name: str, table: pa.Table) -> pa.Table:
    """The table in its documented order (``SORT_KEYS``), whatever order the rows came in."""
    return table.sort_by([(k, "ascending") for k in SORT_KEYS[name]]) if table.num_rows else table


def _coerce(value: Any, field: pa.Field) -> Any:
    if pa.types.is_timestamp(field.type) and isinstance(value, str):
        parsed = parse_iso(value)
        if parsed is None:
            raise ValueError(f"{field.name}: not an ISO 8601 timestamp: {value!r}")
        return parsed
    if pa.types.is_date32(field.type) and isinstance(value, str):
        return parse_day(value)
    return value


def commit_table(store: Store, name: str, date: Day, table: pa.Table, *, run_id: str,
                 data_interval: tuple[str, str] | None = None, sites: dict[str, Any] | None = None) -> str:
    """Write ``table`` (sorted, in the table's schema) as the partition of ``date`` and commit it;
    the date's other tables keep their committed version. Return the table's ``_SUCCESS`` key."""
    return commit_tables(store, date, {name: table}, run_id=run_id, data_interval=data_interval, sites=sites)[0]


def commit_tables(store: Store, date: Day, tables: dict[str, pa.Table], *, run_id: str,
                  data_interval: tuple[str, str] | None = None, sites: dict[str, Any] | None = None) -> list[str]:
    """Write the partitions of ``date`` for every table in ``tables`` and commit them as one unit
    (the protocol above); return their ``_SUCCESS`` keys.

    Raises CommitConflict when another run committed the date meanwhile; the date then
    holds exactly that run's version.
    """
    key = layout.commit_key(date)
    current, etag = _current(store, key)
    _after("read")
    write_id, written, stale = secrets.token_hex(8), list[str](), list[str]()
    manifests: dict[str, dict[str, Any]] = {}
    try:
        for name, table in tables.items():
            previous = _previous_manifest(store, current, name, date)
            files = _write_parts(store, layout.table_prefix(name, date), table, write_id, previous, written)
            manifests[name] = _manifest(name, date, table, files, run_id=run_id, write_id=write_id,
                                        data_interval=data_interval, sites=sites)
        for name, manifest in manifests.items():
            stale += _unlisted(store, layout.table_prefix(name, date), layout.manifest_key(name, date),
                               manifest["files"])
        _after("list")
        _commit(store, key, _record(date, current, manifests, run_id, write_id), etag)
    except Exception as exc:
        if not isinstance(exc, _Unknown):  # no record lists our new parts: nobody else uses them
            _discard(store, written)
        raise
    _after("commit")
    sync_markers(store, date)
    _after("success")
    _sweep(store, key, stale)
    _after("sweep")
    return [layout.manifest_key(name, date) for name in tables]


def _current(store: Store, key: str) -> tuple[dict[str, Any] | None, str | None]:
    """The date's commit record and its ETag; an unreadable record is replaced, not reused."""
    try:
        data, etag = store.get_with_etag(key)
    except ObjectNotFound:
        return None, None
    try:
        return validate_record(json.loads(data), store.uri(key)), etag
    except (ValueError, ManifestError) as exc:
        log.warning("replacing the unreadable commit record %s: %s", store.uri(key), exc)
        return None, etag


def _previous_manifest(store: Store, record: dict[str, Any] | None, name: str, date: Day) -> dict[str, Any] | None:
    """The committed manifest of a table (from the record, else a ``_SUCCESS`` written before
    records existed), for reusing identical parts; None when there is none or it is unreadable."""
    if record and name in record["tables"]:
        committed: dict[str, Any] = record["tables"][name]
        return committed
    key = layout.manifest_key(name, date)
    try:
        return validate_manifest(json.loads(store.get_bytes(key)), store.uri(key))
    except (ObjectNotFound, ValueError, ManifestError):
        return None


def _record(date: Day, current: dict[str, Any] | None, manifests: dict[str, dict[str, Any]], run_id: str,
            write_id: str) -> bytes:
    tables = {**(current or {}).get("tables", {}), **manifests}
    record = {"dt": day(date), "run_id": run_id, "write_id": write_id, "code_version": __version__,
              "tables": tables}
    return json.dumps(record, indent=2, sort_keys=True).encode("utf-8")


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """A manifest as stored in ``_SUCCESS``."""
    return json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")


def sync_markers(store: Store, date: Day, attempts: int = 5) -> None:
    """Make each table's ``_SUCCESS`` a copy of its manifest in the date's current record.

    Runs after every commit; a slower run that committed earlier may write its markers after a
    later run did, so each pass ends by checking that the record is still the one it copied.
    """
    key = layout.commit_key(date)
    for _ in range(attempts):
        record, etag = _current(store, key)
        for name, manifest in (record or {}).get("tables", {}).items():
            _put_marker(store, layout.manifest_key(name, date), manifest_bytes(manifest))
        if _current(store, key)[1] == etag:
            return
    log.warning("%s kept changing while its _SUCCESS markers were written; the next run rewrites them",
                store.uri(key))


def _put_marker(store: Store, key: str, data: bytes) -> None:
    try:
        if store.get_bytes(key) == data:
            return
    except ObjectNotFound:
        pass
    try:
        store.put_bytes(key, data)
    except StoreError as exc:
        if store.get_bytes(key) != data:  # a lost answer to a PUT that landed is fine
            raise StoreError(f"the date is committed, but {store.uri(key)} could not be updated ({exc}); "
                             "crosspost's readers are unaffected, rerun to fix the marker") from exc


def _write_parts(store: Store, prefix: str, table: pa.Table, write_id: str, current: dict[str, Any] | None,
                 written: list[str]) -> list[dict[str, Any]]:
    """Encode and upload the parts, later parts encoding while earlier ones upload; record
    each key in ``written`` before its upload starts, so a failure can remove it."""
    reusable = {f.get("sha256"): f for f in (current or {}).get("files", []) if f.get("sha256")}
    files, pending = [], []
    with ThreadPoolExecutor(max_workers=UPLOADS_IN_FLIGHT, thread_name_prefix="part-upload") as pool:
        for n, part in enumerate(split(table)):
            data = parquet_bytes(part)
            entry = {"path": f"part-{write_id}-{n}.parquet", "size": len(data), "rows": part.num_rows,
                     "sha256": hashlib.sha256(data).hexdigest()}
            old = reusable.get(entry["sha256"])
            if old and _present(store, prefix + old["path"], old["size"]):
                files.append({**entry, "path": old["path"]})
                continue
            files.append(entry)
            written.append(prefix + entry["path"])
            pending.append((n, pool.submit(store.put_bytes, prefix + entry["path"], data)))
            _drain(pending, keep=UPLOADS_IN_FLIGHT - 1)
        _drain(pending, keep=0)
    return files


def _unlisted(store: Store, prefix: str, key: str, files: list[dict[str, Any]]) -> list[str]:
    listed = {prefix + f["path"] for f in files} | {key}
    return [k for k in store.list(prefix) if k not in listed]


def _drain(pending: list[tuple[int, Future[None]]], keep: int) -> None:
    while len(pending) > keep:
        n, future = pending.pop(0)
        future.result()
        _after(f"part-{n}")


def _present(store: Store, key: str, size: int) -> bool:
    try:
        return store.size(key) == size
    except ObjectNotFound:
        return False


def split(table: pa.Table) -> list[pa.Table]:
    """Consecutive slices of about ``PART_BYTES`` each (an empty table stays one empty part)."""
    rows = _rows_for(table, PART_BYTES)
    return [table.slice(start, rows) for start in range(0, max(table.num_rows, 1), rows)]


def _rows_for(table: pa.Table, target_bytes: int) -> int:
    # A row count from the average row size: deterministic for the same rows.
    if not table.num_rows:
        return 1
    return max(1, min(int(table.num_rows), target_bytes * int(table.num_rows) // max(int(table.nbytes), 1)))


def parquet_bytes(table: pa.Table) -> bytes:
    """zstd Parquet with statistics, row groups of about ``ROW_GROUP_BYTES`` and the schema
    version in the file metadata. The same table always gives the same bytes."""
    meta = dict(table.schema.metadata or {})
    meta[b"crosspost.schema_version"] = SCHEMA_VERSION.encode()
    buf = io.BytesIO()
    indexed = [_leaf(field) for field in table.schema if field.name not in FREE_TEXT]
    pq.write_table(table.replace_schema_metadata(meta), buf, compression="zstd",
                   row_group_size=_rows_for(table, ROW_GROUP_BYTES), use_dictionary=indexed,
                   write_statistics=indexed)
    return buf.getvalue()


def _leaf(field: pa.Field) -> str:
    # Parquet options name the leaf column: a list's values are ``<name>.list.element``.
    return f"{field.name}.list.element" if pa.types.is_list(field.type) else field.name


def _manifest(name: str, date: Day, table: pa.Table, files: list[dict[str, Any]], *, run_id: str, write_id: str,
              data_interval: tuple[str, str] | None, sites: dict[str, Any] | None) -> dict[str, Any]:
    manifest = {
        "table": name, "dt": day(date), "schema_version": SCHEMA_VERSION, "code_version": __version__,
        "run_id": run_id, "write_id": write_id, "data_interval": list(data_interval) if data_interval else None,
        "files": files, "rows": table.num_rows, "bytes": sum(f["size"] for f in files),
        "sort_keys": SORT_KEYS[name], "sites": sites or {}, "site_rows": _site_rows(table),
    }
    return manifest


def _site_rows(table: pa.Table) -> dict[str, Any]:
    if "site" not in table.column_names:
        return {}
    return dict(sorted(Counter(s for s in table["site"].to_pylist() if s).items()))


class _Unknown(StoreError):
    """The manifest PUT failed and reading it back failed too: whether it landed is unknown."""


def _commit(store: Store, key: str, data: bytes, etag: str | None) -> None:
    """One conditional PUT of the commit record; CommitConflict if another run's is there instead."""
    try:
        store.put_bytes(key, data, if_match=etag, if_absent=etag is None)
    except StoreError as exc:
        # A retried PUT whose first attempt landed is refused by its own precondition (or
        # its answer was lost): read back before deciding who won.
        try:
            landed = store.get_bytes(key) == data
        except StoreError:
            raise _Unknown(f"could not tell whether {store.uri(key)} was committed: {exc}") from exc
        if landed:
            return
        if isinstance(exc, CommitConflict):
            raise CommitConflict(f"{store.uri(key)}: another run committed this partition first; "
                                 "its version stands (rerun to replace it)") from exc
        raise


def _discard(store: Store, keys: list[str]) -> None:
    try:
        store.delete(keys)
    except StoreError as exc:
        log.warning("could not delete uncommitted parts %s: %s", keys, exc)


def _sweep(store: Store, key: str, stale: list[str]) -> None:
    if not stale:
        return
    try:
        store.delete(stale)
    except StoreError as exc:
        raise StoreError(f"{store.uri(key)} is committed, but files it does not list could not be "
                         f"deleted ({exc}); readers are unaffected, rerun to clean up") from exc
    log.info("removed %d files not listed by %s", len(stale), store.uri(key))


def _after(step: str) -> None:
    """The test seam of the commit protocol: exit the process right after ``step``."""
    if os.environ.get(CRASH_ENV) == step:
        os._exit(CRASH_EXIT)
