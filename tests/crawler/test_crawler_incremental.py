"""Incremental crawling through the crawl stage: the seen-URL index in the store, idempotent
reruns, ``recrawl``. The real stage (crosspost.pipeline.stages.crawl_site) against the demo web."""

from __future__ import annotations

import json

import pytest

from crawltest_helpers import FAST, article_urls
from crosspost.lake import layout
from crosspost.lake.layout import seen_key
from crosspost.lake.seen import decode_segment, load_seen
from crosspost.lake.store import open_store

SITE = "truthecho"  # Atom feed: dates for every article


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    return str(tmp_path_factory.mktemp("lake"))


def _crawl(sites_file, store_url, date, **kw):
    from crosspost.pipeline.stages import crawl_site

    crawl_site(sites_file, store_url, date, SITE, settings=FAST, **kw)
    store = open_store(store_url)
    report = json.loads(store.get_bytes(layout.crawl_report_key(SITE, date)))
    return report, store


@pytest.fixture(scope="module")
def two_days(sites_file, store_url, tmp_path_factory):
    """The 19th, then the 20th (windows 17-19 and 18-20 overlap on the 18th and 19th)."""
    first, _ = _crawl(sites_file, store_url, "2026-11-19")
    second, store = _crawl(sites_file, store_url, "2026-11-20")
    return first, second, store


def _published(demo_web, *days):
    return {demo_web.url(SITE, a.path) for a in demo_web.corpus.site(SITE) if a.published.date().isoformat() in days}


def test_the_second_day_skips_what_the_first_archived(two_days, demo_web):
    first, second, store = two_days
    overlap = _published(demo_web, "2026-11-18", "2026-11-19")
    assert first["fetched"] == len(_published(demo_web, "2026-11-17", "2026-11-18", "2026-11-19"))
    assert second["skipped"]["seen"] == len(overlap)
    assert second["fetched"] == len(_published(demo_web, "2026-11-20"))
    urls = set(article_urls(store.uri(layout.raw_warc_key(SITE, "2026-11-20"))))
    assert urls == _published(demo_web, "2026-11-20")


def test_the_seen_index_has_one_segment_per_date(two_days, demo_web):
    _, _, store = two_days
    assert store.list(f"state/seen/site={SITE}/") == [seen_key(SITE, "2026-11-19"), seen_key(SITE, "2026-11-20")]
    days = ("2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20")
    assert load_seen(store, SITE, "2026-11-21") == _published(demo_web, *days)
    assert load_seen(store, SITE, "2026-11-19") == set()  # a run never reads its own date


def test_a_rerun_is_idempotent(two_days, sites_file, store_url):
    _, second, store = two_days
    segment = store.get_bytes(seen_key(SITE, "2026-11-20"))
    warc_urls = sorted(article_urls(store.uri(layout.raw_warc_key(SITE, "2026-11-20"))))
    again, store = _crawl(sites_file, store_url, "2026-11-20")
    assert store.get_bytes(seen_key(SITE, "2026-11-20")) == segment
    # The same pages (in any order: downloads run concurrently).
    assert sorted(article_urls(store.uri(layout.raw_warc_key(SITE, "2026-11-20")))) == warc_urls
    assert {k: again[k] for k in ("fetched", "skipped", "in_window")} == \
        {k: second[k] for k in ("fetched", "skipped", "in_window")}


def test_recrawl_fetches_everything_again(two_days, sites_file, store_url, demo_web):
    again, store = _crawl(sites_file, store_url, "2026-11-20", recrawl=True)
    window = _published(demo_web, "2026-11-18", "2026-11-19", "2026-11-20")
    assert again["fetched"] == len(window) and "seen" not in again["skipped"]
    assert set(decode_segment(store.get_bytes(seen_key(SITE, "2026-11-20")))) == window
