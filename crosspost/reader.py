"""Read committed partitions: only the files a `_SUCCESS` manifest lists."""

from __future__ import annotations

import datetime as dt
import io
import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crosspost import layout
from crosspost.exceptions import ManifestError, ObjectNotFound, PartitionNotCommitted
from crosspost.schema import SCHEMAS
from crosspost.store import Store


def read_manifest(store: Store, table: str, date) -> dict:
    """The manifest of a partition; PartitionNotCommitted if there is none."""
    key = layout.manifest_key(table, date)
    try:
        return json.loads(store.get_bytes(key))
    except ObjectNotFound:
        raise PartitionNotCommitted(f"{store.uri(layout.table_prefix(table, date))} has no committed data") from None
    except ValueError as exc:
        raise ManifestError(f"{store.uri(key)} is not valid JSON: {exc}") from None


def read_partition(store: Store, table: str, date) -> pa.Table:
    """One committed partition as a table, with a ``dt`` column."""
    manifest = read_manifest(store, table, date)
    prefix = layout.table_prefix(table, date)
    parts = []
    for entry in manifest["files"]:
        try:
            parts.append(pq.read_table(io.BytesIO(store.get_bytes(prefix + entry["path"]))))
        except ObjectNotFound:
            raise ManifestError(
                f"{store.uri(layout.manifest_key(table, date))} lists {entry['path']}, which is missing"
            ) from None
    result = pa.concat_tables(parts) if parts else SCHEMAS[table].empty_table()
    return result.append_column("dt", pa.array([layout.day(date)] * result.num_rows, pa.string()))


def read_table(store: Store, table: str, start, end=None, *, originals_only: bool = False) -> pa.Table:
    """Committed partitions from ``start`` to ``end`` (inclusive); missing dates are skipped."""
    start = layout.parse_date(start)
    end = layout.parse_date(end) if end else start
    parts = []
    day = start
    while day <= end:
        try:
            parts.append(read_partition(store, table, day))
        except PartitionNotCommitted:
            if start == end:
                raise
        day += dt.timedelta(days=1)
    result = pa.concat_tables(parts) if parts else SCHEMAS[table].empty_table()
    if originals_only and "is_original" in result.column_names:
        result = result.filter(pc.fill_null(result["is_original"], False))
    return result
