"""The command line's wait for a site's crawl lease, on both stores, with a fake clock: one
message, polls until the holder is gone or the wait is over, released on every way out."""

from __future__ import annotations

import os

import pytest

from crosspost.exceptions import SiteBusy
from crosspost.lake.layout import lease_key
from crosspost.lake.lease import acquire, release, take_over
from crosspost.pipeline.crawl_lease import Patience, crawl_lease, release_for


class Clock:
    def __init__(self):
        self.now, self.slept = 1000.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def _release_at(store, lease, clock: Clock, when: float):
    """A sleep that gives ``lease`` back once the clock reaches ``when`` (the other run ends)."""
    def sleep(seconds):
        clock.sleep(seconds)
        if clock.now >= when:
            release(store, lease)
    return sleep


def test_waits_with_one_message_until_the_other_run_ends(store):
    other = acquire(store, "northwire", "nightly", now=1000, ttl_s=3600)
    clock, said = Clock(), []
    sleep = _release_at(store, other, clock, 1012)
    with crawl_lease(store.url, "northwire", "hand run", wait_s=60, clock=clock, sleep=sleep, say=said.append) as lease:
        assert lease.holder == "hand run" and clock.now >= 1012
    assert len(said) == 1 and "northwire is being crawled by nightly" in said[0] and "waiting up to 60 s" in said[0]
    assert not store.exists(lease_key("northwire"))


def test_fails_after_the_wait_and_leaves_the_other_lease(store):
    acquire(store, "northwire", "nightly", now=1000, ttl_s=3600)
    clock = Clock()
    with pytest.raises(SiteBusy) as busy, crawl_lease(store.url, "northwire", "hand run", wait_s=12, clock=clock,
                                                      sleep=clock.sleep, say=lambda text: None):
        pass
    assert "being crawled by nightly, still after waiting 12 s" in str(busy.value)
    assert sum(clock.slept) == 12 and max(clock.slept) <= 5
    with pytest.raises(SiteBusy):  # still the other run's
        acquire(store, "northwire", "third", now=1013, ttl_s=60)


def test_the_airflow_task_s_patience_its_poll_its_lease_and_its_knob(store):
    """The Airflow crawl task waits here too (no reschedule): every poll_s, naming its setting,
    and the lease it then takes lasts the task's ttl."""
    other = acquire(store, "northwire", "nightly", now=1000, ttl_s=3600)
    clock, said = Clock(), []
    patience = Patience(wait_s=600, poll_s=30, ttl_s=7800, knob="CROSSPOST_SITE_BUSY_WAIT_SECONDS",
                        clock=clock, sleep=_release_at(store, other, clock, 1090), say=said.append)
    with crawl_lease(store.url, "northwire", "crosspost_nightly/backfill__x", patience=patience) as lease:
        assert clock.slept == [30, 30, 30] and lease.expires == clock.now + 7800
    assert said == ["crosspost: northwire is being crawled by nightly (lease expires at 4600, unix time); "
                    "waiting up to 600 s for it (CROSSPOST_SITE_BUSY_WAIT_SECONDS)"]


def test_released_when_the_crawl_fails_and_by_the_parent_of_a_killed_worker(store):
    with pytest.raises(RuntimeError), crawl_lease(store.url, "northwire", "run-1", wait_s=0):
        raise RuntimeError("crawl failed")
    assert not store.exists(lease_key("northwire"))
    acquire(store, "northwire", "run-1", now=1000, ttl_s=3600)  # a worker of run-1 took it, then was killed
    release_for(store.url, "northwire", "run-2")  # not run-2's to free
    assert store.exists(lease_key("northwire"))
    release_for(store.url, "northwire", "run-1")
    assert not store.exists(lease_key("northwire"))


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(proc.stdout)


def test_a_killed_command_line_runs_lease_on_this_host_is_taken_over_at_once(store):
    import socket

    dead = f"crosspost crawl on {socket.gethostname()} pid {_dead_pid()}"  # killed with SIGKILL: never released
    acquire(store, "northwire", dead, now=1000, ttl_s=3600)
    clock, said = Clock(), []
    with crawl_lease(store.url, "northwire", "hand run", wait_s=60, clock=clock, sleep=clock.sleep, say=said.append):
        assert clock.slept == []
    assert said == [f"crosspost: taking over the lease of northwire from {dead}, which is no longer running"]
    for other in ("crosspost crawl on another-host pid 1", "airflow crosspost_nightly crawl[northwire]",
                  f"crosspost run on {socket.gethostname()} pid {os.getpid()}"):  # alive, elsewhere, or Airflow
        lease = acquire(store, "northwire", other, now=1000, ttl_s=3600)
        with pytest.raises(SiteBusy), crawl_lease(store.url, "northwire", "hand run", wait_s=5, clock=clock,
                                                  sleep=clock.sleep, say=said.append):
            pass
        release(store, lease)


def test_take_over_only_from_the_stale_holder(store):
    acquire(store, "northwire", "gone", now=1000, ttl_s=3600)
    assert take_over(store, "northwire", "gone", "me", now=1001, ttl_s=60).holder == "me"
    with pytest.raises(SiteBusy):  # "gone" is not the holder any more: a second taker loses
        take_over(store, "northwire", "gone", "third", now=1002, ttl_s=60)
