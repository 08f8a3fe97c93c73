"""Which partition a run writes, from what the scheduler knows (no clock reads)."""

from __future__ import annotations

import datetime as dt

from crosspost.common import dates
from crosspost.exceptions import ConfigError

MODES = ("crawl", "reprocess")


def partition_date(date_param: str | None, interval_start: dt.datetime | None,
                   run_after: dt.datetime | None) -> str:
    """The run's date: an explicit ``date`` param, else the data interval's start (the night of
    the 27th ingests the 26th), else the day before ``run_after`` (manual runs without a
    logical date)."""
    if date_param:
        return dates.day(dates.parse_day(date_param))
    if interval_start is not None:
        return _utc_date(interval_start).isoformat()
    if run_after is not None:
        return (_utc_date(run_after) - dt.timedelta(days=1)).isoformat()
    raise ConfigError("cannot tell the partition date: no date param, data interval or run_after")


def _utc_date(value: dt.datetime) -> dt.date:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.date()


def plan_run(sites_file: str, store_url: str, date: str, mode: str = "crawl", *, allow_shrink: bool = False) -> dict:
    """Validate the run's settings before any work; return what the tasks need (names, not data)."""
    from crawler.sites import load_sites
    from crosspost.lake.store import open_store

    if mode not in MODES:
        raise ConfigError(f"mode must be one of {MODES}, got {mode!r}")
    sites = [s.name for s in load_sites(sites_file)]
    open_store(store_url).check()
    return {"date": dates.day(date), "store": store_url, "sites_file": sites_file, "mode": mode, "sites": sites,
            "allow_shrink": bool(allow_shrink)}
