"""A command-line crawl holds the site's crawl lease (crosspost.lake.lease), as the Airflow
crawl task does, so a hand run and a nightly run never crawl one site at once.

The command line and the Airflow crawl task both wait here while the site is busy, saying
so (stderr, or the task log), up to a bounded time, then fail that site with a clear reason
(the command line goes on with the other sites; the Airflow task's try fails and is retried).
The Airflow task does not reschedule itself instead: Airflow 3.3.2 can fail a rescheduled task
that is running again when the previous, rescheduled execution's exit reaches the scheduler
late (same try number, "state mismatch"), as a fresh-clone CI run showed. The lease is released on every way out
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
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Patience:
    """How a crawl waits for a busy site: ``wait_s`` in all (set by ``knob``), asking every
    ``poll_s``; the lease it then takes lasts ``ttl_s``. ``clock``, ``sleep`` and ``say`` are the test's seams."""

    wait_s: float = DEFAULT_WAIT_S
    poll_s: float = POLL_S
    ttl_s: float = LEASE_TTL_S
    knob: str = "--lease-wait"  # what sets wait_s, named in the message
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    say: Callable[[str], None] | None = None


@contextmanager
def crawl_lease(store_url: str, site: str, holder: str, *, wait_s: float = DEFAULT_WAIT_S,
                patience: Patience | None = None, **seams) -> Iterator[Lease]:
    """Hold ``site``'s crawl lease for the block, waiting up to ``wait_s`` seconds (or as
    ``patience`` says) while another run holds it; SiteBusy (naming the holder and the wait)
    when it is still busy by then. ``seams``: ``clock``, ``sleep``, ``say`` (see Patience)."""
    store = open_store(store_url)
    lease = _wait_for(store, site, holder, patience or Patience(wait_s=wait_s, **seams))
    try:
        yield lease
    finally:
        release(store, lease)


def release_for(store_url: str, site: str, holder: str) -> None:
    """Free ``site``'s lease if ``holder`` has it (after the worker that took it was killed)."""
    release(open_store(store_url), Lease(site, holder, 0.0))


def _wait_for(store, site: str, holder: str, patience: Patience) -> Lease:
    clock, say = patience.clock, patience.say or _stderr
    deadline, said = clock() + patience.wait_s, False
    while True:
        try:
            return acquire(store, site, holder, now=clock(), ttl_s=patience.ttl_s)
        except SiteBusy as busy:
            if holder_is_gone(busy.holder):
                say(f"crosspost: taking over the lease of {site} from {busy.holder}, which is no longer running")
                try:
                    return take_over(store, site, busy.holder, holder, now=clock(), ttl_s=patience.ttl_s)
                except SiteBusy:
                    continue  # another run was quicker: wait for it as for any holder
            left = deadline - clock()
            if left <= 0:
                raise SiteBusy(site, f"{busy.holder}, still after waiting {patience.wait_s:.0f} s",
                               busy.expires) from None
            if not said:
                say(f"crosspost: {busy}; waiting up to {patience.wait_s:.0f} s for it ({patience.knob})")
                said = True
            patience.sleep(min(patience.poll_s, left))


def _stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
