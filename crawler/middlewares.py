"""Downloader middleware that keeps every request on the site being crawled."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from crosspost.common.urls import is_http, site_netloc


class OffsiteRequest(IgnoreRequest):
    """A request left the site's host:port or used a non-http(s) scheme."""


class SiteBoundaryMiddleware:
    """Drop requests outside the spider's ``allowed_netlocs`` or not http(s).

    Scrapy's own offsite middleware (also on, via ``allowed_domains``) matches host
    names only; the demo and test webs put several sites on one host with different
    ports, so this one compares host *and* port. It runs for redirects too: Scrapy
    sends a redirected request through the downloader middlewares again.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        allowed = getattr(self.crawler.spider, "allowed_netlocs", None)
        if not is_http(request.url):
            self._refuse("scheme", request)
        if allowed and site_netloc(request.url) not in allowed:
            self._refuse("offsite", request)
        return None

    def _refuse(self, reason: str, request) -> None:
        self.crawler.stats.inc_value(f"crosspost/refused/{reason}")
        raise OffsiteRequest(f"{reason}: {request.url}")
