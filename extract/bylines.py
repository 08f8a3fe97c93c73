"""Byline elements: what trafilatura's author XPaths and crosspost's own byline query select,
found in one pass over the tree.

trafilatura's ``AUTHOR_XPATHS`` test each element's class and id with EXSLT regular
expressions (``re:test``), which libxml2 evaluates through a Python callback per element: the
three of them cost several milliseconds on a large page, more than the rest of the metadata.
One Python pass testing the same conditions with compiled expressions costs a fraction of
that. The conditions below are those expressions, clause for clause (trafilatura 2.3.1); a
test checks that both select the same elements (tests/extract/test_metadata.py).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml.etree import Element, XPath
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, REGEXP_NS

# AUTHOR_XPATHS[0]: specific (and //author elements)
_SPECIFIC_TAGS = frozenset(("a", "address", "div", "link", "p", "span", "strong"))
_SPECIFIC_CLASS = re.compile(r"author-?name|AuthorName|authorName")
# AUTHOR_XPATHS[1]: almost generic
_GENERIC_TAGS = frozenset(("a", "div", "h3", "h4", "p", "span"))
_GENERIC_CLASSES = frozenset(("byline", "username", "byl", "BBL"))
_GENERIC_ID = re.compile(r"author|zuozhe|bianji|xiaobian")
_GENERIC_CLASS = re.compile(r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
# AUTHOR_XPATHS[2]: last resort, any element
_ANY_ID = re.compile(r"[Aa]uthor")
_ANY_CLASS = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")
# crosspost's own last resort: author, byline and meta lines
_OURS_CLASS = re.compile(r"author|byline|-info|-meta|posted")

# Whether an element is in a part trafilatura's author search discards (comments, sidebars,
# figures): its AUTHOR_DISCARD_XPATHS asked of the element and its ancestors only.
in_discarded = XPath("boolean(" + "|".join(re.sub(r"\.?//", "ancestor-or-self::", x.path.strip())
                                            for x in AUTHOR_DISCARD_XPATHS) + ")", namespaces={"re": REGEXP_NS})


# A class or id none of the expressions below can match (most of a page's): skipped at once.
_MAY_MATCH = re.compile("uthor|yline|byl|BBL|username|zuozhe|bianji|xiaobian|channel-name|submitted-by|posted-by"
                        "|journalist-name|screenname|writer|-info|-meta|posted")


class BylineElements(NamedTuple):
    """Elements in document order: ``trafilatura`` holds one list per AUTHOR_XPATHS expression."""

    trafilatura: tuple[list, list, list]
    ours: list


def byline_elements(tree) -> BylineElements:
    """The elements each of trafilatura's author XPaths selects, and crosspost's byline candidates."""
    specific, generic, anywhere, ours = [], [], [], []
    says_me = {rel.getparent() for rel in tree.iter("rel") if rel.text_content() == "me"}  # XPath rel='me'
    for node in tree.iter(Element):
        attributes = node.attrib
        if node.tag == "author":
            specific.append(node)
        if not attributes and node not in says_me:
            continue
        get = attributes.get
        tag, cls, ident, itemprop = node.tag, get("class") or "", get("id") or "", get("itemprop") or ""
        if not (itemprop or _MAY_MATCH.search(cls) or _MAY_MATCH.search(ident) or get("rel") or get("data-testid")
                or get("data-component") or node in says_me):
            continue
        if tag in _SPECIFIC_TAGS and (
                get("rel") == "author" or ident == "author" or cls == "author" or itemprop == "author name"
                or node in says_me or get("data-testid") in ("AuthorCard", "AuthorURL")
                or _SPECIFIC_CLASS.search(cls)):
            specific.append(node)
        if tag in _GENERIC_TAGS and (cls in _GENERIC_CLASSES or "author" in itemprop
                                     or _GENERIC_ID.search(ident) or _GENERIC_CLASS.search(cls)):
            generic.append(node)
        if ("Byline" in (get("data-component") or "") or "author" in itemprop or _ANY_ID.search(ident)
                or _ANY_CLASS.search(cls)):
            anywhere.append(node)
        if get("rel") == "author" or itemprop == "author" or _OURS_CLASS.search(cls):
            ours.append(node)
    return BylineElements((specific, generic, anywhere), ours)
