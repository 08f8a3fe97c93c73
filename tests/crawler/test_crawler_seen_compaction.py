"""The seen-URL index across a month boundary, through the crawl stage (the real Scrapy engine
against the demo web, local store and moto's S3): a finished month becomes one segment, later
nights skip what it holds, and a rerun of an old date after compaction fetches what it
fetched the first time."""

from __future__ import annotations

import json

import pytest

from crawltest_helpers import FAST
from crosspost.lake import compaction, layout
from crosspost.lake.layout import seen_key
from crosspost.lake.seen import load_seen, seen_index
from crosspost.lake.store import open_store

SITE = "truthecho"  # Atom feed: dates for every article (published 2026-11-14 .. 2026-11-20)


def crawl(sites_file, store_url, date, lookback):
    from crosspost.pipeline.stages import crawl_site

    crawl_site(sites_file, store_url, date, SITE, settings=FAST, lookback=lookback)
    return json.loads(open_store(store_url).get_bytes(layout.crawl_report_key(SITE, date)))


def published(demo_web, first, last):
    return {demo_web.url(SITE, a.path) for a in demo_web.corpus.site(SITE)
            if first <= a.published.date().isoformat() <= last}


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store_url(request):
    return request.getfixturevalue("local_store_url" if request.param == "local" else "s3_store_url")


def test_seen_index_compaction_across_a_month_boundary(sites_file, store_url, demo_web):
    store = open_store(store_url)
    first = crawl(sites_file, store_url, "2026-11-17", lookback=3)
    second = crawl(sites_file, store_url, "2026-11-20", lookback=2)
    assert first["fetched"] == len(published(demo_web, "2026-11-14", "2026-11-17"))
    assert second["fetched"] == len(published(demo_web, "2026-11-18", "2026-11-20"))
    # December: its crawl folds November's daily segments into one month segment ...
    december = crawl(sites_file, store_url, "2026-12-01", lookback=30)
    keys = store.list(f"state/seen/site={SITE}/")
    assert seen_key(SITE, "2026-11-17") not in keys and seen_key(SITE, "2026-11-20") not in keys
    assert seen_key(SITE, "2026-12-01") in keys and f"state/seen/site={SITE}/month=2026-11/_MANIFEST.json" in keys
    # ... and skips everything November archived, read from it
    assert december["fetched"] == 0
    assert december["skipped"]["seen"] == first["fetched"] + second["fetched"]
    assert load_seen(store, SITE, "2026-12-02") == published(demo_web, "2026-11-14", "2026-11-20")
    # a rerun of the 20th after compaction reads only what the 17th archived, and fetches as before
    assert load_seen(store, SITE, "2026-11-20") == published(demo_web, "2026-11-14", "2026-11-17")
    again = crawl(sites_file, store_url, "2026-11-20", lookback=2)
    assert {k: again[k] for k in ("fetched", "skipped", "in_window")} == \
        {k: second[k] for k in ("fetched", "skipped", "in_window")}
    assert store.exists(seen_key(SITE, "2026-11-20"))  # the rerun's own segment, until November is compacted again
    assert compaction.compact_before(store, seen_index(SITE), "2026-12-02") == ["2026-11"]
    assert not store.exists(seen_key(SITE, "2026-11-20"))
    assert load_seen(store, SITE, "2026-12-02") == published(demo_web, "2026-11-14", "2026-11-20")
