"""Author names: JSON-LD, then meta tags, then the page's byline, cleaned of what is not a name."""

from __future__ import annotations

import re
from copy import deepcopy
from functools import cache

from lxml.etree import XPath
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import extract_metainfo
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS

from crosspost.common.text import repair_text
from extract.bylines import BylineElements, byline_elements, in_discarded

_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\||\band\b|\n)\s*")
# "By" in the languages of the sites we crawl, after an optional verb ("Posted by", "Erstellt
# von", "Publié par"); a "von" inside a name ("Christoph von Ritter") is not at the start, but
# an English "by" after a few words ("Post author By X") is never part of a name.
_BY_WORDS = r"(?:by|von|vom|par|por|door|av|af|przez)"
_BY_VERBS = (r"(?:posted|written|words|reporting|text|published|erstellt|eingestellt|veröffentlicht|geschrieben"
             r"|verfasst|publié|écrit|publicado|escrito|pubblicato|scritto|gepost|geplaatst)")
_BY_PREFIX = re.compile(r"^(?:(?:" + _BY_VERBS + r"\s+)?" + _BY_WORDS + r"|(?:[^\W\d]+\s+){1,3}by)\s*:?\s+", re.I)
_ONLY_BY = re.compile(r"^" + _BY_WORDS + r"\.?$", re.I)
# a month stuck to a name by a byline written "Jane Doe June 20, 2023" (the date's digits dropped)
_MONTH = re.compile(r"\s+(?:jan|feb|apr|jul|aug|sept?|oct|nov|dec|january|february|march|april|june|july"
                    r"|august|september|october|november|december)\.?$", re.I)
_BRACKETED = re.compile(r"\s*[(\[][^)\]]*[)\]]")  # agency initials "(obe)", roles "[Reuters]"
_AUTHOR_META = ("author", "parsely-author", "sailthru.author", "dc.creator", "byl", "twitter:creator")
_NAME = r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|der|da|di|and|&))*"
_BYLINE = re.compile(r"\b[Bb]y\s+(" + _NAME + ")")
_LEADING_NAME = re.compile(r"^(" + _NAME + r")\s*(?:[·•|,]|$)")
_SELF = XPath("self::*")


def authors(page) -> list[str]:
    """Author names: JSON-LD, meta tags, trafilatura's byline search, ours (the first source with a name)."""
    elements = cache(lambda: byline_elements(page.tree))  # one pass over the page, only if needed
    sources = (
        lambda: page.ld.get("authors") or [],
        lambda: page.meta.get("article:author", []),
        lambda: split_authors(page.first_meta(*_AUTHOR_META)),
        lambda: _trafilatura_byline(elements()),
        lambda: _byline_names(elements()),
    )
    for source in sources:
        parts = (part for value in source() for part in split_authors(value))
        names = unique(n for n in map(clean_name, parts) if n)
        if names:
            return names
    return []


def split_authors(value: str | None) -> list[str]:
    """``"A, B and C"`` -> ``["A", "B", "C"]``."""
    if not value or value.startswith(("http://", "https://")):
        return []
    return [p for p in _NAME_SPLIT.split(_BY_PREFIX.sub("", value.strip())) if p.strip()]


def clean_name(name: str) -> str | None:
    """A person or desk name, or None for URLs, e-mails, handles, sentences and a lone "By"."""
    name = _BY_PREFIX.sub("", repair_text(name))
    name = _MONTH.sub("", _BRACKETED.sub("", name)).strip(" .,:;|·•-–—→")
    if not name or _ONLY_BY.match(name) or any(c in name for c in "@/:") or re.search(r"\d", name):
        return None
    return name if 1 <= len(name.split()) <= 5 and len(name) > 1 else None


def _trafilatura_byline(elements: BylineElements) -> list[str]:
    """trafilatura's byline search (its author XPaths, its clean-up), each name as the page writes it.

    trafilatura joins initials ("T. V. Raman" -> "T V Raman") and title-cases handles: the
    name is looked up again in the byline text to keep its own spelling.
    """
    raw = _byline_text(elements)
    if not raw:
        return []
    names = (normalize_authors(None, raw) or "").split("; ")
    return [_as_written(name, raw) for name in names if name]


def _byline_text(elements: BylineElements) -> str | None:
    """What trafilatura's ``extract_author`` reads, without copying the whole page: the first
    author element outside the discarded parts (comments, sidebars), itself copied and pruned."""
    for found in elements.trafilatura:
        for node in found:
            if in_discarded(node):
                continue
            text = extract_metainfo(prune_unwanted_nodes(deepcopy(node), AUTHOR_DISCARD_XPATHS),
                                    [_SELF], len_limit=120)
            if text:
                return text
    return None


def _as_written(name: str, text: str) -> str:
    """``name``'s spelling in ``text`` (initials' dots, case), ``name`` when it is not found there."""
    match = re.search(r"[\s._+]*".join(map(re.escape, name.split())), text, re.I)
    return match.group(0) if match else name


def _byline_names(elements: BylineElements) -> list[str]:
    """The last resort: a name in an author/byline/meta element ("By A and B", "A · May 2").

    A name guessed from capitalised words needs two of them: one capitalised word in a meta
    line is as often a menu or a link ("Menü", "Suchen", "Datenschutzerklärung").
    """
    for node in elements.ours[:12]:
        text = " ".join(node.text_content().split())
        if not text or len(text) > 200:
            continue
        if node.get("rel") == "author" or node.get("itemprop") == "author":
            return [text]
        match = _BYLINE.search(text) or _LEADING_NAME.match(text)
        if match and " " in match.group(1):
            return [match.group(1)]
    return []


def unique(items) -> list[str]:
    """``items`` without case-insensitive repeats, in order."""
    seen, out = set(), []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out
