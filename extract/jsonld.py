"""The Article-like object of a page's JSON-LD, flattened to the fields crosspost uses."""

from __future__ import annotations

import json

_ARTICLE_TYPES = ("Article", "BlogPosting", "LiveBlogPosting", "SocialMediaPosting", "Report")


def article_ld(tree) -> dict:
    """The first Article-like JSON-LD object (``{}`` when there is none or it is unreadable)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        data = _loads(script.text)
        for obj in _walk(data):
            if _is_article(obj):
                return _flatten(obj)
    return {}


def _loads(text: str):
    try:
        return json.loads(text, strict=False)  # strict=False: raw newlines inside strings are common
    except ValueError:
        return None


def _walk(data):
    """Every dict in a JSON value, depth first (covers ``@graph`` and nested lists)."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk(value)
    elif isinstance(data, list):
        for value in data:
            yield from _walk(value)


def _is_article(obj: dict) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.endswith(_ARTICLE_TYPES) for k in kinds)


def _flatten(obj: dict) -> dict:
    publisher = _first_dict(obj.get("publisher"))
    return {
        "headline": _text(obj.get("headline") or obj.get("name")),
        "datePublished": _text(obj.get("datePublished")),
        "dateModified": _text(obj.get("dateModified")),
        "authors": names(obj.get("author")),
        "publisher_name": _text(publisher.get("name")),
        "description": _text(obj.get("description")),
        "keywords": _keywords(obj.get("keywords")) + _keywords(obj.get("articleSection")),
        "inLanguage": _text(obj.get("inLanguage")),
        "image": image_url(obj.get("image")),
        "isBasedOn": obj.get("isBasedOn") or obj.get("isBasedOnUrl"),
        "sourceOrganization": obj.get("sourceOrganization"),
    }


def names(value) -> list[str]:
    """Person/Organization names from a JSON-LD author value (dict, list or string)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            out.append(" ".join(name.split()))
    return out


def image_url(value) -> str | None:
    """The URL of a JSON-LD image value (string, ImageObject or list of either)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _keywords(value) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return [" ".join(v.split()) for v in value if isinstance(v, str) and v.strip()]


def _first_dict(value) -> dict:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else {}


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None
