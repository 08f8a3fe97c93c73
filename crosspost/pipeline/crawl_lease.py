"""A command-line crawl holds the site's crawl lease (crosspost.lake.lease), as the Airflow
crawl task does, so a hand run and a nightly run never crawl one site at once.

The Airflow task reschedules itself while the site is busy; a command line has no scheduler,
so it waits here, saying so on stderr, up to a bounded time, then fails that site with a
clear reason (the run goes on with the other sites). The lease is released on every way out
of the block; a worker killed outright cannot release it, so its run's parent does
(:func:`release_for`); a command line killed outright (``kill -9``) cannot either, so the
next command line on the same host takes over a lease whose holder process is gone instead
of waiting for it to expire (``LEASE_TTL_S``; other hosts and Airflow holders are waited for).
"""

from __future__ import annotations

import os
import re
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from crosspost.exceptions import SiteBusy
from crosspost.lake.lease import Lease, acquire, release, take_over
from crosspost.lake.store import open_store

DEFAULT_WAIT_S = 300.0  # `--lease-wait`: a nightly crawl of one site is usually shorter
LEASE_TTL_S = 3600.0 + 600.0  # the crawl's own timeout (crawler.runner.run_crawl) and a margin
POLL_S = 5.0


_HOLDER = re.compile(r"crosspost [a-z-]+ on (?P<host>\S+) pid (?P<pid>\d+)")


def run_holder(command: str) -> str:
    """Who holds the leases of this command line run: the command, host and process id."""
    return f"crosspost {command} on {socket.gethostname()} pid {os.getpid()}"


def holder_is_gone(holder: str) -> bool:
    """Whether ``holder`` is a command line run of this host whose process no longer exists."""
    match = _HOLDER.fullmatch(holder)
    if not match or match["host"] != socket.gethostname() or int(match["pid"]) == os.getpid():
        return False
    try:
        os.kill(int(match["pid"]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's living process
        return False
    return False


@contextmanager
def crawl_lease(store_url: str, site: str, holder: str, *, wait_s: float = DEFAULT_WAIT_S,
                clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                say: Callable[[str], None] | None = None) -> Iterator[Lease]:
    """Hold ``site``'s crawl lease for the block, waiting up to ``wait_s`` seconds while another
    run holds it; SiteBusy (naming the holder and the wait) when it is still busy by then."""
    store = open_store(store_url)
    lease = _wait_for(store, site, holder, wait_s, clock, sleep, say or _stderr)
    try:
        yield lease
    finally:
        release(store, lease)


def release_for(store_url: str, site: str, holder: str) -> None:
    """Free ``site``'s lease if ``holder`` has it (after the worker that took it was killed)."""
    release(open_store(store_url), Lease(site, holder, 0.0))


def _wait_for(store, site, holder, wait_s, clock, sleep, say) -> Lease:
    deadline, said = clock() + wait_s, False
    while True:
        try:
            return acquire(store, site, holder, now=clock(), ttl_s=LEASE_TTL_S)
        except SiteBusy as busy:
            if holder_is_gone(busy.holder):
                say(f"crosspost: taking over the lease of {site} from {busy.holder}, which is no longer running")
                try:
                    return take_over(store, site, busy.holder, holder, now=clock(), ttl_s=LEASE_TTL_S)
                except SiteBusy:
                    continue  # another run was quicker: wait for it as for any holder
            left = deadline - clock()
            if left <= 0:
                raise SiteBusy(site, f"{busy.holder}, still after waiting {wait_s:.0f} s", busy.expires) from None
            if not said:
                say(f"crosspost: {busy}; waiting up to {wait_s:.0f} s for it (--lease-wait)")
                said = True
            sleep(min(POLL_S, left))


def _stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
