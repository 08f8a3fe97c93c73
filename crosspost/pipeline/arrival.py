"""Whether a site arrived for a date, and what a date may be published with: the one policy that
``crosspost run``, the stage commands and the Airflow DAG all follow.

- A crawl (or, in reprocess mode, the archive) that holds no response at all means the site did
  not arrive: ``raw/site=<site>/dt=<date>/arrival.json`` says so, the site is ``missing`` in the
  manifest, and its older extracted records are not used.
- A crawl that got nothing never replaces an archive that has pages (see ``stages.crawl_site``).
- Dedupe and publish refuse a date where no site arrived (NoSiteArrived), and a date whose
  committed partition has rows from a site that did not arrive this time (PartitionWouldShrink)
  unless ``allow_shrink``: the committed date then stays as it was.
"""

from __future__ import annotations

import json

from crosspost.common import dates
from crosspost.exceptions import (
    ManifestError,
    NoSiteArrived,
    ObjectNotFound,
    PartitionNotCommitted,
    PartitionWouldShrink,
    SiteUnreachable,
)
from crosspost.lake import layout
from crosspost.lake.store import Store, open_store

ANSWER_FIELDS = ("responses", "bytes", "fetched")


def reached(report: dict | None) -> bool:
    """Whether a crawl report shows at least one response from the site."""
    return report is not None and any(report.get(k) for k in ANSWER_FIELDS)


def unreachable(site: str, date, report: dict | None) -> SiteUnreachable:
    """The error of a site that never answered, with the failures its crawl report counted."""
    failed = (report or {}).get("failed") or {}
    return SiteUnreachable(f"{site} did not answer on {dates.day(date)} (failures: {failed or 'none'})")


def archived_report(store: Store, site: str, date) -> dict | None:
    """The crawl report stored next to the site's archive of the date, if any."""
    try:
        return json.loads(store.get_bytes(layout.crawl_report_key(site, date)))
    except (ObjectNotFound, ValueError):
        return None


def archive_has_pages(store: Store, site: str, date) -> bool:
    """Whether the date's archive of the site holds responses (a WARC without a report counts
    as holding some: never overwrite what cannot be checked)."""
    report = archived_report(store, site, date)
    if report is not None:
        return reached(report)
    return store.exists(layout.raw_warc_key(site, date))


def record_arrival(store: Store, site: str, date, *, arrived: bool, source: str, report: dict | None) -> None:
    """Write the outcome of the date's latest attempt for the site (``source``: crawl or archive)."""
    outcome = {"site": site, "dt": dates.day(date), "arrived": arrived, "source": source,
               "attempt": {k: (report or {}).get(k) for k in (*ANSWER_FIELDS, "failed")}}
    store.put_bytes(layout.arrival_key(site, date), json.dumps(outcome, sort_keys=True).encode())


def check_site_reached(store_url: str, date: str, site: str) -> dict:
    """Raise SiteUnreachable when the archived crawl of ``site`` holds no response at all.

    A site that answered with errors or empty pages did arrive (the report warns about it);
    one that never answered did not, and the date's manifest must say it is missing.
    """
    report = archived_report(open_store(store_url), site, date)
    if report is None:
        raise SiteUnreachable(f"{site}: no crawl report for {dates.day(date)}")
    if not reached(report):
        raise unreachable(site, date, report)
    return report


def site_status(store: Store, date, sites: list[str]) -> dict[str, str]:
    """Each site's status for the date: ``complete`` when its latest attempt arrived and its
    records are extracted, else ``missing``."""
    return {site: "complete" if _arrived(store, site, date) else "missing" for site in sorted(sites)}


def _arrived(store: Store, site: str, date) -> bool:
    if not store.exists(layout.extracted_key(site, date)):
        return False
    latest = latest_arrival(store, site, date)
    return True if latest is None else latest  # None: extracted before arrival records existed


def latest_arrival(store: Store, site: str, date) -> bool | None:
    """Whether the date's latest attempt for the site arrived; None when none was recorded."""
    try:
        outcome = json.loads(store.get_bytes(layout.arrival_key(site, date)))
    except ObjectNotFound:
        return None
    except ValueError:
        return False  # a damaged note: trust nothing it stood for
    return bool(isinstance(outcome, dict) and outcome.get("arrived"))


def require_some_site(store_url: str, date: str, sites: list[str]) -> dict[str, str]:
    """Each site's status for the date; NoSiteArrived if none arrived."""
    status = site_status(open_store(store_url), date, sites)
    if sites and "complete" not in status.values():
        raise NoSiteArrived(f"no site arrived for {dates.day(date)}: {', '.join(sorted(sites))} all missing; "
                            "the date is left as it was")
    return status


def check_publishable(store_url: str, date: str, sites: list[str], *, allow_shrink: bool = False) -> dict[str, str]:
    """The sites' status if the date may be deduped and published with what arrived.

    NoSiteArrived when nothing arrived; PartitionWouldShrink, naming the sites, when a site that
    did not arrive has rows in the committed ``articles`` partition and ``allow_shrink`` is off.
    """
    status = require_some_site(store_url, date, sites)
    if allow_shrink:
        return status
    lost = _committed_rows(open_store(store_url), date, [s for s, v in status.items() if v == "missing"])
    if lost:
        names = ", ".join(f"{s} ({n} rows)" for s, n in lost.items())
        raise PartitionWouldShrink(
            f"{dates.day(date)}: {names} did not arrive in this run but are in the committed partition; refusing "
            "to shrink it, the date is left as it was. Rerun when the sites answer, or pass --allow-shrink "
            "(Airflow: the allow_shrink param) to publish without them")
    return status


def _committed_rows(store: Store, date, sites: list[str]) -> dict[str, int]:
    from crosspost.lake.reader import read_manifest

    if not sites:
        return {}
    try:
        rows = read_manifest(store, "articles", date).get("site_rows") or {}
    except (PartitionNotCommitted, ManifestError):
        return {}  # nothing (readable) committed: nothing to shrink
    return {s: rows[s] for s in sites if isinstance(rows.get(s), int) and rows[s] > 0}
