"""All stages of one date in one process (``crosspost run``); Airflow runs the same stages as tasks."""

from __future__ import annotations

import atexit
import datetime as dt
import importlib
import json
import logging
import threading
from contextlib import nullcontext
from dataclasses import dataclass

from crosspost.common import dates
from crosspost.common.children import owned_tempdir
from crosspost.exceptions import ObjectNotFound
from crosspost.lake import layout
from crosspost.lake.store import open_store
from crosspost.pipeline.crawl_lease import DEFAULT_WAIT_S, crawl_lease, run_holder
from crosspost.pipeline.run_report import failure_reason, stage_timer, write_report
from crosspost.pipeline.stages import archived_or_crawl, dedupe_date, extract_site, publish_date
from crosspost.report import night_report_key, write_night_report

log = logging.getLogger(__name__)


def run_date(sites_file: str, store_url: str, date: str, *, only: list[str] | None = None,
             reprocess: bool = False, settings: dict | None = None, run_id: str = "cli",
             recrawl: bool = False, jobs: int = 1, progress=None, allow_shrink: bool = False,
             lease_wait: float | None = None) -> str:
    """Crawl (or, reprocessing, take the archive), extract, dedupe, publish and report one date;
    return the summary.

    The per-site stages run ``jobs`` sites at a time in worker processes (pipeline.parallel),
    the sites that fetched most last time first; ``progress`` (a pipeline.progress.Progress)
    shows them as they go, with the pages each crawl has fetched so far. Each crawl holds the
    site's crawl lease, waiting up to ``lease_wait`` seconds for another run to end
    (pipeline.crawl_lease). Sites that did not arrive follow crosspost.pipeline.arrival's
    policy, as under Airflow: the date is published without them unless that would drop
    committed rows of theirs (PartitionWouldShrink, unless ``allow_shrink``) or nothing
    arrived (NoSiteArrived).
    """
    from crawler.sites import load_sites
    from crosspost.pipeline.parallel import default_jobs
    from crosspost.pipeline.progress import Progress

    cpu_jobs = min(jobs, default_jobs())  # what needs a CPU: extraction, the alignment helper
    day = dates.day(date)
    sites = [s.name for s in load_sites(sites_file)]
    store = open_store(store_url)
    store.check()  # a missing bucket, bad credentials or a read-only store fail before any work
    chosen = largest_first(store, day, [site for site in sites if not only or site in only], archived=reprocess)
    progress = progress or Progress(len(chosen), pages_label="pages archived" if reprocess else "pages fetched")
    holder = run_holder("run")
    try:
        # "crawl-" like the crawls' own folders: the next crawl, of any site, sweeps it if this run is killed
        with owned_tempdir("crawl-counts-") as counts:
            jobs_of = {site: SiteJob(sites_file, store_url, day, site, reprocess, settings, recrawl, holder,
                                     DEFAULT_WAIT_S if lease_wait is None else lease_wait,
                                     str(counts / f"{site}.count")) for site in chosen}
            _map_sites(jobs_of, jobs, cpu_jobs, progress)
    finally:
        progress.close()
    return run_tail(store_url, day, sites, run_id=run_id, allow_shrink=allow_shrink, jobs=cpu_jobs)


def run_tail(store_url: str, day: str, sites: list[str], *, run_id: str, allow_shrink: bool, jobs: int) -> str:
    """Dedupe, publish and report a date whose sites are extracted; return the summary.

    A stop signal is recorded as well as raised, and checked again between the stages: Python
    drops an exception raised inside a ``__del__`` or a garbage-collector callback, so a Ctrl-C
    landing there would otherwise let the night run on (a stage stopped at its end is safe:
    each one commits last).
    """
    from crosspost.pipeline.parallel import raise_received, signals_as_interrupts

    with signals_as_interrupts():
        # the extraction workers are done: a second process aligns copies on a CPU left idle
        dedupe_date(store_url, day, sites, allow_shrink=allow_shrink, jobs=jobs)
        raise_received()
        publish_date(store_url, day, sites, run_id=run_id, data_interval=(day, day), allow_shrink=allow_shrink)
        raise_received()
        return write_reports(store_url, day, sites)


@dataclass(frozen=True)
class SiteJob:
    """What a worker needs to run one site's stages (sent to it whole: module-level, picklable)."""

    sites_file: str
    store_url: str
    day: str
    site: str
    reprocess: bool
    settings: dict | None
    recrawl: bool
    holder: str  # who holds the crawl leases of this run
    lease_wait: float
    fetch_count: str  # the file the crawl keeps its count of pages fetched in


def _map_sites(jobs_of: dict[str, SiteJob], jobs: int, extracting: int, progress) -> None:
    from crawler.fetch_count import read_count
    from crosspost.pipeline.crawl_lease import release_for
    from crosspost.pipeline.parallel import Stage, map_sites

    warm = _TailWarmer()

    def tick():  # pages fetched so far by the running crawls
        for site in list(progress.running):
            if (count := read_count(jobs_of[site].fetch_count)) is not None:
                progress.fetched(site, count)
        if progress.total - progress.done < extracting:  # a CPU is free from here on
            warm.start()

    def lost(site):  # its worker was killed while it crawled: free the lease it held for this run
        if not jobs_of[site].reprocess:
            release_for(jobs_of[site].store_url, site, jobs_of[site].holder)

    stages = [Stage(_crawl_outcome, jobs), Stage(_extract_outcome, extracting)]
    try:
        map_sites(stages, list(jobs_of), {site: (job,) for site, job in jobs_of.items()}, jobs, progress,
                  tick=tick, lost=lost, temp_prefixes=("crawl-", "extract-"))
    finally:
        _close_page_worker()
    warm.join()  # the stages after this import the same modules: never two threads at once


# What dedupe, publish and the reports import (~1.6 s, most of it matplotlib for the charts).
TAIL_MODULES = ("crosspost.dedupe.clusters", "crosspost.dedupe.align", "crosspost.dedupe.signature_index",
                "crosspost.dedupe.original_text", "crosspost.lake.publish", "crosspost.lake.rows",
                "crosspost.report.render")


class _TailWarmer:
    """Imports TAIL_MODULES in a thread of this (otherwise waiting) process, once: started when
    fewer sites are left than extraction workers, the imports take a CPU the last sites leave
    free instead of time after them."""

    def __init__(self):
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=_import_all, args=(TAIL_MODULES,), name="warm-tail", daemon=True)
            self.thread.start()

    def join(self) -> None:
        """Wait for the imports begun (two threads importing modules that import each other
        could each hold the import lock of one)."""
        if self.thread is not None:
            self.thread.join()


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # the stage that needs it imports it again and reports the error
            log.debug("warming %s: %s", name, exc)


def largest_first(store, day: str, sites: list[str], *, look_back_days: int = 7, archived: bool = False) -> list[str]:
    """``sites`` with those that fetched most in the latest run report of the week before ``day``
    first (the longest crawls start first, so none starts last and makes the night wait for
    it); sites it does not know keep their order, ahead of the known ones. ``archived``
    (reprocessing): sized by the pages their archive of ``day`` holds, which is exact."""
    fetched = _archived_pages(store, day, sites) if archived else _last_fetched(store, day, look_back_days)
    return sorted(sites, key=lambda site: -fetched.get(site, 1 << 30))


def _last_fetched(store, day: str, look_back_days: int) -> dict[str, int]:
    for back in range(1, look_back_days + 1):
        try:
            report = json.loads(store.get_bytes(layout.run_report_key(dates.parse_day(day) - dt.timedelta(days=back))))
        except (ObjectNotFound, ValueError):
            continue
        sites = report.get("sites") if isinstance(report, dict) else None
        if isinstance(sites, dict):  # else a damaged report: an earlier one may still tell
            return {site: _fetched(entry) for site, entry in sites.items()}
    return {}


def _fetched(entry) -> int:
    """A run report's page count of one site; 0 when the entry is damaged (only an order hint)."""
    value = entry.get("fetched") if isinstance(entry, dict) else None
    return value if isinstance(value, int) else 0


def _archived_pages(store, day: str, sites: list[str]) -> dict[str, int]:
    fetched = {}
    for site in sites:
        try:
            fetched[site] = int(json.loads(store.get_bytes(layout.crawl_report_key(site, day)))["fetched"])
        except (ObjectNotFound, ValueError, TypeError, KeyError, OverflowError):
            continue  # no report, or a broken one: its own stage says so
    return fetched


def _crawl_outcome(job: SiteJob) -> tuple[bool, int, str | None]:
    """Crawl the site holding its lease (reprocessing: take its archive); ok, pages fetched, why not ok."""
    reason = _guarded(job, "crawl", lambda: archived_or_crawl(
        job.sites_file, job.store_url, job.day, job.site, reprocess=job.reprocess, recrawl=job.recrawl,
        settings=job.settings, fetch_count=job.fetch_count), _lease(job))
    try:
        pages = json.loads(open_store(job.store_url).get_bytes(layout.crawl_report_key(job.site, job.day)))["fetched"]
    except Exception:  # no report (the crawl failed early): nothing fetched to show
        pages = 0
    return reason is None, pages, reason


def _extract_outcome(job: SiteJob) -> tuple[bool, int, str | None]:
    """Extract the site's archive with this process's extraction child (started once, kept)."""
    reason = _guarded(job, "extract", lambda: extract_site(job.store_url, job.day, job.site,
                                                            page_worker=_page_worker()))
    return reason is None, 0, reason


def _guarded(job: SiteJob, stage: str, run, context=None) -> str | None:
    """Run one stage of one site, timed; None, or why it failed.

    One broken site must not stop the others: log it, the manifest marks it missing, and the
    stage timing keeps the reason for the run report.
    """
    try:
        with stage_timer(job.store_url, job.day, stage, job.site), context or nullcontext():
            run()
        return None
    except Exception as exc:
        log.error("site %s failed for %s: %s", job.site, job.day, exc)
        return failure_reason(exc)


_PAGE_WORKER: list = []  # this process's extraction child, reused from site to site


def _page_worker():
    from extract.worker import PageWorker

    if not _PAGE_WORKER:
        _PAGE_WORKER.append(PageWorker())
        atexit.register(_close_page_worker)  # a worker process ends its child before it exits
    return _PAGE_WORKER[0]


def _close_page_worker() -> None:
    while _PAGE_WORKER:
        _PAGE_WORKER.pop().close()


def _lease(job: SiteJob):
    """The site's crawl lease (a reprocess fetches nothing: it needs none)."""
    if job.reprocess:
        return nullcontext()
    return crawl_lease(job.store_url, job.site, job.holder, wait_s=job.lease_wait)


def write_reports(store_url: str, date: str, sites: list[str], *, mode: str | None = None) -> str:
    """The night's JSON run report and its HTML report, side by side in ``reports/dt=D/``; return
    the text summary with the HTML report's location (the DAG's ``report`` task, ``crosspost run``)."""
    summary = write_report(store_url, date, sites, mode=mode)
    write_night_report(store_url, date)
    return f"{summary}\n  html report {open_store(store_url).uri(night_report_key(date))}"
