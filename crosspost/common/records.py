"""The extracted record: one per fetched article page, whatever happened to it."""

from __future__ import annotations

from typing import Any

RECORD_FIELDS = (
    "url", "site", "fetched_at", "http_status", "content_type", "listed_date",
    "status", "reason",
    "title", "authors", "published_at", "published_evidence", "modified_at", "modified_evidence",
    "language", "site_name", "canonical_url", "description", "tags", "image_url",
    "text", "word_count",
    "credited_source_name", "credited_source_url", "credited_source_evidence", "original_published_at",
    # added by issue 4
    "original_published_evidence",  # where original_published_at came from (attribution_text, json-ld)
    "boilerplate_paragraphs",  # paragraphs removed as boilerplate (patterns + per-site learning)
)
# A record travels between stages as a dict of these fields (JSON lines in the store).
Record = dict[str, Any]
_LISTS = ("authors", "tags")
# What dedupe needs of a record to pick originals and relate copies (the signature index keeps them).
PROVENANCE_FIELDS = ("url", "site", "title", "site_name", "canonical_url", "published_at", "fetched_at",
                     "credited_source_url", "credited_source_name")
# What dedupe adds to each record: its cluster and how it relates to the original.
ASSIGNMENT_FIELDS = ("url", "site", "cluster_id", "cluster_size", "original_url", "is_original", "relation",
                     "similarity", "jaccard", "containment", "lag_hours", "credits_original", "title_changed",
                     "original_evidence")
# What the dedupe stage then adds to each copy's assignment: what it changed (crosspost.dedupe.align).
ALIGNMENT_FIELDS = ("kept_share", "added_share", "spans")


def new_record(**values: Any) -> Record:
    """A record with every field present (None or [] when unknown)."""
    record: Record = {name: ([] if name in _LISTS else None) for name in RECORD_FIELDS}
    unknown = set(values) - set(RECORD_FIELDS)
    if unknown:
        raise KeyError(f"unknown record fields: {sorted(unknown)}")
    record.update(values)
    return record
