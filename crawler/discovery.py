"""Pure functions that find article URLs (and their dates) in sitemaps, feeds and pages."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
from email.utils import parsedate_to_datetime

from lxml import etree

from crawler.exceptions import CrawlerError


class DiscoveryError(CrawlerError):
    """A sitemap or feed could not be parsed (invalid XML, HTML instead of a feed...)."""


MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
_URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
_NON_ARTICLE = re.compile(
    r"/(tag|tags|category|categories|author|authors|page|search|about|contact|privacy|terms|feed|rss)(/|$)"
    r"|\.(xml|gz|rss|atom|json|jpg|jpeg|png|gif|svg|css|js|pdf|zip)$",
    re.I,
)


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
    """Links and dates of an RSS 2.0 or Atom feed."""
    root = _xml_root(body)
    name = _local(root.tag)
    if name == "rss" or name == "RDF":
        return [_rss_item(item) for item in root.iter() if _local(item.tag) == "item" and _rss_item(item)[0]]
    if name == "feed":
        return [_atom_entry(entry) for entry in root if _local(entry.tag) == "entry" and _atom_entry(entry)[0]]
    raise DiscoveryError(f"not a feed: root element <{name}>")


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
    """A date from ISO 8601 (``2026-11-18``, ``...T10:00:00+00:00``) or RFC 822 text, in UTC."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc)
    return parsed.date()


def date_from_url(url: str) -> dt.date | None:
    """The date in article URLs like ``/2026/11/18/slug/``, if any."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def is_non_article(path: str) -> bool:
    """Pages a sitemap may list that are surely not articles: the homepage, tag, category,
    author, about... pages and files (images, feeds, scripts)."""
    return path in ("", "/") or bool(_NON_ARTICLE.search(path))


def looks_like_article(path: str, pattern: re.Pattern | None = None) -> bool:
    """Heuristic for listing pages: slug-like paths that are not tags, pages or files."""
    if pattern is not None:
        return bool(pattern.search(path))
    if _NON_ARTICLE.search(path) or path in ("", "/"):
        return False
    last = [seg for seg in path.split("/") if seg][-1]
    return date_from_url(path) is not None or last.count("-") >= 2
