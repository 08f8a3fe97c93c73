"""Zero-config discovery on the six demo sites (a homepage URL each), within the date window."""

from __future__ import annotations

import datetime as dt

import pytest

from crawltest_helpers import article_urls, read_warc
from crosspost.common.urls import normalize

WINDOW_DAYS = 2  # the default lookback


def _expected(web, site):
    """(must be archived, may be archived): published in the window; published or modified in it."""
    from tests.demoweb import DEMO_DATE

    start = DEMO_DATE - dt.timedelta(days=WINDOW_DAYS)
    inside = lambda d: start <= d <= DEMO_DATE  # noqa: E731
    arts = web.corpus.site(site)
    must = {normalize(web.url(site, a.path)) for a in arts if inside(a.published.date())}
    may = must | {normalize(web.url(site, a.path)) for a in arts if inside(a.modified.date())}
    return must, may


@pytest.mark.parametrize("site, source", [
    ("northwire", "sitemap"),  # sitemap index of daily sitemaps (+ RSS)
    ("worldreprint", "feed"),  # RSS only
    ("freepressmirror", "sitemap"),  # sitemap index with a gzipped child
    ("commonsdigest", "listing"),  # no sitemap, no feed: paginated archive
    ("newsbeacon", "sitemap"),  # Google News sitemap
    ("truthecho", "feed"),  # Atom only
])
def test_each_site_is_discovered_from_its_homepage(demo_crawls, demo_web, site, source):
    crawl = demo_crawls[site]
    must, may = _expected(demo_web, site)
    urls = article_urls(crawl.warc)
    assert must <= set(urls) <= may, (sorted(must - set(urls)), sorted(set(urls) - may))
    assert len(urls) == len(set(urls))
    assert crawl.report["discovered"].get(source, 0) > 0
    assert crawl.report["failed"] == {}
    assert crawl.report["fetched"] == len(urls) == len(crawl.archived)


def test_gzipped_child_sitemap_is_read(demo_crawls, demo_web):
    kinds = [(r.url, r.kind) for r in read_warc(demo_crawls["freepressmirror"].warc)]
    assert (demo_web.url("freepressmirror", "/sitemaps/posts-2.xml.gz"), "sitemap") in kinds


def test_old_child_sitemaps_are_skipped_by_lastmod(demo_crawls):
    # northwire has one sitemap per day; those last modified before the window are not fetched.
    report = demo_crawls["northwire"].report
    assert report["skipped"]["old_sitemap"] >= 3


def test_listing_pages_stop_before_the_window(demo_crawls, demo_web):
    crawl = demo_crawls["commonsdigest"]
    fetched = {r.url for r in read_warc(crawl.warc) if r.kind == "listing"}
    posts = demo_web.corpus.site("commonsdigest")
    last_page = demo_web.url("commonsdigest", f"/page/{-(-len(posts) // 10)}/")  # 10 posts a page
    assert demo_web.url("commonsdigest", "/page/2/") in fetched
    assert last_page not in fetched  # entirely older than the window: never requested
    assert crawl.report["skipped"]["out_of_window"] > 0


def test_listed_dates_are_recorded_in_the_warc(demo_crawls):
    records = [r for r in read_warc(demo_crawls["newsbeacon"].warc) if r.kind == "article"]
    assert records and all(r.listed_date for r in records)


def test_no_listening_port_and_no_error_in_any_crawl(demo_crawls):
    for crawl in demo_crawls.values():
        assert crawl.report["listening_ports"] == []
        assert crawl.report["finish_reason"] == "finished"
        assert " ERROR: " not in crawl.log
