"""The per-site crawl lease on both stores: one holder at a time, expiry, a holder's own retry,
racing takers (threads against one real store), and release that never frees another's lease."""

from __future__ import annotations

import threading

import pytest

from crosspost.exceptions import SiteBusy
from crosspost.lake.layout import lease_key
from crosspost.lake.lease import acquire, release
from crosspost.lake.store import open_store


def test_one_holder_at_a_time_then_the_next(store):
    first = acquire(store, "northwire", "run-a", now=1000, ttl_s=60)
    with pytest.raises(SiteBusy) as busy:
        acquire(store, "northwire", "run-b", now=1010, ttl_s=60)
    assert busy.value.holder == "run-a" and busy.value.expires == 1060 and "northwire" in str(busy.value)
    assert acquire(store, "freepressmirror", "run-b", now=1010, ttl_s=60)  # other sites are free
    release(store, first)
    assert acquire(store, "northwire", "run-b", now=1020, ttl_s=60).holder == "run-b"


def test_an_expired_lease_is_taken_over_and_its_late_release_frees_nothing(store):
    stale = acquire(store, "northwire", "dead-worker", now=1000, ttl_s=60)
    assert acquire(store, "northwire", "run-b", now=1061, ttl_s=60).holder == "run-b"
    release(store, stale)  # the dead holder comes back: the new holder keeps the lease
    with pytest.raises(SiteBusy):
        acquire(store, "northwire", "run-c", now=1070, ttl_s=60)


def test_the_same_holder_takes_its_lease_back_after_a_crash(store):
    acquire(store, "northwire", "run-a", now=1000, ttl_s=600)
    assert acquire(store, "northwire", "run-a", now=1001, ttl_s=600).expires == 1601


DAMAGED_LEASES = [b"garbage", b"\xff\xfe", b"null", b"[]", b'{"holder": 5, "expires": 9e9}',
                  b'{"holder": "x", "expires": "soon"}', b'{"holder": "x", "expires": true}',
                  b'{"holder": "x", "expires": Infinity}', b'{"holder": "x", "expires": NaN}',
                  b'{"holder": "", "expires": 9e9}', b'{"holder": "' + b"x" * 1001 + b'", "expires": 9e9}']


@pytest.mark.parametrize("body", DAMAGED_LEASES)
def test_a_damaged_lease_counts_as_expired_and_is_replaced(store, body, caplog):
    """Written by hand, cut short or tampered with, it must not block the site for ever."""
    store.put_bytes(lease_key("northwire"), body)
    lease = acquire(store, "northwire", "run-a", now=1000, ttl_s=60)
    assert lease.holder == "run-a" and "the crawl lease of northwire is damaged" in caplog.text
    with pytest.raises(SiteBusy):  # replaced by a sound lease: the next taker waits as usual
        acquire(store, "northwire", "run-b", now=1001, ttl_s=60)
    release(store, lease)
    assert not store.exists(lease_key("northwire"))


def test_racing_takers_get_exactly_one_lease(store):
    winners, barrier = [], threading.Barrier(8)

    def take(n):
        barrier.wait()
        try:
            winners.append(acquire(open_store(store.url), "northwire", f"run-{n}", now=1000, ttl_s=60).holder)
        except SiteBusy:
            pass

    threads = [threading.Thread(target=take, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1, winners
