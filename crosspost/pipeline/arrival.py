"""Whether a site arrived for a date: the policy that lets dedupe and publish run with the sites
that did, and refuses a date where none did."""

from __future__ import annotations

import json

from crosspost.common import dates
from crosspost.exceptions import NoSiteArrived, ObjectNotFound, SiteUnreachable
from crosspost.lake import layout


def check_site_reached(store_url: str, date: str, site: str) -> dict:
    """Raise SiteUnreachable when the archived crawl of ``site`` holds no response at all.

    A site that answered with errors or empty pages did arrive (the report warns about it);
    one that never answered did not, and the date's manifest must say it is missing.
    """
    from crosspost.lake.store import open_store

    try:
        report = json.loads(open_store(store_url).get_bytes(layout.crawl_report_key(site, date)))
    except ObjectNotFound:
        raise SiteUnreachable(f"{site}: no crawl report for {dates.day(date)}") from None
    if not any(report.get(k) for k in ("responses", "bytes", "fetched")):
        failed = report.get("failed") or {}
        raise SiteUnreachable(f"{site} did not answer on {dates.day(date)} (failures: {failed or 'none'})")
    return report


def require_some_site(store_url: str, date: str, sites: list[str]) -> dict[str, str]:
    """Each site's status for the date; NoSiteArrived if none has extracted records."""
    from crosspost.lake.store import open_store

    store = open_store(store_url)
    status = {s: "complete" if store.exists(layout.extracted_key(s, date)) else "missing" for s in sorted(sites)}
    if sites and "complete" not in status.values():
        raise NoSiteArrived(f"no site arrived for {dates.day(date)}: {', '.join(sorted(sites))} all missing")
    return status
