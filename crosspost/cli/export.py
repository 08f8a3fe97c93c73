"""Write a pyarrow table as JSON lines, CSV or Parquet (for ``crosspost read``).

JSON lines keep lists as arrays; CSV writes them as JSON arrays in one cell. Timestamps
are ISO 8601 in UTC with a ``Z``; dates are ``YYYY-MM-DD``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys

import pyarrow as pa

BATCH_ROWS = 1000  # rows converted to Python at a time: output of any size in bounded memory


def write_rows(table: pa.Table, fmt: str, path: str | None) -> None:
    """Write ``table`` to ``path`` (stdout when None; Parquet needs a path)."""
    from crosspost.exceptions import ConfigError

    if path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise ConfigError(f"cannot write {path}: the folder {os.path.dirname(os.path.abspath(path))} does not exist")
    try:
        if fmt == "parquet":
            _write_parquet(table, path)
            return
        out = open(path, "w", encoding="utf-8", newline="") if path else sys.stdout
        try:
            (_write_csv if fmt == "csv" else _write_jsonl)(table, out)
        finally:
            if path:
                out.close()
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _write_parquet(table: pa.Table, path: str | None) -> None:
    import pyarrow.parquet as pq

    if not path:
        from crosspost.exceptions import ConfigError

        raise ConfigError("--format parquet needs --output FILE")
    pq.write_table(table, path, compression="zstd")


def _rows(table: pa.Table):
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        yield from batch.to_pylist()


def _write_jsonl(table: pa.Table, out) -> None:
    for row in _rows(table):
        out.write(json.dumps(row, default=_iso, ensure_ascii=False) + "\n")


def _write_csv(table: pa.Table, out) -> None:
    writer = csv.DictWriter(out, fieldnames=table.column_names)
    writer.writeheader()
    for row in _rows(table):
        writer.writerow({k: _cell(v) for k, v in row.items()})


def _cell(value):
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (dt.date, dt.datetime)):
        return _iso(value)
    return value


def _iso(value):
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC) if value.tzinfo else value
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
