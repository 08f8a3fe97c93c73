"""Discovery files of the demo sites: robots.txt, sitemaps, news sitemaps, RSS and Atom.

Plain string building with XML escaping: the output must be byte-identical across runs,
and the shapes are simple enough that a serializer would only hide them.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from xml.sax.saxutils import escape

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def w3c(when: dt.datetime | dt.date) -> str:
    """W3C datetime (sitemaps, Atom, JSON-LD); naive datetimes are UTC."""
    if isinstance(when, dt.datetime):
        return when.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return when.isoformat()


def atom_time(when: dt.datetime) -> str:
    """RFC 3339 with a Z, the usual Atom spelling."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc822(when: dt.datetime) -> str:
    """RSS pubDate, e.g. ``Wed, 18 Nov 2026 09:30:00 GMT``."""
    return format_datetime(when.replace(tzinfo=dt.UTC), usegmt=True)


def robots(disallow: list[str], sitemaps: list[str] = (), agent: str = "*") -> str:
    """robots.txt with one user-agent group and optional Sitemap lines."""
    lines = [f"User-agent: {agent}"] + [f"Disallow: {p}" for p in disallow]
    lines += [""] + [f"Sitemap: {url}" for url in sitemaps] if sitemaps else []
    return "\n".join(lines) + "\n"


def urlset(entries: list[tuple[str, dt.datetime | None]]) -> str:
    """A sitemap ``<urlset>`` of (loc, lastmod) pairs."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for loc, lastmod in entries:
        mod = f"<lastmod>{w3c(lastmod)}</lastmod>" if lastmod else ""
        out.append(f"  <url><loc>{escape(loc)}</loc>{mod}</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def sitemap_index(entries: list[tuple[str, dt.datetime | None]]) -> str:
    """A ``<sitemapindex>`` pointing at child sitemaps."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for loc, lastmod in entries:
        mod = f"<lastmod>{w3c(lastmod)}</lastmod>" if lastmod else ""
        out.append(f"  <sitemap><loc>{escape(loc)}</loc>{mod}</sitemap>")
    out.append("</sitemapindex>")
    return "\n".join(out) + "\n"


def news_sitemap(publication: str, entries: list[tuple[str, dt.datetime, str]]) -> str:
    """A Google News sitemap of (loc, publication time, title)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">']
    for loc, when, title in entries:
        out += [
            "  <url>",
            f"    <loc>{escape(loc)}</loc>",
            "    <news:news>",
            "      <news:publication>",
            f"        <news:name>{escape(publication)}</news:name>",
            "        <news:language>en</news:language>",
            "      </news:publication>",
            f"      <news:publication_date>{w3c(when)}</news:publication_date>",
            f"      <news:title>{escape(title)}</news:title>",
            "    </news:news>",
            "  </url>",
        ]
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def rss(title: str, home: str, self_url: str, description: str,
        items: list[dict]) -> str:
    """RSS 2.0; each item has title, link, date, summary and authors."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/">',
           "<channel>",
           f"  <title>{escape(title)}</title>",
           f"  <link>{escape(home)}</link>",
           f'  <atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml"/>',
           f"  <description>{escape(description)}</description>",
           "  <language>en</language>"]
    if items:
        out.append(f"  <lastBuildDate>{rfc822(items[0]['date'])}</lastBuildDate>")
    for item in items:
        out += [
            "  <item>",
            f"    <title>{escape(item['title'])}</title>",
            f"    <link>{escape(item['link'])}</link>",
            f'    <guid isPermaLink="true">{escape(item["link"])}</guid>',
            f"    <pubDate>{rfc822(item['date'])}</pubDate>",
        ]
        out += [f"    <dc:creator>{escape(a)}</dc:creator>" for a in item.get("authors", ())]
        out += [f"    <category>{escape(item['section'])}</category>"] if item.get("section") else []
        out += [f"    <description>{escape(item['summary'])}</description>", "  </item>"]
    out += ["</channel>", "</rss>"]
    return "\n".join(out) + "\n"


def atom(title: str, home: str, self_url: str, entries: list[dict]) -> str:
    """Atom 1.0; each entry has title, link, published, updated, summary and authors."""
    updated = max((e["updated"] for e in entries), default=dt.datetime(2026, 1, 1))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
           f"  <title>{escape(title)}</title>",
           f'  <link rel="alternate" type="text/html" href="{escape(home)}"/>',
           f'  <link rel="self" type="application/atom+xml" href="{escape(self_url)}"/>',
           f"  <id>{escape(home)}</id>",
           f"  <updated>{atom_time(updated)}</updated>"]
    for e in entries:
        out += [
            "  <entry>",
            f"    <title>{escape(e['title'])}</title>",
            f'    <link rel="alternate" type="text/html" href="{escape(e["link"])}"/>',
            f"    <id>{escape(e['link'])}</id>",
            f"    <published>{atom_time(e['published'])}</published>",
            f"    <updated>{atom_time(e['updated'])}</updated>",
        ]
        out += [f"    <author><name>{escape(a)}</name></author>" for a in e.get("authors", ())]
        out += [f"    <summary>{escape(e['summary'])}</summary>", "  </entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"
