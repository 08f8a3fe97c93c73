"""The per-date run report: what each site gave, what extraction and dedupe made of it."""

from __future__ import annotations

import json
from collections import Counter

from crosspost import layout
from crosspost.exceptions import ObjectNotFound
from crosspost.jsonl import load_jsonl_gz
from crosspost.store import Store, open_store

EMPTY_RATE_WARNING = 0.5
NO_DATE_RATE_WARNING = 0.5


def build_report(store: Store, date: str, sites: list[str]) -> dict:
    """Gather crawl reports, extraction counts and clusters of a date into one dict."""
    report = {"date": layout.day(date), "sites": {}, "warnings": []}
    for site in sorted(sites):
        report["sites"][site] = _site_entry(store, site, date, report["warnings"])
    report["clusters"] = _cluster_counts(store, date)
    report["partitions"] = [store.uri(layout.table_prefix(t, date)) for t in layout.TABLES]
    return report


def _site_entry(store: Store, site: str, date: str, warnings: list) -> dict:
    entry = {"crawl": _json_or_none(store, layout.crawl_report_key(site, date))}
    try:
        records = load_jsonl_gz(store.get_bytes(layout.extracted_key(site, date)))
    except ObjectNotFound:
        warnings.append(f"{site}: no extracted records (crawl or extract failed)")
        return {**entry, "status": "missing"}
    statuses = Counter(r["status"] for r in records)
    entry.update(status="complete", pages=len(records), extracted=statuses.get("ok", 0),
                 not_extracted=dict(Counter(r["reason"] for r in records if r["status"] != "ok")))
    _warn_rates(site, records, statuses, warnings)
    return entry


def _warn_rates(site: str, records: list, statuses: Counter, warnings: list) -> None:
    if not records:
        warnings.append(f"{site}: returned no article pages")
        return
    if 1 - statuses.get("ok", 0) / len(records) > EMPTY_RATE_WARNING:
        warnings.append(f"{site}: extraction empty rate above {EMPTY_RATE_WARNING:.0%}")
    ok = [r for r in records if r["status"] == "ok"]
    if ok and sum(not r.get("published_at") for r in ok) / len(ok) > NO_DATE_RATE_WARNING:
        warnings.append(f"{site}: no publication date on more than {NO_DATE_RATE_WARNING:.0%} of articles")


def _cluster_counts(store: Store, date: str) -> dict:
    try:
        rows = load_jsonl_gz(store.get_bytes(layout.dedupe_key(date)))
    except ObjectNotFound:
        return {}
    multi = {r["cluster_id"] for r in rows if r["cluster_size"] > 1}
    copies = sum(1 for r in rows if r["cluster_size"] > 1 and not r["is_original"])
    return {"articles": len(rows), "clusters": len({r["cluster_id"] for r in rows}),
            "crosspost_clusters": len(multi), "copies": copies}


def _json_or_none(store: Store, key: str):
    try:
        return json.loads(store.get_bytes(key))
    except ObjectNotFound:
        return None


def write_report(store_url: str, date: str, sites: list[str]) -> str:
    """Build the report, store it as JSON and return its text summary."""
    store = open_store(store_url)
    report = build_report(store, date, sites)
    store.put_bytes(layout.run_report_key(date), json.dumps(report, indent=2, sort_keys=True).encode())
    return format_report(report)


def format_report(report: dict) -> str:
    """A short human summary of a run report."""
    lines = [f"crosspost run report for {report['date']}"]
    for site, entry in report["sites"].items():
        crawl = entry.get("crawl") or {}
        failed = sum((crawl.get("failed") or {}).values())
        lines.append(f"  {site:<18} fetched {crawl.get('fetched', 0):>4}  failed {failed:>3}  "
                     f"extracted {entry.get('extracted', 0):>4}  [{entry['status']}]")
    c = report.get("clusters") or {}
    lines.append(f"  articles {c.get('articles', 0)}, cross-post clusters {c.get('crosspost_clusters', 0)}, "
                 f"copies {c.get('copies', 0)}")
    lines += [f"  partition {p}" for p in report.get("partitions", [])]
    lines += [f"  WARNING {w}" for w in report.get("warnings", [])]
    return "\n".join(lines)
