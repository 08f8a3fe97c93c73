"""A URL listed by a feed and by a sitemap with different dates is judged on both listings,
whichever answers first: the crawl of a date is the same on every run (reruns and backfills are
compared partition by partition)."""

from __future__ import annotations

import time

import pytest
import yaml

from crawltest_helpers import FAST, html_page, read_warc, watched_crawl

DATE = "2026-11-20"
# No date in the paths: only the listings date them.
UPDATED_LATER = "/news/updated-later-story/"  # feed: published on DATE; sitemap: modified after the window
LISTED_OLD = "/news/listed-old-story/"  # sitemap: in the window; feed: an older date
ONLY_OLD = "/news/only-old-story/"  # every listing before the window


def _routes(site, slow: str) -> None:
    base = site.url.rstrip("/")

    def sitemap(n):
        if slow == "sitemap":
            time.sleep(1.0)
        urls = [(UPDATED_LATER, "2026-11-25"), (LISTED_OLD, "2026-11-20"), (ONLY_OLD, "2026-10-02")]
        body = "".join(f"<url><loc>{base}{p}</loc><lastmod>{d}</lastmod></url>" for p, d in urls)
        return 200, {"Content-Type": "application/xml"}, f"<urlset>{body}</urlset>".encode()

    def feed(n):
        if slow == "feed":
            time.sleep(1.0)
        items = [(UPDATED_LATER, "Fri, 20 Nov 2026 08:00:00 GMT"), (LISTED_OLD, "Mon, 02 Nov 2026 08:00:00 GMT"),
                 (ONLY_OLD, "Thu, 01 Oct 2026 08:00:00 GMT")]
        body = "".join(f"<item><link>{base}{p}</link><pubDate>{d}</pubDate></item>" for p, d in items)
        return 200, {"Content-Type": "application/rss+xml"}, f"<rss><channel>{body}</channel></rss>".encode()

    site.routes.update({
        "/": lambda n: (200, {}, html_page("<p>front page</p>")),
        "/sitemap.xml": sitemap,
        "/rss.xml": feed,
        **{p: (lambda n, p=p: (200, {}, html_page(f"<p>{p}</p>"))) for p in (UPDATED_LATER, LISTED_OLD, ONLY_OLD)},
    })


def _crawl(site, tmp_path, slow: str):
    _routes(site, slow)
    sites = tmp_path / "sites.yaml"
    sites.write_text(yaml.safe_dump({"sites": [{"name": "local", "url": site.url, "lookback_days": 1,
                                                "feeds": ["/rss.xml"]}]}))
    crawl = watched_crawl(str(sites), "local", DATE, tmp_path / "out", settings=FAST)
    listed = {r.url.removeprefix(site.url.rstrip("/")): r.listed_date for r in read_warc(crawl.warc)
              if r.kind == "article"}
    return crawl.report, listed


@pytest.mark.parametrize("slow", ["sitemap", "feed"])
def test_a_url_is_judged_on_all_its_listings_whichever_answers_first(local_site, tmp_path, slow):
    report, listed = _crawl(local_site, tmp_path, slow)
    # In the window when any listing dates it there; the earliest such date is recorded.
    assert listed == {UPDATED_LATER: DATE, LISTED_OLD: DATE}
    assert report["skipped"]["out_of_window"] == 1
    assert report["discovered"] == {"sitemap": 3}  # the same source every run, not the first to answer
    assert report["in_window"] == report["requested"] == report["fetched"] == 2
