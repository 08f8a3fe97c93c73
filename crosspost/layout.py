"""Where each stage reads and writes in the store: the contract between stages."""

from __future__ import annotations

import datetime as dt

TABLES = ("articles", "crossposts")
MANIFEST = "_SUCCESS"

# WARC extension headers the crawler writes and extraction reads: what a response was
# fetched as (article, sitemap, feed...) and the date its listing gave.
WARC_KIND_HEADER = "WARC-Crosspost-Kind"
WARC_LISTED_DATE_HEADER = "WARC-Crosspost-Listed-Date"


def day(date: dt.date | str) -> str:
    """The partition value for a date: ``YYYY-MM-DD``."""
    return date if isinstance(date, str) else date.isoformat()


def raw_prefix(site: str, date) -> str:
    """Folder of a site's archived responses (WARC) and crawl report for one date."""
    return f"raw/site={site}/dt={day(date)}/"


def raw_warc_key(site: str, date) -> str:
    """The gzipped WARC of one site's crawl for one date (a rerun replaces it)."""
    return f"{raw_prefix(site, date)}crawl.warc.gz"


def crawl_report_key(site: str, date) -> str:
    """The JSON crawl report written next to the WARC."""
    return f"{raw_prefix(site, date)}crawl-report.json"


def extracted_key(site: str, date) -> str:
    """One site's extracted records (JSON lines, gzipped) for one date."""
    return f"extracted/site={site}/dt={day(date)}/records.jsonl.gz"


def dedupe_key(date) -> str:
    """The night's cluster assignments (JSON lines, gzipped)."""
    return f"dedupe/dt={day(date)}/clusters.jsonl.gz"


def table_prefix(table: str, date) -> str:
    """Hive-style partition folder of an output table."""
    return f"{table}/dt={day(date)}/"


def manifest_key(table: str, date) -> str:
    """The commit marker of a partition, written last."""
    return f"{table_prefix(table, date)}{MANIFEST}"


def run_report_key(date) -> str:
    """The per-date run report (JSON)."""
    return f"reports/dt={day(date)}/run-report.json"


def parse_date(value: str | dt.date) -> dt.date:
    """Parse ``YYYY-MM-DD`` (the only date format the CLI and DAG accept)."""
    from crosspost.exceptions import ConfigError

    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"not a date (want YYYY-MM-DD): {value!r}") from None
