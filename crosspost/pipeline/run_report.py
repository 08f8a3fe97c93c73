"""The per-date run report: what each site gave, what extraction and dedupe made of it, how long
each stage took, and what looks wrong.

Stages record their durations with ``stage_timer`` (one small JSON object per stage and site,
so parallel tasks never write the same key); ``write_report`` gathers everything once the
date is published.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from contextlib import contextmanager
from typing import Any

from crosspost.common import dates
from crosspost.exceptions import ObjectNotFound, StoreError
from crosspost.lake import layout
from crosspost.lake.jsonl import load_jsonl_gz
from crosspost.lake.store import Store, open_store
from crosspost.pipeline.arrival import latest_arrival

log = logging.getLogger(__name__)

EMPTY_RATE_WARNING = 0.5
NO_DATE_RATE_WARNING = 0.5
STAGES = ("crawl", "extract", "dedupe", "publish")


def failure_reason(exc: BaseException) -> str:
    """The first line of an error (its type when it has no message), short enough for a report."""
    return (str(exc).splitlines() or [type(exc).__name__])[0][:300]


@contextmanager
def stage_timer(store_url: str, date: str, stage: str, site: str | None = None):
    """Time the block and record its duration and outcome in the store.

    A failure to record never hides the stage's own error or fails a stage that worked; a failed
    stage keeps the first line of its error as the ``reason`` the run report gives.
    """
    started, status, reason = time.monotonic(), "failed", None
    try:
        yield
        status = "ok"
    except BaseException as exc:
        reason = failure_reason(exc)
        raise
    finally:
        timing = {"stage": stage, "site": site, "status": status, "seconds": round(time.monotonic() - started, 3)}
        if reason:
            timing["reason"] = reason
        try:
            open_store(store_url).put_bytes(layout.stage_timing_key(date, stage, site), json.dumps(timing).encode())
        except Exception as exc:  # any backend error (OSError, botocore): timings are best effort
            log.warning("could not record the %s duration for %s: %s", stage, dates.day(date), exc)


def build_report(store: Store, date: str, sites: list[str], *, mode: str | None = None) -> dict:
    """Gather crawl reports, extraction counts, clusters, partitions and durations of a date."""
    report: dict[str, Any] = {"date": dates.day(date), "mode": mode, "sites": {}, "warnings": []}
    timings = _timings(store, date)
    for site in sorted(sites):
        entry = _site_entry(store, site, date, report["warnings"])
        entry["seconds"] = {s: timings[(s, site)]["seconds"] for s in STAGES if (s, site) in timings}
        failed = [(s, timings[(s, site)]) for s in STAGES if timings.get((s, site), {}).get("status") == "failed"]
        if failed:  # why the site is missing, in the stage's own words (e.g. another run held its lease)
            entry["failed_stage"] = {"stage": failed[0][0], "reason": failed[0][1].get("reason")}
            report["warnings"].append(f"{site}: {failed[0][0]} failed: {failed[0][1].get('reason')}")
        report["sites"][site] = entry
    report["clusters"] = _cluster_counts(store, date)
    report["tables"] = {t: _manifest_summary(store, t, date) for t in layout.TABLES}
    report["new_crossposts"] = (report["tables"].get("crossposts") or {}).get("rows", 0)
    report["durations"] = _stage_durations(timings)
    report["partitions"] = [store.uri(layout.table_prefix(t, date)) for t in layout.TABLES]
    return report


def _site_entry(store: Store, site: str, date: str, warnings: list) -> dict:
    crawl = _json_or_none(store, layout.crawl_report_key(site, date))
    entry = {"crawl": crawl, **_crawl_counts(crawl)}
    if latest_arrival(store, site, date) is False:
        warnings.append(f"{site}: did not answer in the latest attempt (its archive of the date, if any, is kept)")
        return {**entry, "status": "missing", "extracted": 0}
    try:
        records = load_jsonl_gz(store.get_bytes(layout.extracted_key(site, date)))
    except ObjectNotFound:
        warnings.append(f"{site}: no extracted records (crawl or extract failed)")
        return {**entry, "status": "missing", "extracted": 0}
    statuses = Counter(r["status"] for r in records)
    entry.update(status="complete", pages=len(records), extracted=statuses.get("ok", 0),
                 not_extracted=dict(Counter(r["reason"] for r in records if r["status"] != "ok")))
    _warn_rates(site, records, statuses, warnings)
    return entry


def _crawl_counts(crawl: dict | None) -> dict:
    crawl = crawl or {}
    return {"discovered": sum((crawl.get("discovered") or {}).values()), "fetched": crawl.get("fetched", 0),
            "failed": sum((crawl.get("failed") or {}).values())}


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


def _manifest_summary(store: Store, table: str, date: str) -> dict | None:
    manifest = _json_or_none(store, layout.manifest_key(table, date))
    if manifest is None:
        return None
    return {"rows": manifest.get("rows", 0), "run_id": manifest.get("run_id"), "sites": manifest.get("sites", {})}


def _timings(store: Store, date: str) -> dict:
    found: dict[tuple[str, str | None], dict[str, Any]] = {}
    try:
        keys = store.list(layout.stages_prefix(date))
    except StoreError:
        return found
    for key in keys:
        timing = _json_or_none(store, key) or {}
        if "stage" in timing:
            found[(timing["stage"], timing.get("site"))] = timing
    return found


def _stage_durations(timings: dict) -> dict:
    """Seconds per stage; per-site stages add up their sites (the work done, not the wall time)."""
    totals: dict[str, float] = {}
    for (stage, _site), timing in sorted(timings.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        totals[stage] = round(totals.get(stage, 0.0) + timing["seconds"], 3)
    return totals


def _json_or_none(store: Store, key: str):
    try:
        return json.loads(store.get_bytes(key))
    except (ObjectNotFound, ValueError):
        return None


def write_report(store_url: str, date: str, sites: list[str], *, mode: str | None = None) -> str:
    """Build the report, store it as JSON and return its text summary."""
    store = open_store(store_url)
    report = build_report(store, date, sites, mode=mode)
    store.put_bytes(layout.run_report_key(date), json.dumps(report, indent=2, sort_keys=True).encode())
    return format_report(report)


def summarize(store_url: str, date: str, sites: list[str], *, mode: str | None = None) -> str:
    """The text summary of what a date has so far, without storing anything (for failure alerts)."""
    return format_report(build_report(open_store(store_url), date, sites, mode=mode))


def format_report(report: dict) -> str:
    """A short human summary of a run report."""
    mode = f" ({report['mode']})" if report.get("mode") else ""
    lines = [f"crosspost run report for {report['date']}{mode}"]
    for site, entry in report["sites"].items():
        counts = entry if "discovered" in entry else {**_crawl_counts(entry.get("crawl")), **entry}
        lines.append(f"  {site:<18} discovered {counts.get('discovered', 0):>4}  fetched {counts.get('fetched', 0):>4}"
                     f"  failed {counts.get('failed', 0):>3}  extracted {entry.get('extracted', 0):>4}"
                     f"  [{entry['status']}]")
    c = report.get("clusters") or {}
    lines.append(f"  articles {c.get('articles', 0)}, cross-post clusters {c.get('crosspost_clusters', 0)}, "
                 f"copies {c.get('copies', 0)}, new cross-posts {report.get('new_crossposts', 0)}")
    durations = report.get("durations") or {}
    if durations:
        lines.append("  seconds " + ", ".join(f"{s} {durations[s]:.1f}" for s in STAGES if s in durations))
    lines += [f"  partition {p}" for p in report.get("partitions", [])]
    lines += [f"  WARNING {w}" for w in report.get("warnings", [])]
    return "\n".join(lines)
