"""What a page credits as its source: attribution lines, cross-domain canonical, JSON-LD."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

_ATTRIBUTION = re.compile(
    r"(the original source of this article is|originally published (?:on|at|in|by)|first published (?:on|at|in|by)"
    r"|republished from|reprinted from|this article was originally published (?:on|at|in|by)|^source:)",
    re.I,
)


def credited_source(tree, url: str, canonical: str | None, ld: dict) -> dict:
    """``credited_source_name``/``_url``/``_evidence`` from the strongest evidence found."""
    for finder in (_from_attribution_text, _from_json_ld, _from_canonical):
        found = finder(tree, url, canonical, ld)
        if found:
            return found
    return {"credited_source_name": None, "credited_source_url": None, "credited_source_evidence": None}


def _from_attribution_text(tree, url, canonical, ld):
    for node in tree.xpath("//p | //div[not(.//p) and not(.//div)] | //em | //small | //span[not(.//span)]"):
        text = " ".join(node.text_content().split())
        match = _ATTRIBUTION.search(text)
        if not match or len(text) > 400:
            continue
        link = _first_offsite_link(node, url)
        name = _source_name(text[match.end():]) or (urlparse(link).netloc if link else None)
        if link or name:
            return _found(name, link, "attribution_text")
    return None


def _first_offsite_link(node, url):
    for href in node.xpath(".//a/@href"):
        full = urljoin(url, href.strip())
        if urlparse(full).scheme in ("http", "https") and urlparse(full).netloc != urlparse(url).netloc:
            return full
    return None


def _source_name(rest: str) -> str | None:
    rest = re.sub(r"^(?:the\s+)?", "", rest.strip(" :.,"), flags=re.I)
    name = re.split(r"\s+(?:under|on|at|in|by|and)\s+|[.,;(]", rest, maxsplit=1)[0].strip()
    return name[:80] or None


def _from_json_ld(tree, url, canonical, ld):
    based = ld.get("isBasedOn")
    if isinstance(based, dict):
        based = based.get("url") or based.get("@id")
    if isinstance(based, str) and based:
        return _found(None, urljoin(url, based), "json-ld:isBasedOn")
    org = ld.get("sourceOrganization")
    if isinstance(org, dict) and org.get("name"):
        return _found(org.get("name"), org.get("url"), "json-ld:sourceOrganization")
    return None


def _from_canonical(tree, url, canonical, ld):
    if canonical and urlparse(canonical).netloc and urlparse(canonical).netloc != urlparse(url).netloc:
        return _found(None, canonical, "canonical")
    return None


def _found(name, link, evidence):
    return {"credited_source_name": name, "credited_source_url": link, "credited_source_evidence": evidence}
