"""The output tables' Arrow schemas: the product's interface, versioned.

Adding a column is backward compatible (minor bump); anything else bumps the major.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.0"
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
    ("cluster_size", pa.int32()),
])

CROSSPOSTS = pa.schema([
    ("cluster_id", pa.string()), ("url", pa.string()), ("site", pa.string()), ("original_url", pa.string()),
    ("is_original", pa.bool_()), ("relation", pa.string()), ("similarity", pa.float64()),
    ("jaccard", pa.float64()), ("containment", pa.float64()), ("lag_hours", pa.float64()),
    ("credits_original", pa.bool_()), ("title_changed", pa.bool_()),
])

SCHEMAS = {"articles": ARTICLES, "crossposts": CROSSPOSTS}
SORT_KEYS = {"articles": ["url"], "crossposts": ["cluster_id", "url"]}
