"""Gzipped JSON lines (crosspost.lake.jsonl): deterministic bytes, rows parsed once per payload."""

from __future__ import annotations

import gzip

from crosspost.lake import jsonl

ROWS = [{"url": "https://a.example/1", "text": "Straße ½ 東京", "n": 1.5}, {"url": "https://a.example/2", "spans": []}]


def test_equal_rows_give_equal_bytes_and_come_back():
    data = jsonl.dump_jsonl_gz(ROWS)
    assert data == jsonl.dump_jsonl_gz([dict(reversed(r.items())) for r in ROWS])  # keys sorted, mtime 0
    assert jsonl.load_jsonl_gz(data) == ROWS
    assert gzip.decompress(data).decode().count("\n") == 2


def test_a_payload_read_again_is_not_parsed_again_and_its_list_is_new(monkeypatch):
    data = jsonl.dump_jsonl_gz(ROWS)
    first = jsonl.load_jsonl_gz(data)
    first.append({"added": True})  # the caller's list is its own
    monkeypatch.setattr(jsonl, "gunzip_lines", lambda _: (_ for _ in ()).throw(AssertionError("parsed again")))
    again = jsonl.load_jsonl_gz(data)
    assert again == ROWS and again is not first


def test_the_parsed_rows_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(jsonl, "PARSED_CACHE_BYTES", 1)
    monkeypatch.setattr(jsonl, "_PARSED", type(jsonl._PARSED)())
    for n in range(3):
        assert jsonl.load_jsonl_gz(jsonl.dump_jsonl_gz([{"n": n}])) == [{"n": n}]
    assert len(jsonl._PARSED) <= 1
