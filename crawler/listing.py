"""Read a listing page (homepage, section, archive, page N): article links, next pages,
section links and the dates it shows. Used only when a site has no sitemap or feed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from htmldate.extractors import try_date_expr

from crawler.discovery import date_from_url, looks_like_article, parse_date
from crawler.urls import is_http, site_netloc

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

    articles: list[str] = field(default_factory=list)
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
    for href in dict.fromkeys(response.css("a::attr(href)").getall()):
        _sort_link(out, response.urljoin(href.strip()), netloc, article_re, rel_next)
    out.next_pages = sorted(set(out.next_pages) | {u for u in rel_next if site_netloc(u) == netloc})
    out.dates = _page_dates(response, out.articles)
    return out


def _sort_link(out: PageLinks, url: str, netloc: str, article_re, rel_next: set) -> None:
    if not is_http(url):
        out.other_schemes += 1
        return
    path = urlsplit(url).path or "/"
    if site_netloc(url) != netloc:
        if looks_like_article(path, article_re):
            out.offsite.append(url)
    elif url in rel_next or _NEXT.search(url):
        out.next_pages.append(url)
    elif looks_like_article(path, article_re):
        out.articles.append(url)
    elif _is_section(path):
        out.sections.append(url)


def _is_section(path: str) -> bool:
    segments = [s for s in path.split("/") if s]
    return 0 < len(segments) <= MAX_SECTION_SEGMENTS and not _NOT_LISTING.search(path)


def _page_dates(response, articles: list[str]) -> list[dt.date]:
    """Dates shown on the page: ``<time datetime>``, date-like text in ``<time>`` or in elements
    whose class names a date ("November 18, 2026"), and dates in the article URLs."""
    dates = [parse_date(v) for v in response.css("time::attr(datetime)").getall()]
    texts = response.xpath("//time//text() | //*[contains(@class, 'date')]//text()").getall()
    dates += [text_date(t) for t in texts if 6 <= len(t.strip()) <= 60]
    dates += [date_from_url(u) for u in articles]
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
