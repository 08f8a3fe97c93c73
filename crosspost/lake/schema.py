"""The output tables' Arrow schemas: the product's interface, versioned.

``SCHEMA_VERSION`` is ``MAJOR.MINOR``; it is written into every manifest and every Parquet
file's key-value metadata (``crosspost.schema_version``). Adding a column at the end is
backward compatible and bumps the minor version: readers fill it with nulls in older
partitions. Anything else (removing, renaming, retyping or reordering a column, changing
the sort order) bumps the major version, and readers refuse partitions of another major.
``tests/crosspost/lake/test_schema.py`` pins the columns, so an accidental change fails a test;
``docs/schema.md`` documents them column by column.
"""

from __future__ import annotations

import pyarrow as pa

from crosspost.exceptions import ManifestError

# 1.1: the clusters table; crossposts alignment and evidence. 1.2: articles.boilerplate_paragraphs
SCHEMA_VERSION = "1.2"
_TS = pa.timestamp("us", tz="UTC")
_STRS = pa.list_(pa.string())

ARTICLES = pa.schema([
    ("url", pa.string()), ("site", pa.string()), ("status", pa.string()), ("reason", pa.string()),
    ("title", pa.string()), ("authors", _STRS), ("published_at", _TS), ("published_evidence", pa.string()),
    ("modified_at", _TS), ("language", pa.string()), ("site_name", pa.string()),
    ("canonical_url", pa.string()), ("description", pa.string()), ("tags", _STRS), ("image_url", pa.string()),
    ("text", pa.string()), ("word_count", pa.int32()), ("text_hash", pa.string()),
    ("credited_source_name", pa.string()), ("credited_source_url", pa.string()),
    ("credited_source_evidence", pa.string()), ("original_published_at", _TS),
    ("fetched_at", _TS), ("http_status", pa.int16()),
    ("cluster_id", pa.string()), ("original_url", pa.string()), ("is_original", pa.bool_()),
    ("cluster_size", pa.int32()), ("modified_evidence", pa.string()), ("original_published_evidence", pa.string()),
    ("boilerplate_paragraphs", pa.int32()),  # 1.2
])

CROSSPOSTS = pa.schema([
    ("cluster_id", pa.string()), ("url", pa.string()), ("site", pa.string()), ("original_url", pa.string()),
    ("is_original", pa.bool_()), ("relation", pa.string()), ("similarity", pa.float64()),
    ("jaccard", pa.float64()), ("containment", pa.float64()), ("lag_hours", pa.float64()),
    ("credits_original", pa.bool_()), ("title_changed", pa.bool_()),
    ("original_evidence", pa.string()), ("kept_share", pa.float64()), ("added_share", pa.float64()),
    ("spans", pa.list_(pa.struct([("original_start", pa.int32()), ("original_end", pa.int32()),
                                  ("copy_start", pa.int32()), ("copy_end", pa.int32())]))),
])

# One row per cluster touched on the night (a new member, or its first night): its state then.
# The row of the latest partition that holds a cluster is its current answer.
CLUSTERS = pa.schema([
    ("cluster_id", pa.string()), ("original_url", pa.string()), ("original_evidence", pa.string()),
    ("size", pa.int32()), ("first_seen", pa.date32()), ("last_seen", pa.date32()),
    ("origin_url", pa.string()), ("origin_name", pa.string()), ("origin_evidence", pa.string()),
])

SCHEMAS = {"articles": ARTICLES, "crossposts": CROSSPOSTS, "clusters": CLUSTERS}
SORT_KEYS = {"articles": ["url"], "crossposts": ["cluster_id", "url"], "clusters": ["cluster_id"]}


def major(version: str) -> int:
    """The major part of a ``MAJOR.MINOR`` schema version."""
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        raise ManifestError(f"not a schema version: {version!r}") from None


def conform(table: pa.Table, name: str, version: str, where: str = "") -> pa.Table:
    """A table written under schema ``version``, in the current columns (older minors get nulls).

    Columns a newer minor version added are kept after the known ones; another major
    version is refused with ManifestError.
    """
    if major(version) != major(SCHEMA_VERSION):
        raise ManifestError(f"{where or name} has schema {version}; this crosspost reads "
                            f"{major(SCHEMA_VERSION)}.x (upgrade crosspost or rewrite the partition)")
    schema = SCHEMAS[name]
    columns = [_column(table, field) for field in schema]
    extra = [n for n in table.column_names if n not in schema.names]
    return pa.table(columns + [table[n] for n in extra], names=schema.names + extra)


def _column(table: pa.Table, field: pa.Field) -> pa.ChunkedArray:
    if field.name not in table.column_names:
        return pa.nulls(table.num_rows, field.type)
    return table[field.name].cast(field.type)
