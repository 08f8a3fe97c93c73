"""Write a pyarrow table as JSON lines, CSV or Parquet (for ``crosspost read``)."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pyarrow as pa


def write_rows(table: pa.Table, fmt: str, path: str | None) -> None:
    """Write ``table`` to ``path`` (stdout when None; Parquet needs a path)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        if not path:
            from crosspost.exceptions import ConfigError

            raise ConfigError("--format parquet needs --output FILE")
        pq.write_table(table, path, compression="zstd")
        return
    out = open(path, "w", encoding="utf-8", newline="") if path else sys.stdout
    try:
        (_write_csv if fmt == "csv" else _write_jsonl)(table, out)
    finally:
        if path:
            out.close()


def _write_jsonl(table: pa.Table, out) -> None:
    for row in table.to_pylist():
        out.write(json.dumps(row, default=_iso, ensure_ascii=False) + "\n")


def _write_csv(table: pa.Table, out) -> None:
    import csv

    writer = csv.DictWriter(out, fieldnames=table.column_names)
    writer.writeheader()
    for row in table.to_pylist():
        writer.writerow({k: (json.dumps(v) if isinstance(v, list) else _iso(v) if isinstance(v, dt.datetime) else v)
                         for k, v in row.items()})


def _iso(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
