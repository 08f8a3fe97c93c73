"""Join extracted records with cluster assignments into output-table rows."""

from __future__ import annotations

from collections.abc import Iterable

from crosspost.common.records import Record
from crosspost.common.text import text_hash
from crosspost.lake.schema import ARTICLES, CLUSTERS, CROSSPOSTS


def article_rows(records: list[Record], assignments: list[Record],
                 text_hashes: Iterable[str] | None = None) -> list[Record]:
    """One row per fetched article page (pages without an article keep status/reason).
    ``text_hashes``: the ``common.text.text_hash`` of each record that has a text, in order
    (``dedupe.minhash.text_hashes`` finds them for many texts at once); else computed here."""
    by_url = {a["url"]: a for a in assignments}
    names = ARTICLES.names
    hashes = iter(text_hashes if text_hashes is not None else [text_hash(r["text"]) for r in records if r.get("text")])
    rows = []
    for rec in records:
        row = {k: rec.get(k) for k in names}
        row["text_hash"] = next(hashes) if rec.get("text") else None
        row.update({k: v for k, v in by_url.get(rec["url"], {}).items() if k in names and k not in ("site",)})
        rows.append(row)
    return _unique_by_url(rows)


def crosspost_rows(assignments: list[Record]) -> list[Record]:
    """One row per member of every cluster with more than one member."""
    return [{k: a.get(k) for k in CROSSPOSTS.names} for a in assignments if a["cluster_size"] > 1]


def cluster_rows(state: list[Record]) -> list[Record]:
    """One row per cluster the night touched (its state as dedupe left it)."""
    return [{k: c.get(k) for k in CLUSTERS.names} for c in state]


def _unique_by_url(rows: list[Record]) -> list[Record]:
    # The same URL can be archived twice (a redirect target also listed directly).
    seen: dict[str, Record] = {}
    for row in rows:
        seen.setdefault(row["url"], row)
    return list(seen.values())
