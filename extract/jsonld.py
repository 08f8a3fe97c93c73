"""The Article-like object of a page's JSON-LD, flattened to the fields crosspost uses."""

from __future__ import annotations

import json

from crosspost.common.text import repair_text

_ARTICLE_TYPES = ("Article", "BlogPosting", "LiveBlogPosting", "SocialMediaPosting", "Report")


def article_ld(tree, url: str | None = None) -> dict:
    """The page's own Article-like JSON-LD object (``{}`` when there is none or it is unreadable).

    A page may describe other articles too (related stories, the original it copies): the
    object whose ``url``/``@id``/``mainEntityOfPage`` is the page's URL wins, else the first.
    """
    found = [obj for script in tree.iter("script")
             if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text
             for obj in _walk(_loads(script.text)) if _is_article(obj)]
    if not found:
        return {}
    own = [obj for obj in found if url and _page_key(url) in map(_page_key, _own_urls(obj))]
    return _flatten((own or found)[0])


def _own_urls(obj: dict) -> list[str]:
    """The URLs an Article object says it is at."""
    main = obj.get("mainEntityOfPage")
    main = main.get("@id") or main.get("url") if isinstance(main, dict) else main
    return [u for u in (obj.get("url"), obj.get("@id"), main) if isinstance(u, str)]


def _page_key(url: str) -> str:
    """A URL without scheme, ``www.``, fragment and trailing slash (what two spellings of one page share)."""
    url = url.split("#")[0].split("://", 1)[-1].rstrip("/")
    return url[4:] if url.startswith("www.") else url


def _loads(text: str):
    try:
        return json.loads(text, strict=False)  # strict=False: raw newlines inside strings are common
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's stack (hostile)
        return None


def _walk(data):
    """Every dict in a JSON value, depth first (covers ``@graph`` and nested lists); a stack, not
    recursion, so no nesting depth a page can parse is too deep to walk."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            yield value
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            stack.extend(reversed(value))


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
            out.append(repair_text(name))
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
    return repair_text(value) if isinstance(value, str) and value.strip() else None
