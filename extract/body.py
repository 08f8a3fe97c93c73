"""The article body as trafilatura sees it: main text, one entry per paragraph."""

from __future__ import annotations

import trafilatura
from lxml.etree import XPath
from trafilatura.settings import DEFAULT_CONFIG

from crosspost.common.text import clean_paragraphs
from extract.exceptions import NotAnArticle
from extract.selectors import trafilatura_selectors

# The fast pass (trafilatura's own extractor, no readability/justext comparison) is kept unless
# its text is under FULL_PASS_SHARE of the page's visible text (then it kept only a lead
# paragraph, a caption or a menu), or its body is one trafilatura's full pass replaces whatever
# its fallbacks find (_deficient): then the full pass is run.  On the development pages
# (../shared/bench, 599 pages) such fast passes are 0-10% of the page, good ones over 20%; the
# full pass on every page costs a third more time and adds boilerplate on pages where the fast
# pass was right (readability taking the whole page), and so does a higher share (0.25: as many
# snippets lost as found on trafilatura's evaluation pages, precision lost on the others).
FULL_PASS_SHARE = 0.15
MIN_EXTRACTED_SIZE = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")
# what html2txt drops before measuring a page (trafilatura's BASIC_CLEAN_XPATH, less its cookie banners)
_NOT_PAGE_TEXT = XPath(".//aside|.//div[contains(@class|@id, 'footer')]|.//footer|.//script|.//style|.//svg"
                       "|.//template|.//noscript")


def main_paragraphs(page) -> list[str]:
    """trafilatura's main text of a parsed page (tables and lists as text lines), one entry per paragraph."""
    fast = _extraction(page.tree, page.url, fast=True)
    text = _text(fast)
    if _deficient(fast) or _short(_size(text), page):
        text = max(text, _text(_extraction(page.tree, page.url, fast=False)), key=_size)
    if not text:
        raise NotAnArticle("no_main_text")
    return clean_paragraphs(text)


def _short(size: int, page) -> bool:
    """Whether ``size`` characters are under FULL_PASS_SHARE of the page's visible text. All the
    page's text outside scripts is measured first: it bounds the visible text from above and
    costs less, so most pages (their article is a large share of their text) stop there."""
    return size < FULL_PASS_SHARE * _size(page.text) and size < FULL_PASS_SHARE * page_text_size(page.tree)


def page_text_size(tree) -> int:
    """Characters (not counting spaces) of the page's visible text, as trafilatura's ``html2txt``
    sees it (no asides, footers, scripts), without copying the page."""
    body = tree.find(".//body")
    body = tree if body is None else body
    dropped = set(_NOT_PAGE_TEXT(body))
    outer = (node for node in dropped if not any(parent in dropped for parent in node.iterancestors()))
    return _size(body.text_content()) - sum(_size(node.text_content()) for node in outer)


def _size(text: str) -> int:
    """Characters other than spaces, tabs and line breaks."""
    return len(text) - sum(text.count(space) for space in " \n\t\r")


def _deficient(doc) -> bool:
    """Whether trafilatura's full pass would replace the fast pass's body whatever the fallbacks
    find (its own criteria, ``external.compare_extraction``): under its minimum size, no paragraph
    text, or more tables than paragraphs (a layout table, a price list)."""
    if doc is None or len(doc.text or "") < MIN_EXTRACTED_SIZE:
        return True
    return not doc.body.xpath(".//p//text()") or len(doc.body.findall(".//table")) > len(doc.body.findall(".//p"))


def _text(doc) -> str:
    return doc.text or "" if doc is not None else ""


def _extraction(tree, url: str, fast: bool):
    """trafilatura's extraction of ``tree`` (None when it finds nothing); trafilatura works on a copy.
    Its costliest selectors run as extract.selectors' equivalents (the same elements, ~5x faster)."""
    with trafilatura_selectors():
        return trafilatura.bare_extraction(tree, url=url, fast=fast, include_comments=False, include_tables=True,
                                           with_metadata=False)
