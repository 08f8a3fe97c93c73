"""The crawl report: what one run of one site discovered, fetched, skipped and failed, and why."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter

# Crawler stats copied into the report (Scrapy key -> report key).
_STATS = {
    "downloader/request_count": "requests",
    "downloader/response_count": "responses",
    "retry/count": "retries",
    "robotstxt/forbidden": "robots_forbidden",
    "crosspost/retry_wait_s": "retry_wait_s",
    "memusage/max": "peak_rss_bytes",
}


class CrawlReport:
    """Counters the spider fills in while it runs; :meth:`as_dict` is the JSON written at the end."""

    def __init__(self, site: str, date, window):
        self.site, self.date, self.window = site, date, window
        self.discovered: Counter = Counter()
        self.skipped: Counter = Counter()
        self.failed: Counter = Counter()
        self.counts: Counter = Counter()  # in_window, fetched, bytes, listing_pages
        self.started = time.monotonic()
        self.started_at = _utc_now()

    def as_dict(self, stats: dict | None = None, finish_reason: str = "", listening: list | None = None) -> dict:
        """The report; ``stats`` are the crawler's stats, for request and retry totals."""
        stats = stats or {}
        report = {
            "site": self.site,
            "date": self.date.isoformat(),
            "window": [d.isoformat() for d in self.window],
            "discovered": _nonzero(self.discovered),
            "in_window": self.counts["in_window"],
            "requested": self.counts["requested"],
            "fetched": self.counts["fetched"],
            "skipped": _nonzero(self.skipped),
            "failed": _nonzero(self.failed),
            "listing_pages": self.counts["listing_pages"],
            "bytes": self.counts["bytes"],
            "duration_s": round(time.monotonic() - self.started, 3),
            # when the site was crawled (wall clock): what shows that two crawls of it overlapped
            "started_at": self.started_at,
            "finished_at": _utc_now(),
            "finish_reason": finish_reason,
            "listening_ports": listening if listening is not None else [],
        }
        report.update({name: stats.get(key, 0) for key, name in _STATS.items()})
        prefix = "retry/reason_count/"
        report["retry_reasons"] = {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}
        return report

    def write(self, path, **kwargs) -> dict:
        """Write the report as JSON to ``path`` and return it."""
        report = self.as_dict(**kwargs)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2, sort_keys=True, default=str)
        return report


def _nonzero(counter: Counter) -> dict:
    return {k: v for k, v in sorted(counter.items()) if v}


def summary_line(report: dict) -> str:
    """One line for logs: ``site date: fetched N of M in window, K seen, failed {...}, X KB in T s``."""
    failed = ", ".join(f"{k}={v}" for k, v in report.get("failed", {}).items()) or "none"
    return (f"{report['site']} {report['date']}: fetched {report['fetched']} of {report['in_window']} in window "
            f"(discovered {sum(report['discovered'].values())}, {report['skipped'].get('seen', 0)} already seen), "
            f"failed: {failed}; {report['bytes'] // 1024} KB in {report['duration_s']} s")


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
