"""Gzipped JSON lines: the format of intermediate stage outputs."""

from __future__ import annotations

import gzip
import json


def dump_jsonl_gz(rows) -> bytes:
    """Rows to gzipped JSON lines (mtime 0, so equal rows give equal bytes)."""
    text = "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in rows)
    return gzip.compress(text.encode("utf-8"), mtime=0)


def load_jsonl_gz(data: bytes) -> list[dict]:
    """Gzipped JSON lines back to rows."""
    return [json.loads(line) for line in gzip.decompress(data).decode("utf-8").splitlines() if line]
