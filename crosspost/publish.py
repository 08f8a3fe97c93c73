"""Write a table's partition as Parquet and commit it with a `_SUCCESS` manifest, last.

Part files are named after a digest of their bytes, so a rerun that produces the same
rows writes the same files; a rerun with new rows writes new files, swaps the manifest in
one PUT and only then deletes the files the manifest no longer lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq

from crosspost import __version__, layout
from crosspost.schema import SCHEMA_VERSION, SCHEMAS, SORT_KEYS
from crosspost.store import Store

ROW_GROUP_ROWS = 50_000


def to_table(name: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) to a typed table in deterministic order."""
    schema = SCHEMAS[name]
    columns = {f.name: [_coerce(r.get(f.name), f.type) for r in rows] for f in schema}
    table = pa.Table.from_pydict(columns, schema=schema)
    return table.sort_by([(k, "ascending") for k in SORT_KEYS[name]]) if rows else table


def _coerce(value, typ):
    if pa.types.is_timestamp(typ) and isinstance(value, str):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def parquet_bytes(table: pa.Table) -> bytes:
    """zstd Parquet with the schema version in the file metadata."""
    meta = dict(table.schema.metadata or {})
    meta[b"crosspost.schema_version"] = SCHEMA_VERSION.encode()
    buf = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(meta), buf, compression="zstd",
                   row_group_size=ROW_GROUP_ROWS, write_statistics=True)
    return buf.getvalue()


def write_partition(store: Store, name: str, date, rows: list[dict], *, run_id: str,
                    data_interval: tuple[str, str] | None = None, sites: dict | None = None) -> str:
    """Write and commit one partition; return the manifest key."""
    data = parquet_bytes(to_table(name, rows))
    digest = hashlib.sha256(data).hexdigest()[:16]
    prefix = layout.table_prefix(name, date)
    part = f"part-{digest}-0.parquet"
    store.put_bytes(prefix + part, data)
    manifest = {
        "table": name, "dt": layout.day(date), "schema_version": SCHEMA_VERSION,
        "code_version": __version__, "run_id": run_id,
        "data_interval": list(data_interval) if data_interval else None,
        "files": [{"path": part, "size": len(data), "rows": len(rows)}],
        "rows": len(rows), "sites": sites or {},
    }
    key = layout.manifest_key(name, date)
    store.put_bytes(key, json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8"))
    _delete_unlisted(store, prefix, {part})
    return key


def _delete_unlisted(store: Store, prefix: str, keep: set[str]) -> None:
    stale = [k for k in store.list(prefix)
             if k[len(prefix):] not in keep and not k.endswith(layout.MANIFEST)]
    store.delete(stale)
