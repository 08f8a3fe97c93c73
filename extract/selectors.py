"""trafilatura's costliest section selectors, evaluated without EXSLT regular expressions.

trafilatura finds boilerplate and the article's container with XPath expressions whose
``re:test(@id, '...')`` tests lxml runs as a call back into Python for every candidate
element, twice or more per element (``@id`` and ``@class``), each converting its node-set
argument to strings. On real pages such expressions were a quarter of a page's extraction
CPU, most of it in those calls. Each selector here walks the same elements in document
order and applies the same regular expressions with Python's ``re`` (which is what lxml's
``re:test`` runs), so it returns the same elements in the same order; trafilatura's own
expressions are replaced with them only when their text is exactly the one translated here
(a trafilatura whose expressions changed keeps its own: see ``trafilatura_selectors``).

XPath details kept: ``re:test(@a|@b, p)`` tests only the attribute that comes first on the
element (the node-set's string value is its first node's); a missing attribute is the empty
string; ``.//*[...][1]`` is the first match among each element's children, not only the
document's first; ``.//*`` is elements only (no comments or processing instructions).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import cache, lru_cache
from typing import Any

from lxml.etree import Element as _ELEMENTS_ONLY
from lxml.etree import _Element

Selector = Callable[..., list]


# Attribute values repeat from element to element and page to page (a site's templates): each
# expression's answers are remembered for short values (a hostile page's long ones are not kept).
_REMEMBERED, _REMEMBERED_LENGTH = 1 << 13, 200


def _re(pattern: str, flags: int = 0) -> Callable[[str], bool]:
    """Whether ``re.search(pattern, value, flags)`` finds a match (what lxml's ``re:test`` runs)."""
    search = re.compile(pattern, flags).search

    @lru_cache(maxsize=_REMEMBERED)
    def remembered(value: str) -> bool:
        return search(value) is not None

    def test(value: str) -> bool:
        return remembered(value) if len(value) <= _REMEMBERED_LENGTH else search(value) is not None

    return test


def _first(element, a: str, b: str) -> str:
    """The value of whichever of attributes ``a`` and ``b`` comes first on ``element`` ('' if neither)."""
    first, second = element.get(a), element.get(b)
    if first is None or second is None:
        return first or second or ""
    keys = element.keys()
    return first if keys.index(a) < keys.index(b) else second


def _select(tree, tags: tuple, keep: Callable) -> list:
    elements = tree.iterdescendants(*tags) if tags else tree.iterdescendants(_ELEMENTS_ONLY)
    return [element for element in elements if keep(element)]


def _first_children(elements: Iterable) -> list:
    """``step[1]``: of the matches (document order) only the first child of each parent."""
    parents: set = set()
    out = []
    for element in elements:
        parent = element.getparent()
        if parent not in parents:
            parents.add(parent)
            out.append(element)
    return out


# ------------------------------------------------------------------- RAW_TREE_PRUNE_XPATH
_SCROLL = _re("mvp-post-add-(?:box|wrap)|infinite-?scroll")
_MVP = _re("mvp-post-add-(?:box|wrap)")
_SECTIONS = ("div", "section", "aside")


def _infinite_scroll(element) -> bool:
    id_, class_ = element.get("id") or "", element.get("class") or ""
    if not (_SCROLL(id_) or _SCROLL(class_)):
        return False
    return next(element.iterdescendants("h1"), None) is None or _MVP(id_) or _MVP(class_)


def infinite_scroll_containers(tree) -> list:
    """RAW_TREE_PRUNE_XPATH[0]: infinite-scroll containers of follow-up articles."""
    return _select(tree, _SECTIONS, _infinite_scroll)


def elementor_share_buttons(tree) -> list:
    """RAW_TREE_PRUNE_XPATH[1]: Elementor's share buttons."""
    return _select(tree, _SECTIONS, lambda e: "elementor-share-buttons" in (e.get("class") or ""))


# ------------------------------------------------------ REMOVE_COMMENTS(_AND_LISTS)_XPATH
_COMMENTS_ID = "[Cc]omment(?!ary)|comol"
_COMMENTS_CLASS = _re("^[Cc]omment(?!ary)|(?:article|post)-comments")
_COMMENTS_OR_DISQUS_ID = _re(f"^(?:{_COMMENTS_ID}|disqus_thread|dsq-comments)")
_COMMENTS_ONLY_ID = _re(f"^(?:{_COMMENTS_ID})")
_COMMENT_SECTIONS = ("div", "list", "section", "details")


def _comments(element) -> bool:
    return _COMMENTS_OR_DISQUS_ID(element.get("id") or "") or _COMMENTS_CLASS(element.get("class") or "")


def _comments_or_list(element) -> bool:
    if not _comments(element):
        return False
    if element.tag not in ("ol", "ul"):
        return True
    return _COMMENTS_ONLY_ID(element.get("id") or "") or _COMMENTS_CLASS(element.get("class") or "")


def comment_sections(tree) -> list:
    """REMOVE_COMMENTS_XPATH[0]: comment sections (and Disqus threads)."""
    return _select(tree, _COMMENT_SECTIONS, _comments)


def comment_sections_and_lists(tree) -> list:
    """REMOVE_COMMENTS_AND_LISTS_XPATH[0]: comment sections, and ``ol``/``ul`` comment lists."""
    return _select(tree, _COMMENT_SECTIONS + ("ol", "ul"), _comments_or_list)


# ----------------------------------------------------------------- OVERALL_DISCARD_XPATH
# the alternations of trafilatura.xpaths, spelt as it composes them
_BOTH = ("^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author")
_DISCARD_ID = _re(_BOTH + "|^(?:jp-|dpsp-content)|bmdh|footer|Footer|share|Share|nav|Nav|menu|related"
                          "|message-container|premium|^ad-")
_DISCARD_CLASS = _re(_BOTH + "|^(?:nav|post-nav|ZendeskForm)|subnav|avigation|navbar|navbox|menu|bar| ad |-ad-"
                             "|(?:^| )ad-|dfp[Aa]d|outbrain|taboola|criteo|paid-?content|widget|footer|Footer"
                             "|byline|Byline|share-|sociable|embedded|embed|tag-list|consent|modal-content"
                             "|permission|elated|next-|-stories|most-popular|more-on|meta|rating|attachment"
                             "|timestamp|user-info|user-profile|-icon|article-infos|message-container|slide"
                             "|viewport|overlay|options|expand|obfuscated|blurred|mol-factbox|yin|zlylin|nfoline")
_COOKIE = _re("cookie")
_DISCARD_SECTIONS = ("div", "item", "list", "p", "section", "span")


def _boilerplate(element) -> bool:
    get = element.get
    id_, class_ = get("id"), get("class")
    if (id_ is not None or class_ is not None) and (
            _COOKIE(_first(element, "id", "class")) or _DISCARD_ID(id_ or "") or _DISCARD_CLASS(class_ or "")):
        return True
    return (get("data-lp-replacement-content") is not None
            or "nav" in (get("role") or "").replace("N", "n")
            or "MostPopularStories" in (get("data-component") or ""))


def boilerplate_sections(tree) -> list:
    """OVERALL_DISCARD_XPATH[0]: navigation, sharing, ads, footers, bylines, related links..."""
    return _select(tree, _DISCARD_SECTIONS, _boilerplate)


_HIDDEN_ID_OR_STYLE = _re("hidden")
_HIDDEN_ID = _re("reader-comments|akismet")
_HIDDEN_CLASS = _re("^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print"
                    "| hidden| hide|noprint|notloaded")


def _hidden(element) -> bool:
    get = element.get
    id_, class_, style = get("id"), get("class"), get("style")
    if id_ is None and class_ is None and style is None:  # most elements: only aria-hidden can match
        return get("aria-hidden") == "true"
    style = style or ""
    return (class_ == "comments-title"
            or _first(element, "id", "class").startswith("reply-")
            or _HIDDEN_ID_OR_STYLE(_first(element, "id", "style"))
            or "display:none" in style or "display: none" in style
            or _HIDDEN_ID(id_ or "") or _HIDDEN_CLASS(class_ or "")
            or get("aria-hidden") == "true")


def hidden_elements(tree) -> list:
    """OVERALL_DISCARD_XPATH[1]: hidden elements, comment titles and reply links, messages."""
    return _select(tree, (), _hidden)


def _teaser(element) -> bool:
    return ("teaser" in (element.get("id") or "").replace("T", "t")
            or "teaser" in (element.get("class") or "").replace("T", "t"))


def teasers(tree) -> list:
    """TEASER_DISCARD_XPATH[0]: teaser blocks."""
    return _select(tree, _DISCARD_SECTIONS, _teaser)


def captions(tree) -> list:
    """DISCARD_IMAGE_ELEMENTS[0]: image captions."""
    return _select(tree, _DISCARD_SECTIONS,
                   lambda e: "caption" in (e.get("id") or "") or "caption" in (e.get("class") or ""))


# ---------------------------------------------------------------------------- BODY_XPATH
_CONTAINERS = ("article", "div", "main", "section")
_ARTICLE_ID = _re("(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|body-text")
_ARTICLE_CLASS = _re("post[-_]text|post-body|post-?entry|post[-_]?content|postContent|post_inner_wrapper"
                     "|article-?text|articleText|(?:entry|page|text|article|art)-content|article__content"
                     "|article(?:-|__)?body|articleBody|ArticleContent|body-text|article__container")


def _article_content(element) -> bool:
    get = element.get
    id_, class_ = get("id") or "", get("class") or ""
    return (class_ == "post" or class_ == "entry" or get("itemprop") == "articleBody"
            or id_ == "articleContent" or _ARTICLE_ID(id_) or _ARTICLE_CLASS(class_))


def article_content(tree) -> list:
    """BODY_XPATH[0]: the article's own container (the first such child of each element)."""
    return _first_children(e for e in tree.iterdescendants(*_CONTAINERS) if _article_content(e))


_STORY_ID = _re("^primary|story-body")
_FULLTEXT = _re("fulltext", re.IGNORECASE)
_STORY_CLASS = _re("^article |post-bodycopy|story-?content|(?:theme|blog|section|single)-content|single-post"
                   "|main-column|wpb_text_column|story-body|field-body")


def _story(element) -> bool:
    get = element.get
    id_, class_ = get("id"), get("class")
    return (get("role") == "article" or id_ in ("article", "story")
            or class_ in ("postarea", "art-postcontent", "text", "cell", "story")
            or _STORY_ID(id_ or "") or _FULLTEXT(class_ or "") or _STORY_CLASS(class_ or ""))


def story_content(tree) -> list:
    """BODY_XPATH[2]: the first story container."""
    return _first_match(tree, _CONTAINERS, _story)


_MAIN_ID = _re("content-main|content-body|contentBody")
_MAIN_CLASS = _re("content[-_]main|content(?:-|__)body")


def _main_content(element) -> bool:
    get = element.get
    id_, class_ = get("id") or "", get("class") or ""
    return (id_ == "content" or class_ == "content" or _MAIN_ID(id_) or _MAIN_CLASS(class_)
            or "main-content" in id_.replace("C", "c").replace("M", "m")
            or "main-content" in class_.replace("C", "c").replace("M", "m")
            or "page-content" in class_.replace("C", "c").replace("P", "p"))


def main_content(tree) -> list:
    """BODY_XPATH[3]: the first main-content container."""
    return _first_match(tree, _CONTAINERS, _main_content)


def _first_match(tree, tags: tuple, keep: Callable) -> list:
    """``(.//*[...])[1]``: the document's first match, as a list."""
    return next(([e] for e in tree.iterdescendants(*tags) if keep(e)), [])


# ---------------------------------------------------------------- settings.BASIC_CLEAN_XPATH
_DROPPED = frozenset(("aside", "fencedframe", "footer", "script", "style", "svg", "template"))
_CONSENT = _re("cookie[-_]?(?:banner|bar|consent|law|notice|policy|description)|notice[-_]{0,2}cookie"
               "|consent[-_]?(?:banner|manager|sdk)|borlabs|cookiebot|cmplz|onetrust|moove[-_]?gdpr", re.IGNORECASE)


def _not_page_text(element) -> bool:
    tag = element.tag
    if tag in _DROPPED:
        return True
    class_, id_ = element.get("class"), element.get("id")
    if class_ is None and id_ is None:
        return False
    return ((tag == "div" and "footer" in _first(element, "class", "id"))
            or _CONSENT(class_ or "") or _CONSENT(id_ or ""))


def basic_clean(tree) -> list:
    """settings.BASIC_CLEAN_XPATH: asides, footers, scripts, styles, cookie banners (for baseline, html2txt)."""
    return _select(tree, (), _not_page_text)


# ------------------------------------------------------------------------------ install
# (module, name, index in the list, or None for a lone expression) -> (selector, sha256 of the
# expression's text with its whitespace collapsed: the text the selector was translated from)
_REPLACES: dict[tuple[str, str, int | None], tuple[Selector, str]] = {
    ("trafilatura.xpaths", "RAW_TREE_PRUNE_XPATH", 0):
        (infinite_scroll_containers, "77023cff86242dc8bb0431d98c785ea1f268cfc94ef681253d7eacf0afa12efd"),
    ("trafilatura.xpaths", "RAW_TREE_PRUNE_XPATH", 1):
        (elementor_share_buttons, "3c7afe92279543d5530365aa7b921c6e5b51243033e5622cae1dc85e08976f87"),
    ("trafilatura.xpaths", "REMOVE_COMMENTS_XPATH", 0):
        (comment_sections, "853775ab53d61b2678b70a2f542bbb75e08be014c4164ef8e9ad66bb5487e52e"),
    ("trafilatura.xpaths", "REMOVE_COMMENTS_AND_LISTS_XPATH", 0):
        (comment_sections_and_lists, "ec1083e558ae70c0be79fe7ff3f11f7fcac683c3bd7c6ba692c8feadb2c26a04"),
    ("trafilatura.xpaths", "OVERALL_DISCARD_XPATH", 0):
        (boilerplate_sections, "d9e4b7d7125b483849e2efb833cd65fbb45ee38cc81e3b4f09dc712495826a90"),
    ("trafilatura.xpaths", "OVERALL_DISCARD_XPATH", 1):
        (hidden_elements, "9abb7217d588fd5a828b3c711b322bce82f641fe3e495bfdbfac90231eca493f"),
    ("trafilatura.xpaths", "TEASER_DISCARD_XPATH", 0):
        (teasers, "50f9c0568a62e759b3ae1dc7cbc20e1f08b0c5bfbb2d2938430755b4163abf50"),
    ("trafilatura.xpaths", "DISCARD_IMAGE_ELEMENTS", 0):
        (captions, "271b5ef29bbc5bf0dd945568bfade7f126585f42e832f1612f712311c6e4c84c"),
    ("trafilatura.xpaths", "BODY_XPATH", 0):
        (article_content, "8cab6e6e5b503a8d4fa84afa21a240c39d1cb16dbc423db4056ac83b22576bba"),
    ("trafilatura.xpaths", "BODY_XPATH", 2):
        (story_content, "3ac5a80dac974e647f67a2f58fb3c87265f4af2cdc61af6253ca1c0e0a150f8b"),
    ("trafilatura.xpaths", "BODY_XPATH", 3):
        (main_content, "a3befe41db4d28b9624e227ca67e81af7dc225944b61da55267ef1dbce354897"),
    ("trafilatura.baseline", "BASIC_CLEAN_XPATH", None):
        (basic_clean, "db6c25acd08aef99afbf1be38c751d8c7cf7132256d1a013d1d2e4e4fe86651f"),
}


class _Replacement:
    """Called like the XPath it replaces: the selector on an element, the XPath itself on
    anything else (a whole ElementTree) or with XPath variables."""

    def __init__(self, selector: Selector, original):
        self.selector, self.original, self.path = selector, original, original.path

    def __call__(self, tree, **variables):
        if variables or not isinstance(tree, _Element):
            return self.original(tree, **variables)
        return self.selector(tree)


@contextmanager
def trafilatura_selectors():
    """Within this block trafilatura uses the selectors in place of its own expressions (each
    only if the expression's text is the one it was translated from); restored on leaving.
    (trafilatura's modules are patched for the block, so the blocks of a process's threads
    take turns: one thread's end never restores the expressions under another's feet.)"""
    swaps = _swaps()
    with _PATCH:
        for holder, key, _, replacement in swaps:
            holder[key] = replacement
        try:
            yield
        finally:
            for holder, key, original, _ in swaps:
                holder[key] = original


_PATCH = threading.RLock()  # held by trafilatura_selectors' blocks


@cache
def _swaps() -> list[tuple]:
    """(list or module dict, index or name, trafilatura's expression, its replacement) for each
    expression whose text matches the translation."""
    import importlib

    swaps = []
    for (module, name, index), (selector, digest) in _REPLACES.items():
        owner = importlib.import_module(module)
        holder: Any = getattr(owner, name) if index is not None else vars(owner)
        key: int | str = index if index is not None else name
        original = holder[key]
        if _digest(getattr(original, "path", "")) == digest:
            swaps.append((holder, key, original, _Replacement(selector, original)))
    return swaps


def _digest(path: str) -> str:
    return hashlib.sha256(" ".join(path.split()).encode()).hexdigest()
