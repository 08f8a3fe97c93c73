"""JSON Feed (application/feed+json) through the real Scrapy engine: a local site whose
homepage links a JSON feed (its only list of articles) and a malformed one."""

from __future__ import annotations

import json

import yaml

from crawler.runner import run_crawl
from crawltest_helpers import FAST, article_urls, finish, html_page

DATE = "2026-11-20"
ARTICLES = {"/2026/11/20/harbour-council-votes-on-ferry/": "2026-11-20T09:30:00+01:00",
            "/2026/11/19/storm-closes-coast-road-again/": "2026-11-19T22:00:00Z"}
OLD = "/2026/09/01/an-old-story-out-of-the-window/"


def _json_feed(site_url: str) -> bytes:
    items = [{"id": path, "url": site_url.rstrip("/") + path, "date_published": when}
             for path, when in ARTICLES.items()]
    items += [{"id": OLD, "url": OLD, "date_modified": "2026-09-01T08:00:00Z"},  # relative url, out of the window
              {"id": "no-url", "title": "an item without a url is skipped"}]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Local", "items": items}).encode()


def _routes(site) -> None:
    feed_type = {"Content-Type": "application/feed+json"}
    head = ('<link rel="alternate" type="application/feed+json" href="/feed.json">'
            '<link rel="alternate" type="application/feed+json" href="/broken.json">')
    site.routes.update({
        "/": lambda n: (200, {}, html_page(head + "<p>Nothing linked here: the feed lists the articles.</p>")),
        "/feed.json": lambda n: (200, feed_type, _json_feed(site.url)),
        "/broken.json": lambda n: (200, feed_type, b'{"version": "https://jsonfeed.org/version/1.1", "items": [{'),
        OLD: lambda n: (200, {}, html_page("<p>old</p>")),
        **{path: (lambda n: (200, {}, html_page("<p>story</p>"))) for path in ARTICLES},
    })


def test_json_feed_is_followed_and_a_malformed_one_counted(local_site, tmp_path):
    _routes(local_site)
    sites = tmp_path / "sites.yaml"
    sites.write_text(yaml.safe_dump({"sites": [{"name": "local", "url": local_site.url, "lookback_days": 1,
                                                "user_agent": "crosspost-test/1.0"}]}))
    crawl = finish(run_crawl(str(sites), "local", DATE, tmp_path / "out", settings=FAST))
    assert sorted(article_urls(crawl.warc)) == sorted(local_site.url.rstrip("/") + p for p in ARTICLES)
    assert crawl.report["discovered"]["feed"] >= 2
    assert crawl.report["failed"].get("bad_feed") == 1, crawl.report["failed"]
    assert OLD not in local_site.counts
