"""What the report reads from the store: committed partitions (through crosspost's reader), the
run reports and crawl reports of each night, and the manifests' per-site completeness.

Everything is read once, here; the other modules compute from a ``ReportData`` and never touch
the store, so they are tested on plain rows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from crosspost.common.dates import day
from crosspost.exceptions import ConfigError, ObjectNotFound, PartitionNotCommitted
from crosspost.lake import layout
from crosspost.lake.reader import dates, read_manifest, read_table
from crosspost.lake.schema import SCHEMAS
from crosspost.lake.store import Store
from crosspost.report.exceptions import NoCommittedData

# What the report needs of every article (text only for cluster members: see _articles).
ARTICLE_COLUMNS = ("url", "site", "status", "title", "published_at", "credited_source_name",
                   "credited_source_url", "cluster_id", "is_original", "cluster_size", "site_name")
CLUSTER_TABLE = "clusters"  # added by the provenance work; used when the store has it


@dataclass
class ReportData:
    """Everything one report shows, for the committed nights between ``start`` and ``end``."""

    start: dt.date
    end: dt.date
    store_uri: str
    nights: list[dt.date]
    uncommitted: list[dt.date]
    crossposts: list[dict]
    articles: dict[str, dict]
    clusters: dict[str, dict] = field(default_factory=dict)
    runs: dict[dt.date, dict] = field(default_factory=dict)
    site_status: dict[dt.date, dict[str, str]] = field(default_factory=dict)


def load(store: Store, start, end=None) -> ReportData:
    """Read the committed nights from ``start`` to ``end``; NoCommittedData if there is none."""
    store.check(write=False)
    days = dates(start, end)
    if not days:
        raise ConfigError(f"the range ends before it starts: {day(start)} to {day(end)}")
    nights = [d for d in days if _committed(store, d)]
    if not nights:
        span = day(days[0]) + ("" if len(days) == 1 else f" to {day(days[-1])}")
        raise NoCommittedData(f"no committed partition in {store.uri('crossposts/')} for {span}: "
                              f"run the pipeline for these dates first (or check --store)")
    crossposts = _rows(_read_nights(store, "crossposts", nights))
    members = {r["url"] for r in crossposts} | {r["original_url"] for r in crossposts if r.get("original_url")}
    return ReportData(start=days[0], end=days[-1], store_uri=store.uri(""), nights=nights,
                      uncommitted=[d for d in days if d not in nights], crossposts=crossposts,
                      articles=_articles(store, nights, members), clusters=_clusters(store, nights),
                      **_night_reports(store, nights))


def _committed(store: Store, night: dt.date) -> bool:
    try:
        read_manifest(store, "crossposts", night)
        read_manifest(store, "articles", night)
    except PartitionNotCommitted:
        return False
    return True


def _read_nights(store: Store, table: str, nights: list[dt.date]) -> list[pa.Table]:
    return [read_table(store, table, night) for night in nights]


def _rows(tables: list[pa.Table]) -> list[dict]:
    return [row for table in tables for row in table.to_pylist()]


def _articles(store: Store, nights: list[dt.date], members: set[str]) -> dict[str, dict]:
    """url -> article; only cluster members keep their text (a month of texts is large)."""
    found: dict[str, dict] = {}
    wanted = pa.array(sorted(members), pa.string())
    for night in nights:
        table = read_table(store, "articles", night)
        light = table.select([c for c in (*ARTICLE_COLUMNS, "dt") if c in table.column_names])
        for row in light.to_pylist():
            found[row["url"]] = row
        texts = table.filter(pc.is_in(table["url"], wanted)).select(["url", "text"])
        for url, text in zip(texts["url"].to_pylist(), texts["text"].to_pylist()):
            found[url]["text"] = text
    return found


def _clusters(store: Store, nights: list[dt.date]) -> dict[str, dict]:
    """cluster_id -> its current row (the latest night's) when the store has a clusters table."""
    if CLUSTER_TABLE not in SCHEMAS:
        return {}
    current: dict[str, dict] = {}
    for night in nights:
        try:
            rows = read_table(store, CLUSTER_TABLE, night).to_pylist()
        except PartitionNotCommitted:
            continue
        current.update({row["cluster_id"]: row for row in rows})
    return current


def _night_reports(store: Store, nights: list[dt.date]) -> dict:
    status = {night: _site_status(store, night) for night in nights}
    return {"site_status": status, "runs": {night: _run_report(store, night, status[night]) for night in nights}}


def _run_report(store: Store, night: dt.date, status: dict[str, str]) -> dict:
    """The night's run report; without one, what its crawl reports say (the run may have died)."""
    report = _json(store, layout.run_report_key(night))
    if report:
        return report
    return {"sites": {site: {"status": state, "crawl": _json(store, layout.crawl_report_key(site, night))}
                      for site, state in status.items()}, "rebuilt": True}


def _json(store: Store, key: str) -> dict | None:
    try:
        return json.loads(store.get_bytes(key))
    except (ObjectNotFound, ValueError):
        return None


def _site_status(store: Store, night: dt.date) -> dict[str, str]:
    """Each site's completeness as the night's manifest recorded it."""
    try:
        return dict(read_manifest(store, "articles", night).get("sites") or {})
    except PartitionNotCommitted:
        return {}

