"""The biggest clusters of the range: the original and each copy side by side."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from crosspost.report.alignment import Alignment
from crosspost.report.data import ReportData
from crosspost.report.stats import alignment_of, copies, kept_added, original_url, relation

TOP_CLUSTERS = 8
COPIES_SHOWN = 6  # per cluster; the rest are listed without their text


@dataclass
class Copy:
    """One copy of a shown cluster, with its alignment to the original when both texts are read."""

    row: dict
    article: dict
    relation: str
    kept: float | None
    added: float | None
    alignment: Alignment | None


@dataclass
class Cluster:
    """A shown cluster: its original article (None when it was published before the range)."""

    cluster_id: str
    original_url: str
    original: dict | None
    origin: dict | None
    copies: list[Copy]
    more: list[dict]
    evidence: str | None = None


def biggest(data: ReportData, n: int = TOP_CLUSTERS) -> list[Cluster]:
    """The ``n`` clusters with the most copies in the range (on a tie, those whose original is in
    the range first, then by cluster id)."""
    members: dict[str, list[dict]] = defaultdict(list)
    for row in copies(data):
        members[row["cluster_id"]].append(row)
    ranked = sorted(members.items(), key=lambda kv: (-len(kv[1]), original_url(data, kv[1][0]) not in data.articles,
                                                     kv[0]))[:n]
    return [_cluster(data, cid, sorted(rows, key=lambda r: (r.get("lag_hours") is None, r.get("lag_hours") or 0,
                                                            r["url"]))) for cid, rows in ranked]


def _cluster(data: ReportData, cluster_id: str, rows: list[dict]) -> Cluster:
    url = original_url(data, rows[0]) or ""
    shown = [_copy(data, row) for row in rows[:COPIES_SHOWN]]
    return Cluster(cluster_id, url, data.articles.get(url), data.clusters.get(cluster_id), shown,
                   rows[COPIES_SHOWN:], _evidence(data, cluster_id, rows))


def _evidence(data: ReportData, cluster_id: str, rows: list[dict]) -> str | None:
    """How the original was chosen (``original_evidence``), when the partitions record it."""
    cluster = data.clusters.get(cluster_id) or {}
    return cluster.get("original_evidence") or next((r["original_evidence"] for r in rows
                                                     if r.get("original_evidence")), None)


def _copy(data: ReportData, row: dict) -> Copy:
    found = alignment_of(data, row)
    kept, added = kept_added(data, row)
    if found and row.get("kept_share") is None:  # the highlighted diff is the measure shown beside it
        kept, added = found.kept_share(), found.added_share()
    return Copy(row, data.articles.get(row["url"]) or {"url": row["url"], "site": row["site"]}, relation(row),
                kept, added, found)
