"""All stages of one date in one process (``crosspost run``); Airflow runs the same stages as tasks."""

from __future__ import annotations

import json
import logging

from crosspost.common import dates
from crosspost.lake import layout
from crosspost.lake.store import open_store
from crosspost.pipeline.run_report import write_report
from crosspost.pipeline.stages import archived_or_crawl, dedupe_date, extract_site, publish_date
from crosspost.report import night_report_key, write_night_report

log = logging.getLogger(__name__)


def run_date(sites_file: str, store_url: str, date: str, *, only: list[str] | None = None,
             reprocess: bool = False, settings: dict | None = None, run_id: str = "cli",
             recrawl: bool = False, jobs: int = 1, progress=None, allow_shrink: bool = False) -> str:
    """Crawl (or, reprocessing, take the archive), extract, dedupe, publish and report one date;
    return the summary.

    The per-site stages run ``jobs`` sites at a time in worker processes (pipeline.parallel);
    ``progress`` (a pipeline.progress.Progress) shows them as they go. Sites that did not arrive
    follow crosspost.pipeline.arrival's policy, as under Airflow: the date is published without
    them unless that would drop committed rows of theirs (PartitionWouldShrink, unless
    ``allow_shrink``) or nothing arrived (NoSiteArrived).
    """
    from crawler.sites import load_sites
    from crosspost.pipeline.parallel import map_sites
    from crosspost.pipeline.progress import Progress

    day = dates.day(date)
    sites = [s.name for s in load_sites(sites_file)]
    open_store(store_url).check()  # a missing bucket, bad credentials or a read-only store fail before any work
    chosen = [site for site in sites if not only or site in only]
    progress = progress or Progress(len(chosen), pages_label="pages archived" if reprocess else "pages fetched")
    args = {site: (sites_file, store_url, day, site, reprocess, settings, recrawl) for site in chosen}
    try:
        map_sites(_site_outcome, chosen, args, jobs, progress)
    finally:
        progress.close()
    dedupe_date(store_url, day, sites, allow_shrink=allow_shrink)
    publish_date(store_url, day, sites, run_id=run_id, data_interval=(day, day), allow_shrink=allow_shrink)
    return write_reports(store_url, day, sites)


def _site_outcome(sites_file, store_url, day, site, reprocess, settings, recrawl) -> tuple[bool, int]:
    """One site's stages (in a worker or in-process) and what progress shows: ok, pages fetched."""
    ok = _site_stages(sites_file, store_url, day, site, reprocess, settings, recrawl)
    try:
        pages = json.loads(open_store(store_url).get_bytes(layout.crawl_report_key(site, day)))["fetched"]
    except Exception:  # no report (the crawl failed early): nothing fetched to show
        pages = 0
    return ok, pages


def _site_stages(sites_file, store_url, day, site, reprocess, settings, recrawl) -> bool:
    # One broken site must not stop the others: log it, the manifest marks it missing.
    try:
        archived_or_crawl(sites_file, store_url, day, site, reprocess=reprocess, recrawl=recrawl, settings=settings)
        extract_site(store_url, day, site)
        return True
    except Exception as exc:
        log.error("site %s failed for %s: %s", site, day, exc)
        return False


def write_reports(store_url: str, date: str, sites: list[str], *, mode: str | None = None) -> str:
    """The night's JSON run report and its HTML report, side by side in ``reports/dt=D/``; return
    the text summary with the HTML report's location (the DAG's ``report`` task, ``crosspost run``)."""
    summary = write_report(store_url, date, sites, mode=mode)
    write_night_report(store_url, date)
    return f"{summary}\n  html report {open_store(store_url).uri(night_report_key(date))}"
