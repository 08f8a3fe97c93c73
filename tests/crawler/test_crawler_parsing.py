"""The pure parts of discovery: sitemaps, feeds, listing pages, URL keys, the seen index."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest
from scrapy.http import HtmlResponse

from crawler.discovery import (
    DiscoveryError,
    date_from_url,
    is_non_article,
    looks_like_article,
    parse_date,
    parse_feed,
    parse_sitemap,
)
from crawler.listing import page_links, text_date
from crosspost.common.urls import normalize, site_netloc
from crosspost.lake.layout import seen_key
from crosspost.lake.seen import decode_segment, encode_segment, segments_before

D = dt.date

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>http://s.example/a-b-c/</loc><lastmod>2026-11-18T10:00:00+00:00</lastmod></url>
  <url><loc>http://s.example/d-e-f/</loc><lastmod>2026-11-18</lastmod>
    <news:news><news:publication_date>2026-11-17T23:30:00-02:00</news:publication_date></news:news></url>
  <url><loc>http://s.example/no-date-here/</loc></url>
</urlset>"""


def test_urlset_with_lastmod_and_news_dates():
    kind, entries = parse_sitemap(URLSET)
    # news:publication_date wins over lastmod, and is read in UTC (23:30 -02:00 is the 18th).
    assert kind == "urlset"
    assert entries == [("http://s.example/a-b-c/", D(2026, 11, 18)), ("http://s.example/d-e-f/", D(2026, 11, 18)),
                       ("http://s.example/no-date-here/", None)]


def test_gzipped_sitemap_index():
    body = gzip.compress(b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>/s1.xml</loc><lastmod>2026-11-01</lastmod></sitemap></sitemapindex>""")
    assert parse_sitemap(body) == ("index", [("/s1.xml", D(2026, 11, 1))])


@pytest.mark.parametrize("body", [b"<urlset><url><loc>x", b"<html><body>Not a sitemap</body></html>",
                                  b"", b"\x1f\x8bnot really gzip"])
def test_bad_sitemaps_raise(body):
    with pytest.raises(DiscoveryError):
        parse_sitemap(body)


def test_rss_and_atom():
    rss = b"""<rss version="2.0"><channel><item><title>t</title><link>http://s.example/x-y-z/</link>
      <pubDate>Wed, 18 Nov 2026 09:30:00 GMT</pubDate></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="http://s.example/a/"/>
      <updated>2026-11-19T10:00:00Z</updated></entry><entry><link href="http://s.example/b/"/></entry></feed>"""
    assert parse_feed(rss) == [("http://s.example/x-y-z/", D(2026, 11, 18))]
    assert parse_feed(atom) == [("http://s.example/a/", D(2026, 11, 19)), ("http://s.example/b/", None)]


def test_json_feed():
    feed = b"""{"version": "https://jsonfeed.org/version/1.1", "items": [
      {"id": "1", "url": "http://s.example/a/", "date_published": "2026-11-20T01:00:00+05:00"},
      {"id": "2", "url": "/b/", "date_modified": "2026-11-19T10:00:00Z"}, {"id": "3", "url": "/c/"},
      {"id": "4"}, {"id": "5", "url": 7}, "not an item"]}"""
    assert parse_feed(b"\n " + feed) == [("http://s.example/a/", D(2026, 11, 19)), ("/b/", D(2026, 11, 19)),
                                         ("/c/", None)]


@pytest.mark.parametrize("body", [b'{"version": "https://jsonfeed.org/version/1.1", "items": [{',
                                  b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}',
                                  b'{"items": []}', b'{"version": 1.1, "items": []}',
                                  b'{"items": ' + b'[' * 100_000 + b']' * 100_000 + b'}'])  # nesting: RecursionError
def test_a_malformed_json_feed_raises(body):
    with pytest.raises(DiscoveryError):
        parse_feed(body)


def test_a_feed_that_is_html_raises():
    with pytest.raises(DiscoveryError):
        parse_feed(b"<!DOCTYPE html><html><head><title>Feed</title></head><body><p>moved</body></html>")


def test_xml_entities_are_not_expanded():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
      <urlset><url><loc>&b;</loc></url></urlset>"""
    try:
        _, entries = parse_sitemap(bomb)
    except DiscoveryError:
        return
    assert all("aaaa" not in loc for loc, _ in entries)


def test_dates():
    assert parse_date("Thu, 19 Nov 2026 23:30:00 -0200") == D(2026, 11, 20)
    assert parse_date("garbage") is None and parse_date(None) is None
    assert date_from_url("http://s.example/2026/11/18/slug/") == D(2026, 11, 18)
    assert date_from_url("http://s.example/2026/13/45/slug/") is None
    assert text_date("November 18, 2026") == D(2026, 11, 18) and text_date("Page 2 of 9") is None


@pytest.mark.parametrize("path, article", [
    ("/2026/11/20/short/", True), ("/posts/3100-some-story-slug/", True), ("/slug-of-the-story/5801217", True),
    ("/category/world/big-story-here/", True), ("/", False), ("/about/", False), ("/about.html", False),
    ("/category/world/", False), ("/tag/climate-change-policy/", False), ("/page/3/", False),
    ("/sitemaps/2026-11-20.xml", False), ("/world/", False),
])
def test_article_heuristic(path, article):
    assert looks_like_article(path) is article
    if not article and path != "/world/":
        assert is_non_article(path)


LISTING = """<html><head><link rel="next" href="/page/2/"></head><body>
<ul><li><a href="/posts/1-first-story-here/">First</a> <span class="x-date">November 20, 2026</span></li>
<li><a href="/posts/2-second-story-here/#comments">Second</a> <time datetime="2026-11-12">12th</time></li></ul>
<div class="entry"><h3><a href="/posts/3-third-story-here/?utm_source=x">Third</a></h3></div>
<a href="/tag/politics/">Politics</a> <a href="/about/">About</a> <a href="/page/2/">Older</a>
<a href="http://elsewhere.example/some-other-story/">x</a> <a href="mailto:a@b">m</a> <a href="javascript:void(0)">j</a>
</body></html>"""


def test_listing_page_links():
    response = HtmlResponse("http://127.0.0.1:9/", body=LISTING.encode(), encoding="utf-8")
    links = page_links(response, "127.0.0.1:9")
    assert links.articles == [("http://127.0.0.1:9/posts/1-first-story-here/", D(2026, 11, 20)),
                              ("http://127.0.0.1:9/posts/2-second-story-here/#comments", D(2026, 11, 12)),
                              ("http://127.0.0.1:9/posts/3-third-story-here/?utm_source=x", None)]
    assert links.next_pages == ["http://127.0.0.1:9/page/2/"]
    assert links.sections == ["http://127.0.0.1:9/tag/politics/"]
    assert links.offsite == ["http://elsewhere.example/some-other-story/"] and links.other_schemes == 2
    assert max(links.dates) == D(2026, 11, 20)


@pytest.mark.parametrize("url, key", [
    ("http://S.example:80/a/b/?utm_source=x&utm_medium=y&id=3#top", "http://s.example/a/b/?id=3"),
    ("https://s.example:443/a/?fbclid=abc", "https://s.example/a/"),
    ("http://s.example/x/index.html", "http://s.example/x/"),
    ("http://s.example/story?b=2&a=1", "http://s.example/story?a=1&b=2"),
    ("http://s.example/story?article=77", "http://s.example/story?article=77"),  # unknown params stay
])
def test_normalize(url, key):
    assert normalize(url) == key


def test_site_netloc():
    assert site_netloc("http://Example.com:80/x") == "example.com"
    assert site_netloc("https://example.com:8443/") == "example.com:8443"
    assert site_netloc("http://127.0.0.1:8001/") == "127.0.0.1:8001"


def test_seen_segments():
    data = encode_segment(["http://s/b", "http://s/a", "http://s/a"])
    assert decode_segment(data) == ["http://s/a", "http://s/b"]
    assert encode_segment(["http://s/a", "http://s/b"]) == data  # deterministic bytes
    keys = [seen_key("w", d) for d in ("2026-11-18", "2026-11-19", "2026-11-20")] + ["state/seen/site=w/junk"]
    assert segments_before(keys, "2026-11-20") == keys[:2]
    assert seen_key("w", D(2026, 11, 20)) == "state/seen/site=w/dt=2026-11-20.txt.gz"
