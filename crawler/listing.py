"""Read a listing page (homepage, section, archive, page N): article links, next pages,
section links and the dates it shows. Used only when a site has no sitemap or feed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from htmldate.extractors import try_date_expr

from crawler.discovery import date_from_url, looks_like_article, parse_date
from crosspost.common.urls import is_http, site_netloc

_NEXT = re.compile(r"/page/\d+/?$|[?&](page|p|pg)=\d+$", re.I)
_NOT_LISTING = re.compile(
    r"/(about|contact|privacy|terms|legal|imprint|impressum|login|logout|signin|signup|register|subscribe|"
    r"account|cart|search|feed|rss|atom|wp-admin|wp-login|cdn-cgi|static|assets|media|images?)(/|$|\.)"
    r"|\.(xml|gz|rss|atom|json|txt|jpe?g|png|gif|webp|svg|ico|css|js|pdf|zip|mp3|mp4)$",
    re.I,
)
# Bounds for dates read from text; wide on purpose (library code never reads the clock).
_MIN_DATE, _MAX_DATE = dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1)
MAX_SECTION_SEGMENTS = 3  # /section/, /category/world/, /archive/2026/11/


@dataclass
class PageLinks:
    """What a listing page offers the crawler."""

    articles: list[tuple[str, dt.date | None]] = field(default_factory=list)  # (url, date shown)
    next_pages: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)  # article-looking links to other sites
    other_schemes: int = 0  # mailto:, javascript:, ftp:, tel: ... links (never followed)
    dates: list[dt.date] = field(default_factory=list)


def page_links(response, netloc: str, article_re: re.Pattern | None = None) -> PageLinks:
    """Sort the links of an HTML ``response`` (Scrapy TextResponse) for a site at ``netloc``."""
    out = PageLinks()
    rel_next = {response.urljoin(h) for h in response.xpath(
        "//link[contains(concat(' ', @rel, ' '), ' next ')]/@href"
        " | //a[contains(concat(' ', @rel, ' '), ' next ')]/@href").getall()}
    anchors: dict = {}
    for a in response.xpath("//a[@href]"):
        anchors.setdefault(response.urljoin(a.attrib["href"].strip()), a)
    kinds = {url: _kind(url, netloc, article_re, rel_next) for url in anchors}
    articles = {url for url, kind in kinds.items() if kind == "article"}
    for url, kind in kinds.items():
        if kind == "article":
            out.articles.append((url, date_from_url(url) or _entry_date(anchors[url], response, articles)))
        elif kind == "scheme":
            out.other_schemes += 1
        elif kind:
            getattr(out, kind).append(url)
    out.next_pages = sorted(set(out.next_pages) | {u for u in rel_next if site_netloc(u) == netloc})
    out.dates = _page_dates(response, out.articles)
    return out


def _kind(url: str, netloc: str, article_re, rel_next: set) -> str | None:
    """``article``, ``next_pages``, ``sections``, ``offsite``, ``scheme`` or None (ignored)."""
    if not is_http(url):
        return "scheme"
    path = urlsplit(url).path or "/"
    if site_netloc(url) != netloc:
        return "offsite" if looks_like_article(path, article_re) else None
    if url in rel_next or _NEXT.search(url):
        return "next_pages"
    if looks_like_article(path, article_re):
        return "article"
    return "sections" if _is_section(path) else None


def _entry_date(anchor, response, articles: set[str]) -> dt.date | None:
    """The date shown in the link's own entry (``<li>``, ``<article>``, ``<div class=entry>``):
    the nearest ancestor, up to 4 levels up, that holds no other article link."""
    node = anchor
    for _ in range(4):
        parents = node.xpath("..")
        if not parents:
            return None
        node = parents[0]
        hrefs = {response.urljoin(h.strip()) for h in node.xpath(".//a/@href").getall()}
        if len(hrefs & articles) > 1:
            return None  # reached a list of several entries
        for value in node.xpath(_DATE_XPATH).getall():
            found = text_date(value) if len(value.strip()) <= 60 else None
            if found:
                return found
    return None


_DATE_XPATH = (".//time/@datetime | .//time//text() | .//*[contains(@class, 'date')]//text()"
               " | .//*[@itemprop='datePublished']/@content")


def _is_section(path: str) -> bool:
    segments = [s for s in path.split("/") if s]
    return 0 < len(segments) <= MAX_SECTION_SEGMENTS and not _NOT_LISTING.search(path)


def _page_dates(response, articles: list[tuple[str, dt.date | None]]) -> list[dt.date]:
    """Dates shown on the page: of its article entries, in ``<time datetime>`` and in text
    of ``<time>`` or of elements whose class names a date ("November 18, 2026")."""
    dates = [when for _, when in articles]
    dates += [parse_date(v) for v in response.css("time::attr(datetime)").getall()]
    texts = response.xpath("//time//text() | //*[contains(@class, 'date')]//text()").getall()
    dates += [text_date(t) for t in texts if 6 <= len(t.strip()) <= 60]
    return [d for d in dates if d is not None]


def text_date(value: str) -> dt.date | None:
    """A date written out in text (``November 18, 2026``, ``18.11.2026``...), via htmldate."""
    found = parse_date(value)
    if found is not None:
        return found
    try:
        iso = try_date_expr(value, "%Y-%m-%d", True, _MIN_DATE, _MAX_DATE)
    except (ValueError, TypeError, OverflowError):
        return None
    return dt.date.fromisoformat(iso) if iso else None
