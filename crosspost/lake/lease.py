"""One crawl of a site at a time, whoever starts it: a lease object per site in the store.

Two runs of different dates (a backfill and the nightly run, or two workers of one backfill)
must not crawl one site at once: the site's politeness budget is per site, not per run. The
lease is ``state/leases/site=<site>/crawl.json``, created with a conditional PUT (only if
absent), so of two runs on any number of machines exactly one gets it. It names its holder
and expires, so a holder that died (a killed worker) blocks the site only until then; its own
retry (the same holder) takes it back at once.

Nothing here waits: a busy site raises SiteBusy with the holder and expiry, and the caller
decides how to wait (crosspost.pipeline.crawl_lease, for the command line and Airflow alike).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from typing import Any

from crosspost.exceptions import CommitConflict, ObjectNotFound, SiteBusy
from crosspost.lake.layout import lease_key
from crosspost.lake.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lease:
    """A held lease: release it with :func:`release`."""

    site: str
    holder: str
    expires: float


def acquire(store: Store, site: str, holder: str, *, now: float, ttl_s: float) -> Lease:
    """Take the site's lease for ``holder`` until ``now + ttl_s``; SiteBusy if another holds it.

    An expired lease, or one this holder already has (a retry after a crash), is taken over
    with a conditional PUT on its ETag, so two runs taking over at once cannot both win.
    """
    lease = Lease(site, holder, now + ttl_s)
    body = json.dumps({"site": site, "holder": holder, "expires": lease.expires}).encode()
    for _ in range(3):  # each lost race re-reads the lease: the winner is then the holder
        try:
            store.put_bytes(lease_key(site), body, if_absent=True)
            return lease
        except CommitConflict:
            pass
        try:
            current, etag = _read(store, site)
        except ObjectNotFound:  # released between the two calls
            continue
        if current["holder"] != holder and current["expires"] > now:
            raise SiteBusy(site, current["holder"], current["expires"])
        try:
            store.put_bytes(lease_key(site), body, if_match=etag)
            return lease
        except CommitConflict:
            continue
    raise SiteBusy(site, "other runs racing for it", now)


def take_over(store: Store, site: str, stale: str, holder: str, *, now: float, ttl_s: float) -> Lease:
    """Take the site's lease from ``stale``, a holder known to be dead (its process is gone),
    before it expires; SiteBusy if someone else holds it by now (a conditional PUT on the
    ETag, so of two runs taking it over at once one wins)."""
    lease = Lease(site, holder, now + ttl_s)
    body = json.dumps({"site": site, "holder": holder, "expires": lease.expires}).encode()
    try:
        current, etag = _read(store, site)
    except ObjectNotFound:  # released meanwhile: an ordinary take
        return acquire(store, site, holder, now=now, ttl_s=ttl_s)
    if current["holder"] != stale:
        raise SiteBusy(site, current["holder"], current["expires"])
    try:
        store.put_bytes(lease_key(site), body, if_match=etag)
    except CommitConflict:
        raise SiteBusy(site, "another run taking it over", now) from None
    return lease


def release(store: Store, lease: Lease) -> None:
    """Give the lease back, unless it expired and another holder has taken it over since."""
    try:
        current, _ = _read(store, lease.site)
    except ObjectNotFound:
        return
    if current["holder"] == lease.holder:
        store.delete([lease_key(lease.site)])


DAMAGED = {"holder": "nobody (a damaged lease object)", "expires": 0.0}
MAX_HOLDER = 1000  # an Airflow holder is the DAG id and a run id (250 characters at most)


def _read(store: Store, site: str) -> tuple[dict[str, Any], str]:
    """The lease's holder and expiry, and its ETag. A damaged object (not JSON, or without a
    holder name of at most MAX_HOLDER characters and a finite numeric expiry) counts as
    expired: a conditional PUT on its ETag then replaces it, so it cannot block the site for
    ever."""
    data, etag = store.get_with_etag(lease_key(site))
    try:
        current = json.loads(data)
    except ValueError:
        current = None
    if not (isinstance(current, dict) and _name(current.get("holder")) and _finite(current.get("expires"))):
        log.warning("the crawl lease of %s is damaged (%d bytes); taking it as expired", site, len(data))
        return dict(DAMAGED), etag
    return current, etag


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _name(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_HOLDER
