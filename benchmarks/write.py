#!/usr/bin/env python3
"""Write speed: committing a ~1 GB partition to a local S3 server vs a bare boto3 ``upload_file``.

Both sides run in the same process against the same moto standalone server (a child
process on 127.0.0.1, so the server does not share this process's GIL):

- crosspost: ``publish.commit_table`` of an ``articles`` table from memory to committed
  (Parquet encoding, SHA-256, part uploads, manifest, listing and sweep all included);
- baseline: ``boto3`` ``upload_file`` (default transfer settings) of a local file holding the
  same number of bytes as the committed Parquet parts.

MB/s are 10^6 bytes of Parquet per second; the figure is the median of ``--repeat`` runs,
interleaved (baseline, crosspost, baseline, ...) so both see the same machine load.
Target: crosspost >= 0.8x the baseline. Exits 1 below target.

Usage: benchmarks/write.py [--gb 1.0] [--repeat 2]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosspost.lake import publish  # noqa: E402
from crosspost.lake.reader import read_manifest  # noqa: E402
from crosspost.lake.schema import ARTICLES  # noqa: E402
from crosspost.lake.store import S3Store, make_s3_client  # noqa: E402

TARGET = 0.8
BUCKET = "crosspost-bench"
ROW_TEXT = 6000  # characters of text per row: about a long news article


def start_server() -> tuple[subprocess.Popen, str]:
    """moto's S3 server in a child process; returns it and its endpoint."""
    code = ("import sys\nfrom moto.server import ThreadedMotoServer\n"
            "s = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)\ns.start()\n"
            "print(s.get_host_and_port()[1], flush=True)\nsys.stdin.read()\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    return child, f"http://127.0.0.1:{int(child.stdout.readline())}"


def make_table(gigabytes: float) -> pa.Table:
    """An ``articles`` table whose Parquet is about ``gigabytes`` GB: random base64 text barely
    compresses, so the bytes on the wire are close to the bytes in memory."""
    rows = int(gigabytes * 1e9 / (ROW_TEXT * 0.76))
    fixed = {"url": pa.array([f"http://bench.test/news/{i:09d}" for i in range(rows)]),
             "site": pa.array(["bench"] * rows), "status": pa.array(["ok"] * rows), "text": random_text(rows),
             "word_count": pa.array([ROW_TEXT // 7] * rows, pa.int32()),
             "fetched_at": pa.array([dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC)] * rows,
                                    ARTICLES.field("fetched_at").type)}
    columns = [fixed.get(f.name, pa.nulls(rows, f.type)) for f in ARTICLES]
    return pa.Table.from_arrays(columns, schema=ARTICLES)


def random_text(rows: int) -> pa.ChunkedArray:
    """``rows`` strings of ``ROW_TEXT`` random base64 characters, built straight from buffers."""
    per_chunk = 2**28 // ROW_TEXT
    chunks = []
    for start in range(0, rows, per_chunk):
        n = min(per_chunk, rows - start)
        data = base64.b64encode(os.urandom(n * ROW_TEXT * 3 // 4))
        offsets = np.arange(0, (n + 1) * ROW_TEXT, ROW_TEXT, dtype=np.int32)
        chunks.append(pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)]))
    return pa.chunked_array(chunks, pa.string())


def time_commit(store: S3Store, table: pa.Table, date: str) -> tuple[float, int]:
    """Seconds to commit ``table`` as the partition of ``date``, and the Parquet bytes written."""
    started = time.perf_counter()
    publish.commit_table(store, "articles", date, table, run_id="bench")
    seconds = time.perf_counter() - started
    return seconds, read_manifest(store, "articles", date)["bytes"]


def time_upload_file(client, path: str, key: str) -> float:
    """Seconds for a bare ``upload_file`` with boto3's default transfer settings."""
    started = time.perf_counter()
    client.upload_file(path, BUCKET, key)
    return time.perf_counter() - started


def same_bytes_file(store: S3Store, date: str, folder: str) -> str:
    """A local file as large as the committed parts (their bytes, concatenated)."""
    path = os.path.join(folder, "parts.bin")
    with open(path, "wb") as out:
        for entry in read_manifest(store, "articles", date)["files"]:
            out.write(store.get_bytes(f"articles/dt={date}/{entry['path']}"))
    return path


def run(gigabytes: float, repeat: int) -> float:
    """Run the interleaved measurements; print the figures; return the ratio."""
    child, endpoint = start_server()
    try:
        client = make_s3_client(endpoint)
        client.create_bucket(Bucket=BUCKET)
        store = S3Store(BUCKET, "lake", endpoint_url=endpoint, client=client)
        table = make_table(gigabytes)
        print(f"table: {table.num_rows} rows, {table.nbytes / 1e9:.2f} GB in memory")
        ours, bare, size = [], [], 0
        with tempfile.TemporaryDirectory(prefix="bench-write-") as tmp:
            for n in range(repeat):
                date = f"2026-11-{20 + n:02d}"
                seconds, size = time_commit(store, table, date)
                ours.append(size / seconds / 1e6)
                path = same_bytes_file(store, date, tmp)
                bare.append(size / time_upload_file(client, path, f"bare/{n}.bin") / 1e6)
                client.delete_object(Bucket=BUCKET, Key=f"bare/{n}.bin")
                print(f"run {n + 1}: crosspost {ours[-1]:.1f} MB/s, bare upload_file {bare[-1]:.1f} MB/s")
        parts = len(read_manifest(store, "articles", date)["files"])
        ratio = statistics.median(ours) / statistics.median(bare)
        print(f"partition: {size / 1e9:.2f} GB of Parquet in {parts} parts")
        print(f"crosspost commit_table: {statistics.median(ours):.1f} MB/s (median of {repeat})")
        print(f"bare boto3 upload_file: {statistics.median(bare):.1f} MB/s (median of {repeat})")
        print(f"ratio: {ratio:.2f}x (target >= {TARGET}x)")
        return ratio
    finally:
        child.stdin.close()
        child.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=1.0, help="partition size in GB of Parquet")
    parser.add_argument("--repeat", type=int, default=2, help="measurements per side (median)")
    args = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return 0 if run(args.gb, args.repeat) >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
