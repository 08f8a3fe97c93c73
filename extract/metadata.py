"""Article metadata from the shared tree: JSON-LD first, then meta tags, then the page itself."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

from crosspost.common.text import normal_key, repair_text
from extract import dates
from extract.authors import authors, unique

_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " » ", " : ")


def page_metadata(page, crawl_date: dt.date | None, listed_date: str | None, body_text: str) -> dict:
    """Every metadata field of a record except the credited source."""
    headings = page.headings
    site_name = _repaired(page.first_meta("og:site_name", "application-name") or page.ld.get("publisher_name"))
    title = title_and_site(_raw_title(page, headings), site_name, headings)[0]
    if not site_name:  # "Headline | Site": what is left of <title> beside the headline names the site
        site_name = title_and_site(page.title_element, None, [*headings, title or ""])[1]
    lang = language(page, body_text)
    pub, pub_evidence = dates.published(page, crawl_date, listed_date, lang)
    mod, mod_evidence = dates.modified(page, crawl_date)
    return {
        "title": title, "authors": authors(page), "site_name": site_name,
        "published_at": pub, "published_evidence": pub_evidence,
        "modified_at": mod, "modified_evidence": mod_evidence,
        "language": lang, "canonical_url": canonical(page),
        "description": _repaired(page.first_meta("og:description", "description", "twitter:description")
                                 or page.ld.get("description")),
        "tags": tags(page), "image_url": image(page),
    }


def _repaired(value: str | None) -> str | None:
    return repair_text(value) if value else value


def title_variants(page) -> list[str]:
    """Every title the page states (JSON-LD, meta, ``<title>``, headings): what the body must not repeat."""
    values = [page.ld.get("headline"), page.first_meta("og:title"), page.first_meta("twitter:title"),
              page.title_element, *page.title_headings]
    return [v for v in values if v]


def _raw_title(page, headings: list[str]) -> str | None:
    return (page.ld.get("headline") or page.first_meta("og:title", "twitter:title")
            or page.title_element or (headings[0] if headings else None))


def title_and_site(title: str | None, site_name: str | None, headings: list[str]) -> tuple[str | None, str | None]:
    """``("Headline", "Site")`` from ``"Headline | Site"`` (or ``"Site :: Headline"``).

    The site part is recognised by the known site name, or because the other part is
    the page's own heading (then the leftover part names the site).
    """
    if not title:
        return title, None
    title = repair_text(title)
    heads = {normal_key(h) for h in headings}
    for sep in _TITLE_SEPARATORS:
        for head, tail in _splits(title, sep):
            if _same(tail, site_name) or normal_key(head) in heads:
                return head, tail
    return title, None


def _splits(title: str, sep: str):
    """(kept part, dropped part) for a suffix split, then a prefix split."""
    if sep in title:
        head, tail = title.rsplit(sep, 1)
        yield head.strip(), tail.strip()
        first, rest = title.split(sep, 1)
        yield rest.strip(), first.strip()


def _same(part: str, site_name: str | None) -> bool:
    return bool(site_name) and normal_key(part) == normal_key(site_name)


def strip_site_suffix(title: str | None, site_name: str | None) -> str | None:
    """``"Headline | Site"`` -> ``"Headline"`` when ``Site`` is the site's name."""
    return title_and_site(title, site_name, [])[0]


def language(page, body_text: str) -> str | None:
    """Two-letter language: declared (``<html lang>``, meta, JSON-LD), else guessed from the text."""
    declared = (page.tree.get("lang") or page.first_meta("og:locale", "content-language", "language")
                or page.ld.get("inLanguage") or "")
    match = re.match(r"^\s*([a-zA-Z]{2,3})(?:$|[-_])", declared)
    if match:
        return match.group(1).lower()
    if not body_text:
        return None
    import py3langid

    return py3langid.classify(body_text[:2000])[0]


def canonical(page) -> str | None:
    """``rel=canonical`` (made absolute), else ``og:url``."""
    og_url = page.first_meta("og:url")
    return page.canonical_link or (urljoin(page.url, og_url) if og_url else None)


def tags(page) -> list[str]:
    """Tags and categories: JSON-LD keywords/section, article meta, keywords meta, rel=tag links."""
    values = list(page.ld.get("keywords") or [])
    values += page.meta.get("article:tag", []) + page.meta.get("article:section", [])
    values += (page.first_meta("news_keywords", "keywords") or "").split(",")
    values += page.tag_link_texts
    return unique(v for v in (" ".join(v.split()) for v in values) if v)[:30]


def image(page) -> str | None:
    """Lead image URL (absolute)."""
    src = page.first_meta("og:image", "og:image:url", "twitter:image", "twitter:image:src") or page.ld.get("image")
    src = src or page.links.get("image_src")
    return urljoin(page.url, src.strip()) if src else None
