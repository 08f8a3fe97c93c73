"""One spider for every site: discover article URLs from the site itself, archive them.

Discovery order: robots.txt ``Sitemap:`` lines, ``/sitemap.xml`` and ``/sitemap_index.xml``,
configured sitemaps and feeds, RSS/Atom feeds linked from the homepage (or, when it links
none, at common feed paths); only when none of these lists an article does the spider fall
back to walking listing pages (sections, archives, pagination) from the homepage.

Every response the spider reads is archived (WARC) before it is parsed; article pages are
archived as raw bytes and never decoded here (the extract stage does that).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin, urlparse

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import TextResponse
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.candidates import Candidates
from crawler.discovery import (
    MAX_SITEMAP_BYTES,
    DiscoveryError,
    date_from_url,
    is_non_article,
    parse_feed,
    parse_sitemap,
)
from crawler.failures import classify_failure
from crawler.fetch_count import FetchCount
from crawler.listing import page_links
from crawler.patterns import compile_pattern
from crawler.report import CrawlReport, summary_line
from crawler.safety import listening_ports
from crawler.sites import get_site
from crawler.urlfiles import read_url_file, write_url_file
from crosspost.common.urls import is_http, normalize, site_netloc

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_PROBE_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml")
_PROBE_FEEDS = ("/feed/", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/rss/")
# A probed path the site does not have: not a failure.
_ABSENT = ("http_404", "http_410")


class SiteSpider(scrapy.Spider):
    """Crawl one configured site for one date window and emit every response to archive.

    Arguments (``-a``): ``site``, ``sites_file``, ``date`` (YYYY-MM-DD), ``report`` (JSON path),
    ``lookback`` (days), ``seen`` (file of normalised URLs archived before: skipped),
    ``archived`` (file to write the normalised URLs archived by this run to), ``fetch_count``
    (file the running count of articles fetched is written to, for the parent's progress line).
    """

    name = "site"

    def __init__(self, site: str, sites_file: str, date: str, report: str = "", lookback: str = "",
                 seen: str = "", archived: str = "", fetch_count: str = "", **kw):
        super().__init__(**kw)
        self.site = get_site(sites_file, site)
        self.date = dt.date.fromisoformat(date)
        days = int(lookback) if lookback != "" else self.site.lookback_days
        self.window = (self.date - dt.timedelta(days=days), self.date)
        self.report_path, self.archived_path = report, archived
        self.netloc = site_netloc(self.site.url)
        self.allowed_domains = [urlparse(self.site.url).hostname]
        self.allowed_netlocs = {self.netloc}
        # RE2: a hostile URL cannot make a site's pattern backtrack for minutes.
        self.allow = [compile_pattern(p) for p in self.site.allow]
        self.deny = [compile_pattern(p) for p in self.site.deny]
        self.article_re = compile_pattern(self.site.article_pattern) if self.site.article_pattern else None
        self.seen_before = read_url_file(seen) if seen else set()
        self.queued: set[str] = set()  # normalised article and listing URLs decided in this run
        self.candidates = Candidates(self.window)  # article URLs listed, not decided yet
        self.variants: set[str] = set()  # raw URLs that normalised onto an already-queued one
        self.archived: set[str] = set()
        self.report = CrawlReport(self.site.name, self.date, self.window)
        self.fetch_count = FetchCount(fetch_count)
        self.homepage = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        crawler.signals.connect(spider.on_item_error, signal=signals.item_error)
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
        if kind == "sitemap":
            meta["download_maxsize"] = MAX_SITEMAP_BYTES  # sitemaps may be 50 MB (sitemaps.org)
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    # -- callbacks: each first yields the response for the WARC, then reads it -------

    def parse_robots(self, response):
        yield self._archive(response)
        text = self._text(response)
        for url in sitemap_urls_from_robots(text or "", base_url=response.url):
            yield from self._sitemap_request(url)

    def parse_sitemap(self, response):
        yield self._archive(response)
        if self._soft_absent(response):
            return
        try:
            kind, entries = parse_sitemap(response.body)
        except DiscoveryError as exc:
            self._fail("bad_sitemap", response.url, exc)
            return
        for loc, when in entries:
            url = urljoin(response.url, loc)
            if kind == "urlset":
                self.consider(url, when, "sitemap")
            elif when is not None and when < self.window[0]:
                # A child sitemap last changed before the window lists nothing new.
                self.report.skipped["old_sitemap"] += 1
            else:
                yield from self._sitemap_request(url)

    def _sitemap_request(self, url: str):
        if site_netloc(url) == self.netloc:
            yield self._request(url, self.parse_sitemap, "sitemap")
        else:
            self.report.skipped["offsite_sitemap"] += 1

    def parse_feed(self, response):
        yield self._archive(response)
        if self._soft_absent(response):
            return
        try:
            entries = parse_feed(response.body)
        except DiscoveryError as exc:
            self._fail("bad_feed", response.url, exc)
            return
        for link, when in entries:
            self.consider(urljoin(response.url, link), when, "feed")

    def parse_home(self, response):
        yield self._archive(response)
        if self._text(response) is None:
            return
        self.homepage = response  # read once sitemaps and feeds are done: see on_idle
        feeds = [response.urljoin(link.attrib["href"]) for link in response.xpath("//link[@href]")
                 if "alternate" in (link.attrib.get("rel") or "").lower().split()
                 and (link.attrib.get("type") or "").lower() in _FEED_TYPES]
        for url in feeds:
            yield self._request(url, self.parse_feed, "feed")
        if not feeds and not self.site.feeds:
            for path in _PROBE_FEEDS:
                yield self._request(urljoin(self.site.url, path), self.parse_feed, "feed", probe=True)

    def parse_listing(self, response):
        yield self._archive(response)
        if self._text(response) is not None:
            yield from self._walk_listing(response, response.meta.get("listing_depth", 0))

    def parse_article(self, response):
        yield self._archive(response)
        self.report.counts["fetched"] += 1
        self.fetch_count.update(self.report.counts["fetched"])
        self.archived.update((response.meta.get("key") or normalize(response.url), normalize(response.url)))

    # -- discovery bookkeeping -------------------------------------------------------

    def consider(self, url: str, when: dt.date | None, source: str) -> None:
        """Hold an article URL's listing until discovery is done (see ``crawler.candidates``);
        a URL already decided only counts as a variant spelling."""
        key = normalize(url)
        if key in self.queued:
            if url != key and url not in self.variants:
                self.variants.add(url)
                self.report.skipped["url_variant"] += 1
            return
        self.candidates.add(key, url, when, source)

    def _decide_candidates(self):
        """Requests for the held article URLs, each decided once on all its listings."""
        for key, candidate in self.candidates.take():
            self.queued.add(key)
            spellings = candidate.spellings()
            self.variants.update(spellings)
            self.report.skipped["url_variant"] += len(spellings) - 1
            source = candidate.source()
            self.report.discovered[source] += 1
            in_window, when = candidate.date_in(self.window, date_from_url(key))
            skip = self._skip_reason(key, in_window)
            if skip:
                self.report.skipped[skip] += 1
                continue
            self.report.counts["requested"] += 1
            yield self._request(key, self.parse_article, "article", key=key, source=source,
                                listed_date=when.isoformat() if when else None)

    def _skip_reason(self, key: str, in_window: bool) -> str | None:
        """Why an article URL is not fetched (None: fetch it); counts ``in_window`` on the way."""
        if not is_http(key) or site_netloc(key) != self.netloc:
            return "offsite"
        if not self._allowed(key):
            return "filtered"
        if self.article_re is None and is_non_article(urlparse(key).path):
            return "not_article"
        if not in_window:
            return "out_of_window"
        self.report.counts["in_window"] += 1
        if key in self.seen_before:
            return "seen"
        if self.report.counts["requested"] >= self.site.max_pages:
            return "max_pages"
        return None

    def _allowed(self, url: str) -> bool:
        if self.deny and any(p.search(url) for p in self.deny):
            return False
        if self.allow and not any(p.search(url) for p in self.allow):
            return False
        return self.article_re is None or bool(self.article_re.search(urlparse(url).path))

    def _walk_listing(self, response, depth: int, links=None):
        """Article links of a listing page, then its next pages and (up to the depth) sections.
        ``links`` given: the page's article links were considered already (the homepage)."""
        self.report.counts["listing_pages"] += 1
        if links is None:
            links = page_links(response, self.netloc, self.article_re)
            self._consider_links(links, "listing")
        if links.dates and max(links.dates) < self.window[0]:
            return  # the whole page is older than the window: stop paging here
        follow = [(u, depth) for u in links.next_pages]
        if depth < self.site.listing_depth:
            follow += [(u, depth + 1) for u in links.sections]
        for url, next_depth in follow:
            request = self._listing_request(url, next_depth)
            if request is not None:
                yield request

    def _consider_links(self, links, source: str):
        """Article links of a page; off-site and non-http(s) links are only counted."""
        self.report.skipped["offsite"] += len(links.offsite)
        self.report.skipped["scheme"] += links.other_schemes
        for url, when in links.articles:
            self.consider(url, when, source)

    def _listing_request(self, url: str, depth: int):
        key = normalize(url)
        if key in self.queued or key in self.candidates.pending:
            return None
        self.queued.add(key)
        if self.report.counts["listing_requested"] >= self.site.max_listing_pages:
            self.report.skipped["max_listing_pages"] += 1
            return None
        self.report.counts["listing_requested"] += 1
        return self._request(key, self.parse_listing, "listing", listing_depth=depth)

    def on_idle(self, spider=None):
        """Discovery has nothing in flight: decide the article URLs listed so far (every sitemap
        and feed has been read).  The first time, also take the homepage's article links (the
        newest may not be listed yet) and, if sitemaps and feeds listed no article at all, walk
        the listing pages (sections, archives, pagination) from the homepage."""
        requests = self._homepage_requests()
        requests += list(self._decide_candidates())
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def _homepage_requests(self) -> list:
        if self.homepage is None:
            return []
        home, self.homepage = self.homepage, None
        links = page_links(home, self.netloc, self.article_re)
        self._consider_links(links, "home")
        if self.candidates.sources & {"sitemap", "feed"}:
            return []
        self.queued.add(normalize(home.url))
        return list(self._walk_listing(home, 0, links=links))

    # -- archive, failures and the report --------------------------------------------

    def _archive(self, response):
        self.report.counts["bytes"] += len(response.body)
        return {"response": response, "kind": response.meta.get("kind"), "site": self.site.name}

    def _text(self, response) -> str | None:
        """The decoded text of a page the spider must read; None (counted) if it is not text."""
        if isinstance(response, TextResponse):
            try:
                return response.text
            except (UnicodeError, LookupError) as exc:
                self._fail("decode_error", response.url, exc)
                return None
        self._fail("decode_error", response.url, f"not a text response ({type(response).__name__})")
        return None

    def _soft_absent(self, response) -> bool:
        # A probed sitemap/feed path answered with an HTML page (a "soft 404"): the site has none.
        content_type = response.headers.get("Content-Type", b"").lower()
        return bool(response.meta.get("probe")) and b"html" in content_type

    def on_error(self, failure):
        request = failure.request
        reason = classify_failure(failure)
        if request.meta.get("probe") and reason in _ABSENT:
            return
        self._fail(reason, request.url, failure.value)

    def on_dropped(self, request, spider=None):
        """The scheduler dropped a duplicate: for a redirect back to a URL already in its
        own chain, that is a redirect loop."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            self._fail("redirect_loop", chain[0], f"redirect loop back to {request.url}")
        elif request.meta.get("kind") == "article":
            self.report.skipped["duplicate_request"] += 1
            self.logger.info("duplicate article request %s (redirected from %s)", request.url, chain)

    def on_spider_error(self, failure, response, spider=None):
        self.report.failed["spider_error"] += 1

    def on_item_error(self, item, response, spider=None, failure=None):
        self.report.failed["archive_error"] += 1

    def _fail(self, reason, url, error):
        self.report.failed[reason] += 1
        self.logger.warning("failed %s (%s): %s", url, reason, str(error)[:200])

    def closed(self, reason):
        """Write the archived-URL list and the crawl report (JSON) next to the WARC."""
        listening = listening_ports()
        if listening:
            self.logger.error("the crawl process is listening on TCP %s", listening)
        self.fetch_count.update(self.report.counts["fetched"], force=True)
        if self.archived_path:
            write_url_file(self.archived_path, self.archived)
        if self.report_path:
            report = self.report.write(self.report_path, stats=self.crawler.stats.get_stats(),
                                       finish_reason=reason, listening=listening)
            self.logger.info("crawl report: %s", summary_line(report))
