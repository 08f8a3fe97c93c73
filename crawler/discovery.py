"""Pure functions that find article URLs (and their dates) in sitemaps, feeds and pages."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re

from lxml import etree

from crawler.exceptions import DiscoveryError
from crosspost.common.dates import parse_timestamp, url_date

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
_FILE = re.compile(r"\.(xml|gz|rss|atom|json|txt|jpe?g|png|gif|webp|svg|ico|css|js|pdf|zip|mp3|mp4)$", re.I)
# First path segments of listing and service pages (``/tag/x/``, ``/category/world/``, ``/about/``).
_LISTING_WORDS = frozenset(
    "tag tags category categories section sections topic topics theme themes author authors archive archives "
    "page search about about-us contact contact-us privacy terms legal feed rss atom login subscribe".split())


def maybe_gunzip(body: bytes) -> bytes:
    """Decompress a gzipped sitemap (by magic bytes), refusing more than 50 MB."""
    if body[:2] != b"\x1f\x8b":
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
        data = fh.read(MAX_SITEMAP_BYTES + 1)
    if len(data) > MAX_SITEMAP_BYTES:
        raise DiscoveryError("gzipped sitemap expands beyond 50 MB")
    return data


def _xml_root(body: bytes):
    try:
        return etree.fromstring(maybe_gunzip(body).strip(), parser=_PARSER)
    except (etree.XMLSyntaxError, OSError, EOFError) as exc:
        raise DiscoveryError(f"invalid XML: {exc}") from None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> tuple[str, list[tuple[str, dt.date | None]]]:
    """Return ``("index"|"urlset", [(loc, date)])``; news:publication_date beats lastmod."""
    root = _xml_root(body)
    kind = {"sitemapindex": "index", "urlset": "urlset"}.get(_local(root.tag))
    if kind is None:
        raise DiscoveryError(f"not a sitemap: root element <{_local(root.tag)}>")
    entries = []
    for node in root:
        fields = {_local(el.tag): (el.text or "").strip() for el in node.iter()}
        if fields.get("loc"):
            when = parse_date(fields.get("publication_date") or fields.get("lastmod"))
            entries.append((fields["loc"], when))
    return kind, entries


def parse_feed(body: bytes) -> list[tuple[str, dt.date | None]]:
    """Links and dates of an RSS 2.0, Atom or JSON Feed (a body that starts with ``{``)."""
    if maybe_gunzip(body).lstrip()[:1] == b"{":
        return parse_json_feed(body)
    root = _xml_root(body)
    name = _local(root.tag)
    if name == "rss" or name == "RDF":
        return [_rss_item(item) for item in root.iter() if _local(item.tag) == "item" and _rss_item(item)[0]]
    if name == "feed":
        return [_atom_entry(entry) for entry in root if _local(entry.tag) == "entry" and _atom_entry(entry)[0]]
    raise DiscoveryError(f"not a feed: root element <{name}>")


def parse_json_feed(body: bytes) -> list[tuple[str, dt.date | None]]:
    """Links and dates of a JSON Feed (https://jsonfeed.org/version/1.1): each item's ``url``
    and ``date_published`` (else ``date_modified``); items without a ``url`` are skipped."""
    try:
        feed = json.loads(maybe_gunzip(body))
    except (ValueError, OSError, EOFError, RecursionError) as exc:  # RecursionError: hostile nesting
        raise DiscoveryError(f"invalid JSON feed: {str(exc)[:200]}") from None
    if not (isinstance(feed, dict) and "jsonfeed.org/version/" in str(feed.get("version"))
            and isinstance(feed.get("items"), list)):
        raise DiscoveryError("not a JSON feed: no jsonfeed.org version or no items list")
    items = [item for item in feed["items"] if isinstance(item, dict) and isinstance(item.get("url"), str)]
    return [(item["url"], parse_date(_str(item.get("date_published")) or _str(item.get("date_modified"))))
            for item in items if item["url"]]


def _str(value) -> str | None:
    return value if isinstance(value, str) else None


def _rss_item(item):
    fields = {_local(el.tag): (el.text or "").strip() for el in item}
    return fields.get("link", ""), parse_date(fields.get("pubDate") or fields.get("date"))


def _atom_entry(entry):
    link = ""
    for el in entry:
        if _local(el.tag) == "link" and el.get("rel", "alternate") == "alternate":
            link = el.get("href", "")
            break
    fields = {_local(el.tag): (el.text or "").strip() for el in entry}
    return link, parse_date(fields.get("published") or fields.get("updated"))


def parse_date(value: str | None) -> dt.date | None:
    """The UTC day of a sitemap/feed date (ISO 8601, RFC 822 or written out), if readable."""
    parsed = parse_timestamp(value)
    return parsed.date() if parsed else None


def date_from_url(url: str) -> dt.date | None:
    """The date in article URLs like ``/2026/11/18/slug/``, if any."""
    return url_date(url)


def is_non_article(path: str) -> bool:
    """Pages that are surely not articles: the homepage, tag/category/section/author pages
    (``/tag/x/``, but not ``/category/world/some-story-slug/``), pagination, about/contact
    pages and files (images, feeds, scripts)."""
    segments = [s.lower() for s in path.split("/") if s]
    if not segments or _FILE.search(path):
        return True
    if "page" in segments[:-1] and segments[-1].isdigit():
        return True
    if segments[0] in _LISTING_WORDS and len(segments) <= 2:
        return True
    return segments[-1].split(".")[0] in _LISTING_WORDS


def looks_like_article(path: str, pattern: re.Pattern | None = None) -> bool:
    """Heuristic for links on listing pages: a date in the path or a slug-like segment
    (two or more hyphens), and not a listing, service page or file. ``pattern``, when
    configured for the site, decides alone."""
    if pattern is not None:
        return bool(pattern.search(path))
    if is_non_article(path):
        return False
    return date_from_url(path) is not None or any(seg.count("-") >= 2 for seg in path.split("/"))
