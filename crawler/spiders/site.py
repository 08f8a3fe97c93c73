"""One spider for every site: discover article URLs from the site itself, archive them.

Discovery order: robots.txt ``Sitemap:`` lines, ``/sitemap.xml`` and ``/sitemap_index.xml``,
configured sitemaps and feeds, RSS/Atom feeds linked from the homepage; only when none of
these lists an article does the spider fall back to walking listing pages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections import Counter
from urllib.parse import urljoin, urlparse

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.discovery import DiscoveryError, date_from_url, looks_like_article, parse_feed, parse_sitemap
from crawler.failures import classify_failure
from crawler.sites import get_site
from crawler.urls import normalize

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_PROBE_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml")


class SiteSpider(scrapy.Spider):
    """Crawl one configured site for one date window and emit every response to archive."""

    name = "site"

    def __init__(self, site: str, sites_file: str, date: str, report: str = "", lookback: str = "", **kw):
        super().__init__(**kw)
        self.site = get_site(sites_file, site)
        self.date = dt.date.fromisoformat(date)
        days = int(lookback) if lookback != "" else self.site.lookback_days
        self.window = (self.date - dt.timedelta(days=days), self.date)
        self.report_path = report
        self.allowed_domains = [urlparse(self.site.url).hostname]
        self.allowed_netlocs = {self.site.netloc}
        self.allow = [re.compile(p) for p in self.site.allow]
        self.deny = [re.compile(p) for p in self.site.deny]
        self.article_re = re.compile(self.site.article_pattern) if self.site.article_pattern else None
        self.seen: set[str] = set()
        self.counts: Counter = Counter()
        self.failures: Counter = Counter()
        self.listing_started = False
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    async def start(self):
        base = self.site.url
        yield self._request(urljoin(base, "/robots.txt"), self.parse_robots, "robots", probe=True)
        for url in self.site.sitemaps:
            yield self._request(urljoin(base, url), self.parse_sitemap, "sitemap")
        for path in _PROBE_SITEMAPS:
            yield self._request(urljoin(base, path), self.parse_sitemap, "sitemap", probe=True)
        for url in self.site.feeds:
            yield self._request(urljoin(base, url), self.parse_feed, "feed")
        yield self._request(base, self.parse_home, "home")

    def _request(self, url, callback, kind, probe=False, **meta):
        meta.update(kind=kind, probe=probe)
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    # -- callbacks: each first yields the response for the WARC, then reads it -------

    def parse_robots(self, response):
        yield self._archive(response)
        for url in sitemap_urls_from_robots(response.text, base_url=response.url):
            yield self._request(url, self.parse_sitemap, "sitemap")

    def parse_sitemap(self, response):
        yield self._archive(response)
        try:
            kind, entries = parse_sitemap(response.body)
        except DiscoveryError as exc:
            self._fail(response.meta, "bad_sitemap", response.url, exc)
            return
        for loc, when in entries:
            if kind == "index":
                yield self._request(urljoin(response.url, loc), self.parse_sitemap, "sitemap")
            else:
                yield from self.consider(urljoin(response.url, loc), when, "sitemap")

    def parse_feed(self, response):
        yield self._archive(response)
        try:
            entries = parse_feed(response.body)
        except DiscoveryError as exc:
            self._fail(response.meta, "bad_feed", response.url, exc)
            return
        for link, when in entries:
            yield from self.consider(urljoin(response.url, link), when, "feed")

    def parse_home(self, response):
        yield self._archive(response)
        self.homepage = response
        for link in response.xpath("//link[@rel='alternate']"):
            if (link.attrib.get("type") or "").lower() in _FEED_TYPES and link.attrib.get("href"):
                yield self._request(response.urljoin(link.attrib["href"]), self.parse_feed, "feed")

    def parse_listing(self, response):
        yield self._archive(response)
        depth = response.meta.get("depth_listing", 0)
        dates = [d for d in (self._listing_dates(response)) if d]
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlparse(url).netloc == self.site.netloc and looks_like_article(urlparse(url).path, self.article_re):
                yield from self.consider(url, date_from_url(url), "listing")
        if dates and max(dates) < self.window[0]:
            return  # the whole page is older than the window: stop paging
        for url in self._next_listings(response):
            if depth < self.site.listing_depth * 10:
                yield self._request(url, self.parse_listing, "listing", depth_listing=depth + 1)

    def parse_article(self, response):
        yield self._archive(response)
        self.counts["fetched"] += 1

    # -- discovery bookkeeping -------------------------------------------------------

    def consider(self, url: str, when: dt.date | None, source: str):
        """Queue an article URL once, if it is on-site, allowed and in the date window."""
        key = normalize(url)
        if key in self.seen:
            return
        self.seen.add(key)
        self.counts[f"discovered/{source}"] += 1
        if not self._allowed(key):
            self.counts["skipped/filtered"] += 1
            return
        if when is not None and not (self.window[0] <= when <= self.window[1]):
            self.counts["skipped/out_of_window"] += 1
            return
        if self.counts["in_window"] >= self.site.max_pages:
            self.counts["skipped/max_pages"] += 1
            return
        self.counts["in_window"] += 1
        yield self._request(key, self.parse_article, "article", listed_date=when and when.isoformat(), source=source)

    def _allowed(self, url: str) -> bool:
        path = urlparse(url).path
        if urlparse(url).netloc != self.site.netloc:
            return False
        if self.deny and any(p.search(url) for p in self.deny):
            return False
        if self.allow and not any(p.search(url) for p in self.allow):
            return False
        return self.article_re is None or bool(self.article_re.search(path))

    def _listing_dates(self, response):
        from crawler.discovery import parse_date

        return [parse_date(v) for v in response.css("time::attr(datetime)").getall()]

    def _next_listings(self, response):
        hrefs = response.xpath("//link[@rel='next']/@href | //a[@rel='next']/@href").getall()
        hrefs += [h for h in response.css("a::attr(href)").getall() if re.search(r"/page/\d+/?$", h)]
        return [response.urljoin(h) for h in dict.fromkeys(hrefs)]

    def on_idle(self, spider):
        """Fall back to listing pages when sitemaps and feeds listed no article."""
        discovered = self.counts["discovered/sitemap"] + self.counts["discovered/feed"]
        if discovered or self.listing_started or not hasattr(self, "homepage"):
            return
        self.listing_started = True
        request = self._request(self.site.url, self.parse_listing, "listing", depth_listing=0)
        request.dont_filter = True
        self.crawler.engine.crawl(request)
        raise DontCloseSpider

    # -- archive, failures and the report --------------------------------------------

    def _archive(self, response):
        self.counts["bytes"] += len(response.body)
        return {"response": response, "kind": response.meta.get("kind"), "site": self.site.name}

    def on_error(self, failure):
        request = failure.request
        reason = classify_failure(failure)
        if request.meta.get("probe") and reason in ("http_404", "http_410"):
            return  # a probed path that the site simply does not have
        self._fail(request.meta, reason, request.url, failure.value)

    def _fail(self, meta, reason, url, error):
        self.failures[reason] += 1
        self.logger.warning("failed %s (%s): %s", url, reason, str(error)[:200])

    def closed(self, reason):
        """Write the crawl report (JSON) next to where the WARC goes."""
        if not self.report_path:
            return
        report = {
            "site": self.site.name,
            "date": self.date.isoformat(),
            "window": [d.isoformat() for d in self.window],
            "discovered": {k.split("/", 1)[1]: v for k, v in self.counts.items() if k.startswith("discovered/")},
            "in_window": self.counts["in_window"],
            "fetched": self.counts["fetched"],
            "skipped": {k.split("/", 1)[1]: v for k, v in self.counts.items() if k.startswith("skipped/")},
            "failed": dict(sorted(self.failures.items())),
            "bytes": self.counts["bytes"],
            "duration_s": round(time.monotonic() - self.started, 3),
            "finish_reason": reason,
        }
        with open(self.report_path, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2, sort_keys=True)
