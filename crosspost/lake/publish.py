"""Write a table's partition as Parquet parts and commit it with a `_SUCCESS` manifest, last.

The commit protocol (``commit_table``), for one partition ``<table>/dt=<date>/``:

1. ``read``: read the current manifest and its ETag (none: the partition is new).
2. ``part-<n>``: encode the sorted rows in parts and upload each under a name no other write
   can use, ``part-<write id>-<n>.parquet`` (the write id is random per attempt). A part
   whose bytes equal a file the current manifest lists (same SHA-256) is not uploaded but
   listed as it is: a rerun with the same rows writes no data file at all.
3. ``list``: list the partition folder. Whatever is there and not in the new manifest
   belongs to the version being replaced, to a killed run, or to a run that will lose.
4. ``commit``: replace ``_SUCCESS`` in one conditional PUT, If-Match the ETag of step 1
   (If-None-Match when there was none). If another run committed in between, the PUT
   fails: CommitConflict, and this run deletes only its own new parts.
5. ``sweep``: delete what step 3 found.

Why step 5 cannot delete a file a live manifest needs: a run that can still commit after
this one must have read this run's manifest (its If-Match is this ETag), so every file it
writes appears after step 4, too late for the listing of step 3; and write ids keep its
names apart from everything listed. A process killed between any two steps leaves the
previous manifest and all its files in place, so readers, which open only listed files,
see the old version or the new, never a mix; the next successful commit sweeps the rest.

``CROSSPOST_TEST_CRASH_AFTER=<step>`` makes the process exit right after that step (the
kill tests use it); unset, it does nothing.
"""

from __future__ import annotations

import datetime as dt
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
from crosspost.lake import layout
from crosspost.exceptions import CommitConflict, ObjectNotFound, StoreError
from crosspost.lake.schema import SCHEMA_VERSION, SCHEMAS, SORT_KEYS
from crosspost.lake.store import LocalStore, Store, open_store

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
    columns = {f.name: [_coerce(r.get(f.name), f) for r in rows] for f in schema}
    return sort_rows(name, pa.Table.from_pydict(columns, schema=schema))


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
    """Write ``table`` (sorted, in the table's schema) as the partition of ``date`` and commit it.

    Raises CommitConflict when another run committed the partition meanwhile; the
    partition then holds exactly that run's version.
    """
    prefix, key = layout.table_prefix(name, date), layout.manifest_key(name, date)
    current, etag = _current(store, key)
    _after("read")
    write_id, written = secrets.token_hex(8), list[str]()
    try:
        files = _write_parts(store, prefix, table, write_id, current, written)
        stale = _unlisted(store, prefix, key, files)
        _after("list")
        manifest = _manifest(name, date, table, files, run_id=run_id, write_id=write_id,
                             data_interval=data_interval, sites=sites)
        _commit(store, key, manifest, etag)
    except Exception as exc:
        if not isinstance(exc, _Unknown):  # no manifest lists our new parts: nobody else uses them
            _discard(store, written)
        raise
    _after("commit")
    _sweep(store, key, stale)
    _after("sweep")
    return key


def _current(store: Store, key: str) -> tuple[dict[str, Any] | None, str | None]:
    try:
        data, etag = store.get_with_etag(key)
    except ObjectNotFound:
        return None, None
    try:
        return json.loads(data), etag
    except ValueError:
        return None, etag  # an unreadable manifest is replaced, not reused


def _write_parts(store: Store, prefix: str, table: pa.Table, write_id: str, current: dict[str, Any] | None,
                 written: list[str]) -> list[dict[str, Any]]:
    """Encode and upload the parts, later parts encoding while earlier ones upload; record
    each key in ``written`` before its upload starts, so a failure can remove it."""
    reusable = {f.get("sha256"): f for f in (current or {}).get("files", [])}
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
              data_interval: tuple[str, str] | None, sites: dict[str, Any] | None) -> bytes:
    manifest = {
        "table": name, "dt": day(date), "schema_version": SCHEMA_VERSION, "code_version": __version__,
        "run_id": run_id, "write_id": write_id, "data_interval": list(data_interval) if data_interval else None,
        "files": files, "rows": table.num_rows, "bytes": sum(f["size"] for f in files),
        "sort_keys": SORT_KEYS[name], "sites": sites or {}, "site_rows": _site_rows(table),
    }
    return json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")


def _site_rows(table: pa.Table) -> dict[str, Any]:
    if "site" not in table.column_names:
        return {}
    return dict(sorted(Counter(s for s in table["site"].to_pylist() if s).items()))


class _Unknown(StoreError):
    """The manifest PUT failed and reading it back failed too: whether it landed is unknown."""


def _commit(store: Store, key: str, data: bytes, etag: str | None) -> None:
    """One conditional PUT of the manifest; CommitConflict if another run's is there instead."""
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
