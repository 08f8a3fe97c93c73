"""The output schema is the product's interface: pinned here, documented in docs/schema.md,
and evolved by the rules of crosspost/schema.py."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crosspost.exceptions import ManifestError
from crosspost.lake import layout
from crosspost.lake.publish import parquet_bytes, to_table, write_partition
from crosspost.lake.reader import read_table
from crosspost.lake.schema import SCHEMA_VERSION, SCHEMAS, SORT_KEYS, conform
from crosspost.lake.store import open_store

DATE = "2026-11-20"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "schema.md"

# Changing these lines is changing the product's interface. Appending a column: bump the
# minor version. Anything else: bump the major version. Then update docs/schema.md.
PINNED_VERSION = "1.2"
PINNED = {
    "articles": [
        "url: string", "site: string", "status: string", "reason: string", "title: string",
        "authors: list<item: string>", "published_at: timestamp[us, tz=UTC]", "published_evidence: string",
        "modified_at: timestamp[us, tz=UTC]", "language: string", "site_name: string", "canonical_url: string",
        "description: string", "tags: list<item: string>", "image_url: string", "text: string",
        "word_count: int32", "text_hash: string", "credited_source_name: string", "credited_source_url: string",
        "credited_source_evidence: string", "original_published_at: timestamp[us, tz=UTC]",
        "fetched_at: timestamp[us, tz=UTC]", "http_status: int16", "cluster_id: string", "original_url: string",
        "is_original: bool", "cluster_size: int32", "modified_evidence: string",
        "original_published_evidence: string", "boilerplate_paragraphs: int32",
    ],
    "crossposts": [
        "cluster_id: string", "url: string", "site: string", "original_url: string", "is_original: bool",
        "relation: string", "similarity: double", "jaccard: double", "containment: double", "lag_hours: double",
        "credits_original: bool", "title_changed: bool", "original_evidence: string", "kept_share: double",
        "added_share: double",
        "spans: list<item: struct<original_start: int32, original_end: int32, copy_start: int32, copy_end: int32>>",
    ],
    "clusters": [
        "cluster_id: string", "original_url: string", "original_evidence: string", "size: int32",
        "first_seen: date32[day]", "last_seen: date32[day]", "origin_url: string", "origin_name: string",
        "origin_evidence: string",
    ],
}
PINNED_SORT = {"articles": ["url"], "crossposts": ["cluster_id", "url"], "clusters": ["cluster_id"]}


def test_schema_is_pinned():
    current = {name: [f"{f.name}: {f.type}" for f in schema] for name, schema in SCHEMAS.items()}
    assert (SCHEMA_VERSION, current, SORT_KEYS) == (PINNED_VERSION, PINNED, PINNED_SORT), (
        "the output schema changed: adding a column at the end bumps the minor version, anything else the major; "
        "update PINNED and docs/schema.md")


def _documented(table: str) -> dict[str, str]:
    text = DOCS.read_text()
    section = text.split(f"## `{table}`", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", section, re.M))


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_docs_describe_every_column(table):
    documented = _documented(table)
    expected = {f.name: _doc_type(f.type) for f in SCHEMAS[table]}
    assert documented == expected
    assert f"Schema version: **{SCHEMA_VERSION}**" in DOCS.read_text()


def _doc_type(kind: pa.DataType) -> str:
    """How docs/schema.md writes a type: ``list<string>``, ``date32``, struct fields without ``item``."""
    return str(kind).replace("list<item: ", "list<").replace("date32[day]", "date32")


def _hand_written_partition(store, table: pa.Table, version: str) -> None:
    prefix = layout.table_prefix("articles", DATE)
    data = parquet_bytes(table)
    store.put_bytes(prefix + "part-old-0.parquet", data)
    manifest = {"schema_version": version, "files": [{"path": "part-old-0.parquet", "size": len(data)}]}
    store.put_bytes(prefix + "_SUCCESS", json.dumps(manifest).encode())


def test_older_minor_partition_reads_with_nulls_for_new_columns(local_store_url, rows):
    store = open_store(local_store_url)
    old = to_table("articles", rows("v1")).drop_columns(["modified_evidence", "original_published_evidence"])
    _hand_written_partition(store, old, "1.0")
    table = read_table(store, "articles", DATE)
    assert table.column_names == SCHEMAS["articles"].names + ["dt"]
    assert table["original_published_evidence"].null_count == 4


def test_newer_minor_partition_keeps_its_extra_column(local_store_url, rows):
    store = open_store(local_store_url)
    new = to_table("articles", rows("v1"))
    _hand_written_partition(store, new.append_column("sentiment", pa.array([0.5] * 4)), "1.7")
    assert read_table(store, "articles", DATE)["sentiment"].to_pylist() == [0.5] * 4


def test_other_major_is_refused_clearly(local_store_url, rows):
    store = open_store(local_store_url)
    _hand_written_partition(store, to_table("articles", rows("v1")), "2.0")
    with pytest.raises(ManifestError, match="has schema 2.0; this crosspost reads 1.x"):
        read_table(store, "articles", DATE)


def test_conform_casts_and_orders():
    table = pa.table({"url": ["u"], "cluster_id": ["c"], "similarity": pa.array([1], pa.int64())})
    out = conform(table, "crossposts", SCHEMA_VERSION)
    assert out.schema.names == SCHEMAS["crossposts"].names and out["similarity"].type == pa.float64()


def test_version_is_in_every_file_and_manifest(store, rows):
    write_partition(store, "crossposts", DATE, [], run_id="r")
    prefix = layout.table_prefix("crossposts", DATE)
    manifest = json.loads(store.get_bytes(prefix + "_SUCCESS"))
    data = store.get_bytes(prefix + manifest["files"][0]["path"])
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert pq.read_metadata(io.BytesIO(data)).metadata[b"crosspost.schema_version"] == SCHEMA_VERSION.encode()


def test_table_columns_come_from_the_record_and_assignment_fields():
    from crosspost.common.records import ALIGNMENT_FIELDS, ASSIGNMENT_FIELDS, RECORD_FIELDS
    from crosspost.lake.schema import ARTICLES, CROSSPOSTS

    assert set(ARTICLES.names) <= set(RECORD_FIELDS) | set(ASSIGNMENT_FIELDS) | {"text_hash"}
    assert set(CROSSPOSTS.names) <= set(ASSIGNMENT_FIELDS) | set(ALIGNMENT_FIELDS)
