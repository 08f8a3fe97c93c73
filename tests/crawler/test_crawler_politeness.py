"""Politeness on a tiny local site: the configured User-Agent, Retry-After and backoff waits,
robots.txt, redirects off the site, the date window, per-site limits."""

from __future__ import annotations

import pytest
import yaml

from crawltest_helpers import FAST, html_page, watched_crawl

UA = "crosspost-test/1.0 (+mailto:research@example.org)"
DATE = "2026-11-20"


def _page(body: str):
    return lambda n: (200, {}, html_page(body))


def _site_routes(site) -> None:
    other = site.other
    other.routes["/2026/11/20/elsewhere-story-here/"] = _page("<p>elsewhere</p>")
    links = ["/2026/11/20/limited-then-ok-story/", "/2026/11/20/unavailable-then-ok-story/",
             "/2026/11/20/redirects-to-another-site/", "/2026/11/19/plain-good-story/",
             "/2026/10/01/old-story-out-of-window/", "/private/2026/11/20/secret-story/",
             "mailto:desk@example.org", other.url + "2026/11/20/elsewhere-story-here/"]
    site.routes.update({
        "/robots.txt": lambda n: (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/": _page("".join(f'<a href="{u}">{u}</a> ' for u in links)),
        "/2026/11/20/limited-then-ok-story/": lambda n: (429, {"Retry-After": "2"}, b"slow down") if n == 1
        else (200, {}, html_page("<p>limited</p>")),
        "/2026/11/20/unavailable-then-ok-story/": lambda n: (503, {}, b"busy") if n == 1
        else (200, {}, html_page("<p>busy</p>")),
        "/2026/11/20/redirects-to-another-site/": lambda n: (
            302, {"Location": other.url + "2026/11/20/elsewhere-story-here/"}, b""),
        "/2026/11/19/plain-good-story/": _page("<p>good</p>"),
        "/2026/10/01/old-story-out-of-window/": _page("<p>old</p>"),
        "/private/2026/11/20/secret-story/": _page("<p>secret</p>"),
    })


def _sites_file(tmp_path, site, **extra) -> str:
    path = tmp_path / "sites.yaml"
    entry = {"name": "local", "url": site.url, "user_agent": UA, "lookback_days": 1, **extra}
    path.write_text(yaml.safe_dump({"sites": [entry]}))
    return str(path)


@pytest.fixture
def local_crawl(local_site, tmp_path):
    _site_routes(local_site)
    settings = {**FAST, "RETRY_BACKOFF_BASE": 0.5}
    crawl = watched_crawl(_sites_file(tmp_path, local_site), "local", DATE, tmp_path / "out", settings=settings)
    return local_site, crawl


def test_local_crawl(local_crawl):
    site, crawl = local_crawl
    report = crawl.report
    # Identifying User-Agent on every request, robots.txt included.
    assert {ua for _, ua, _ in site.hits} == {UA}
    # Retry-After: 2 waited at least 2 s; a 503 without it waited the backoff (0.5 s here).
    limited = site.times("/2026/11/20/limited-then-ok-story/")
    busy = site.times("/2026/11/20/unavailable-then-ok-story/")
    assert len(limited) == 2 and limited[1] - limited[0] >= 2.0
    assert len(busy) == 2 and busy[1] - busy[0] >= 0.5
    assert report["fetched"] == 3  # limited, busy and plain-good
    # A redirect to another site is refused and counted; the other site never sees a request.
    assert report["failed"] == {"offsite": 1, "robots": 1}
    assert site.other.hits == []
    assert report["skipped"]["offsite"] == 1 and report["skipped"]["scheme"] == 1
    # The window is the date and one day back.
    assert report["skipped"]["out_of_window"] == 1
    assert report["window"] == ["2026-11-19", DATE]
    assert not [p for p, _, _ in site.hits if p.startswith(("/private/", "/2026/10/"))]


def test_max_pages_caps_a_run(local_site, tmp_path):
    _site_routes(local_site)
    local_site.routes["/2026/11/20/limited-then-ok-story/"] = _page("<p>no wait this time</p>")
    crawl = watched_crawl(_sites_file(tmp_path, local_site, max_pages=1), "local", DATE, tmp_path / "out",
                          settings=FAST)
    assert crawl.report["requested"] == 1
    assert crawl.report["skipped"]["max_pages"] >= 3


def test_the_port_watcher_sees_an_enabled_telnet_console(local_site, tmp_path):
    # Positive control for the no-listening-port test: with the console switched back on,
    # the same watcher does see the child listen.
    local_site.routes["/"] = lambda n: (200, {}, html_page("<p>nothing</p>"))
    settings = {"TELNETCONSOLE_ENABLED": True, "EXTENSIONS": {"scrapy.extensions.telnet.TelnetConsole": 0}}
    crawl = watched_crawl(_sites_file(tmp_path, local_site), "local", DATE, tmp_path / "out", settings=settings)
    assert crawl.ports_seen
    assert crawl.report["listening_ports"]


def test_overrides_and_probed_feed(local_site, tmp_path):
    """An extra sitemap, a deny regex and an article pattern from the sites file; a feed found
    at a common path (/rss.xml) although the homepage links none."""
    base = local_site.url.rstrip("/")
    sitemap = "".join(f"<url><loc>{base}{p}</loc></url>" for p in
                      ("/news/2026/11/20/kept-story/", "/news/video/2026/11/20/denied-story/", "/shop/some-thing/"))
    rss = f"<rss><channel><item><link>{base}/news/from-the-feed-story/</link></item></channel></rss>"
    local_site.routes.update({
        "/": _page("<p>no links at all</p>"),
        "/extra-sitemap.xml": lambda n: (200, {"Content-Type": "application/xml"},
                                         f"<urlset>{sitemap}</urlset>".encode()),
        "/rss.xml": lambda n: (200, {"Content-Type": "application/rss+xml"}, rss.encode()),
        "/news/2026/11/20/kept-story/": _page("<p>kept</p>"),
        "/news/from-the-feed-story/": _page("<p>feed</p>"),
    })
    sites = _sites_file(tmp_path, local_site, sitemaps=["/extra-sitemap.xml"], deny=["/video/"],
                        article_pattern="^/news/")
    crawl = watched_crawl(sites, "local", DATE, tmp_path / "out", settings=FAST)
    report = crawl.report
    assert report["discovered"] == {"sitemap": 3, "feed": 1}
    assert report["skipped"]["filtered"] == 2  # the denied video and the /shop/ page
    assert report["fetched"] == 2 and report["failed"] == {}
    assert crawl.archived == {base + "/news/2026/11/20/kept-story/", base + "/news/from-the-feed-story/"}
