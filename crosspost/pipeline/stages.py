"""The pipeline's stages as plain functions: explicit arguments in, store keys out.

Each stage reads its input from the store and writes its output to the store, so any
stage can be rerun alone (from the CLI or as an Airflow task).
"""

from __future__ import annotations

import json
import logging
import time
from contextlib import nullcontext
from pathlib import Path

from crosspost.common import dates
from crosspost.common.children import owned_tempdir, sweep_orphans
from crosspost.exceptions import ObjectNotFound
from crosspost.lake import layout
from crosspost.lake.jsonl import dump_jsonl_gz, load_jsonl_gz
from crosspost.lake.store import open_store
from crosspost.pipeline import arrival

log = logging.getLogger(__name__)


def crawl_site(sites_file: str, store_url: str, date: str, site: str, *,
               settings: dict | None = None, lookback: int | None = None, recrawl: bool = False,
               fetch_count: str | None = None) -> str:
    """Crawl one site for ``date`` and archive its WARC and crawl report in the store
    (``fetch_count``: a file the crawl keeps its count of pages fetched in as it goes).

    Articles archived by crawls of earlier dates (the site's seen-URL index) are skipped
    unless ``recrawl``; the URLs this crawl archived become the index segment of ``date``,
    written last, so a failed crawl leaves the index as it was and a rerun is idempotent.
    A crawl that got no response at all raises SiteUnreachable and never replaces an archive
    of the date that has pages (crosspost.pipeline.arrival records the attempt either way).
    """
    from crawler.report import summary_line
    from crawler.runner import run_crawl
    from crawler.urlfiles import read_url_file, write_url_file
    from crosspost.lake.seen import compact_seen, encode_segment, load_seen

    store = open_store(store_url)
    day = dates.day(date)
    store.check()
    sweep_orphans("crawl-")  # the folders of killed crawls of any site, and of killed runs' page counts
    with owned_tempdir(f"crawl-{site}-") as tmp:
        seen = None
        if not recrawl:
            seen = Path(tmp) / "seen-urls.txt"
            write_url_file(seen, load_seen(store, site, day))
        out = run_crawl(sites_file, site, day, Path(tmp) / "out", settings=settings, lookback=lookback, seen=seen,
                        fetch_count=fetch_count)
        report = json.loads(out.report.read_text())
        log.info("crawl %s\ncrawl report for %s %s:\n%s", summary_line(report), site, day, json.dumps(report, indent=2))
        if not arrival.reached(report):
            _keep_archive(store, site, day, out, report)
            raise arrival.unreachable(site, day, report)
        # The records extracted from the archive being replaced are stale from here on.
        store.delete([layout.extracted_key(site, day)])
        store.put_file(layout.raw_warc_key(site, day), out.warc)
        store.put_bytes(layout.crawl_report_key(site, day), out.report.read_bytes())
        store.put_bytes(layout.seen_key(site, day), encode_segment(read_url_file(out.archived)))
        compact_seen(store, site, day)  # months before this one: one segment each (bounded reads)
        arrival.record_arrival(store, site, day, arrived=True, source="crawl", report=report)
    return layout.raw_warc_key(site, date)


def _keep_archive(store, site: str, day: str, out, report: dict) -> None:
    """A crawl that got nothing: say so, and store its empty WARC and report only when there is
    no archive with pages to keep (the seen-URL index stays as it was either way)."""
    arrival.record_arrival(store, site, day, arrived=False, source="crawl", report=report)
    if arrival.archive_has_pages(store, site, day):
        log.error("%s did not answer on %s: its archived crawl of that date is kept as it was", site, day)
        return
    store.put_file(layout.raw_warc_key(site, day), out.warc)
    store.put_bytes(layout.crawl_report_key(site, day), out.report.read_bytes())


def extract_site(store_url: str, date: str, site: str, *, page_cpu_seconds: int | None = None,
                 page_worker=None) -> str:
    """Extract every archived article page of one site and date into records
    (a page that needs more than ``page_cpu_seconds`` of CPU is recorded as a ``timeout``;
    ``page_worker``: an extract.worker.PageWorker to reuse, e.g. across a night's sites).

    Paragraphs repeated across the site's articles are learned across nights: the site's
    boilerplate segments of the dates before ``date`` are loaded, and what this batch
    taught is saved as ``date``'s segment after the records (a rerun reads the same
    segments, so it gives the same text).
    """
    from crosspost.lake import learned_state
    from extract.archive import extract_archive
    from extract.worker import PAGE_CPU_SECONDS

    store = open_store(store_url)
    day = dates.parse_day(date)
    started = time.monotonic()
    model = _load_boilerplate(store, site, day)
    with owned_tempdir(f"extract-{site}-") as tmp:
        path = Path(tmp) / "crawl.warc.gz"
        store.get_file(layout.raw_warc_key(site, date), path)
        with open(path, "rb") as fh:
            records = list(extract_archive(fh, site, day, model, worker=page_worker,
                                           page_cpu_seconds=page_cpu_seconds or PAGE_CPU_SECONDS))
    key = layout.extracted_key(site, date)
    store.put_bytes(key, dump_jsonl_gz(records))
    learned_state.save_segment(store, site, day, model.segment(day))
    bad = sum(r["status"] != "ok" for r in records)
    log.info("extracted %s %s: %d pages, %d without article, %.1fs", site, dates.day(date),
             len(records), bad, time.monotonic() - started)
    return key


def _load_boilerplate(store, site: str, day):
    """The site's boilerplate model of the window before ``day`` (an unreadable segment is skipped)."""
    from crosspost.lake import learned_state
    from extract.boilerplate import WINDOW_DAYS, BoilerplateModel
    from extract.exceptions import BoilerplateStateError

    model = BoilerplateModel()
    for key, data in learned_state.load_segments(store, site, day, WINDOW_DAYS):
        try:
            model.merge(data)
        except BoilerplateStateError as exc:
            log.warning("extract %s %s: skipping %s: %s", site, day, key, exc)
    return model


def load_records(store_url: str, date: str, sites: list[str]) -> tuple[list[dict], dict]:
    """The extracted records of the sites that arrived for a date, and each site's status
    (``complete``/``missing``, crosspost.pipeline.arrival): a missing site's older records are not used."""
    store = open_store(store_url)
    status = arrival.site_status(store, date, sites)
    records = []
    for site in sorted(s for s, v in status.items() if v == "complete"):
        records.extend(load_jsonl_gz(store.get_bytes(layout.extracted_key(site, date))))
    return records, status


def dedupe_date(store_url: str, date: str, sites: list[str], *, allow_shrink: bool = False, jobs: int = 1) -> str:
    """Cluster the date's records across sites and against every earlier date's signature
    segment; write the assignments and the date's own segment (reruns give the same bytes).
    With ``jobs`` > 1, a second process aligns copies to their originals too (``crosspost run``).

    Refused, before anything is written, when the date may not be published with the sites
    that arrived (crosspost.pipeline.arrival.check_publishable).
    """
    from crosspost.dedupe import signature_index
    from crosspost.dedupe.align import align_assignments
    from crosspost.dedupe.align_helper import AlignHelper
    from crosspost.dedupe.clusters import dedupe_records
    from crosspost.dedupe.original_text import TextLookup

    store = open_store(store_url)
    arrival.check_publishable(store_url, date, sites, allow_shrink=allow_shrink)
    with AlignHelper() if jobs > 1 else nullcontext() as helper:  # started first: it imports while we cluster
        records, status = load_records(store_url, date, sites)
        history = signature_index.load_history(store, date)
        night = dedupe_records(records, history, helper)
        texts = TextLookup(store, records, history)
        aligned = align_assignments(night.assignments, texts.get, helper=helper)
    day = dates.day(date)
    state = [{**c, "first_seen": c["first_seen"] or day, "last_seen": day} for c in night.clusters]
    store.put_bytes(layout.cluster_state_key(date), dump_jsonl_gz(state))
    key = layout.dedupe_key(date)
    store.put_bytes(key, dump_jsonl_gz(aligned))
    changed = signature_index.write_segment(store, date, night, history.basis)
    signature_index.compact(store, date)  # months before this one: one segment each (bounded reads)
    clusters = {a["cluster_id"] for a in night.assignments if a["cluster_size"] > 1}
    log.info("dedupe %s: %d records, %d cross-post clusters (against %d earlier dates), sites %s",
             dates.day(date), len(records), len(clusters), len(history.dates), status)
    if changed and (later := signature_index.later_dates(store, date)):
        log.warning("dedupe %s: the signature segment changed and later dates %s were built on the old "
                    "one: rerun them in date order", dates.day(date), later)
    return key


def publish_date(store_url: str, date: str, sites: list[str], *, run_id: str,
                 data_interval: tuple[str, str] | None = None, allow_shrink: bool = False) -> list[str]:
    """Write the ``articles``, ``crossposts`` and ``clusters`` partitions of a date and commit them
    as one unit (crosspost.lake.publish: one commit record, written last, publishes them all).

    A bucket that is missing or refuses the credentials fails here, before any work, and so
    does a date that may not be published with the sites that arrived (crosspost.pipeline.arrival).
    """
    from crosspost.dedupe.minhash import text_hashes
    from crosspost.lake.publish import commit_tables, to_table
    from crosspost.lake.rows import article_rows, cluster_rows, crosspost_rows

    store = open_store(store_url)
    store.check()
    arrival.check_publishable(store_url, date, sites, allow_shrink=allow_shrink)
    records, status = load_records(store_url, date, sites)
    assignments = load_jsonl_gz(store.get_bytes(layout.dedupe_key(date)))
    state = load_jsonl_gz(store.get_bytes(layout.cluster_state_key(date)))
    hashes = text_hashes(r["text"] for r in records if r.get("text"))
    tables = {"articles": to_table("articles", article_rows(records, assignments, hashes)),
              "crossposts": to_table("crossposts", crosspost_rows(assignments)),
              "clusters": to_table("clusters", cluster_rows(state))}
    return commit_tables(store, date, tables, run_id=run_id, data_interval=data_interval, sites=status)


def archived_or_crawl(sites_file: str, store_url: str, date: str, site: str, *, reprocess: bool = False,
                      recrawl: bool = False, settings: dict | None = None, fetch_count: str | None = None) -> str:
    """In reprocess mode, use the archived WARC (no network); otherwise crawl. Either way the
    site's arrival for the date is recorded, and SiteUnreachable raised when nothing arrived."""
    if not reprocess:
        return crawl_site(sites_file, store_url, date, site, recrawl=recrawl, settings=settings,
                          fetch_count=fetch_count)
    store, key = open_store(store_url), layout.raw_warc_key(site, date)
    if not store.exists(key):
        raise ObjectNotFound(f"reprocess: no archive for {site} on {dates.day(date)} at {key}")
    report = arrival.archived_report(store, site, date)
    has_pages = arrival.archive_has_pages(store, site, date)
    if arrival.latest_arrival(store, site, date) != has_pages:  # a reprocess rewrites nothing it need not
        arrival.record_arrival(store, site, date, arrived=has_pages, source="archive", report=report)
    if not has_pages:
        raise arrival.unreachable(site, date, report)
    return key
