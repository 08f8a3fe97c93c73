"""Article metadata with the evidence that gave it: JSON-LD, meta tags, <time>, trafilatura."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urljoin, urlparse

import lxml.html

from extract.source import credited_source

_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ")
_EARLIEST = dt.datetime(1995, 1, 1, tzinfo=dt.timezone.utc)


def page_metadata(html: str, url: str, doc, crawl_date: dt.date | None) -> dict:
    """All metadata fields of a record (everything but the text)."""
    tree = _parse(html)
    ld = _json_ld_article(tree)
    meta = _meta_tags(tree)
    site_name = meta.get("og:site_name") or ld.get("publisher_name") or doc.sitename
    published, evidence = _pick_date(
        [("json-ld", ld.get("datePublished")), ("meta", meta.get("article:published_time")),
         ("time", _first_time(tree)), ("htmldate", doc.date)], crawl_date)
    modified, modified_evidence = _pick_date(
        [("json-ld", ld.get("dateModified")), ("meta", meta.get("article:modified_time"))], crawl_date)
    canonical = _canonical(tree, url) or meta.get("og:url")
    out = {
        "title": strip_site_suffix(ld.get("headline") or meta.get("og:title") or doc.title, site_name),
        "authors": ld.get("authors") or split_authors(doc.author),
        "published_at": published, "published_evidence": evidence,
        "modified_at": modified, "modified_evidence": modified_evidence,
        "language": _language(tree, doc),
        "site_name": site_name,
        "canonical_url": canonical,
        "description": meta.get("og:description") or meta.get("description") or doc.description,
        "tags": sorted(set(doc.tags or []) | set(doc.categories or [])),
        "image_url": meta.get("og:image") or doc.image,
    }
    out.update(credited_source(tree, url, canonical, ld))
    return out


def _parse(html: str):
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"))
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html></html>")


def _meta_tags(tree) -> dict:
    out = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or "").strip().lower()
        if key and node.get("content") and key not in out:
            out[key] = node.get("content").strip()
    return out


def _json_ld_article(tree) -> dict:
    """The first Article-like JSON-LD object, flattened to the fields we use."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content())
        except (ValueError, TypeError):
            continue
        for obj in _walk(data):
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.endswith("Article") for k in kinds):
                return _flatten_ld(obj)
    return {}


def _walk(data):
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk(value)
    elif isinstance(data, list):
        for value in data:
            yield from _walk(value)


def _flatten_ld(obj: dict) -> dict:
    authors = obj.get("author") or []
    authors = authors if isinstance(authors, list) else [authors]
    names = [a.get("name") if isinstance(a, dict) else a for a in authors]
    publisher = obj.get("publisher") if isinstance(obj.get("publisher"), dict) else {}
    return {
        "headline": obj.get("headline"), "datePublished": obj.get("datePublished"),
        "dateModified": obj.get("dateModified"), "authors": [n.strip() for n in names if isinstance(n, str) and n.strip()],
        "publisher_name": publisher.get("name"), "isBasedOn": obj.get("isBasedOn"),
        "sourceOrganization": obj.get("sourceOrganization"),
    }


def _first_time(tree) -> str | None:
    values = tree.xpath("//article//time/@datetime | //time[@itemprop='datePublished']/@datetime")
    return values[0] if values else None


def parse_timestamp(value: str | None) -> dt.datetime | None:
    """An aware UTC datetime from ISO 8601 text (a bare date means midnight UTC)."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)


def _pick_date(candidates, crawl_date: dt.date | None) -> tuple[str | None, str | None]:
    """First plausible date: not before 1995, not after the crawl day."""
    latest = None
    if crawl_date is not None:
        latest = dt.datetime.combine(crawl_date + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
    for evidence, value in candidates:
        when = parse_timestamp(value)
        if when and when >= _EARLIEST and (latest is None or when < latest):
            return when.strftime("%Y-%m-%dT%H:%M:%SZ"), evidence
    return None, None


def _canonical(tree, url: str) -> str | None:
    hrefs = tree.xpath("//link[@rel='canonical']/@href")
    return urljoin(url, hrefs[0].strip()) if hrefs and hrefs[0].strip() else None


def _language(tree, doc) -> str | None:
    lang = (tree.get("lang") or "").strip().lower()
    if re.match(r"^[a-z]{2,3}\b", lang):
        return lang[:2] if lang[2:3] in ("", "-", "_") else lang[:3]
    if doc.language:
        return doc.language
    import py3langid

    return py3langid.classify(doc.text[:2000])[0] if doc.text else None


def strip_site_suffix(title: str | None, site_name: str | None) -> str | None:
    """``"Headline | Site"`` -> ``"Headline"`` (also ``Site - Headline`` prefixes)."""
    if not title:
        return title
    title = " ".join(title.split())
    for sep in _TITLE_SEPARATORS:
        if sep not in title:
            continue
        head, tail = title.rsplit(sep, 1)
        if _is_site_label(tail, site_name):
            return head.strip()
        first, rest = title.split(sep, 1)
        if _is_site_label(first, site_name):
            return rest.strip()
    return title


def _is_site_label(part: str, site_name: str | None) -> bool:
    part = part.strip().casefold()
    if site_name and (part == site_name.casefold() or part in site_name.casefold()):
        return True
    return False


def split_authors(value: str | None) -> list[str]:
    """trafilatura joins authors with ``; ``: split them, drop empties."""
    if not value:
        return []
    return [name.strip() for name in re.split(r";|\band\b", value) if name.strip()]


def same_site(url_a: str | None, url_b: str | None) -> bool:
    """Whether two URLs are on the same host:port."""
    return bool(url_a and url_b) and urlparse(url_a).netloc == urlparse(url_b).netloc
