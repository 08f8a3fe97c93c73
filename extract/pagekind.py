"""Pages that carry no article: not-found pages served with 200, indexes and tag pages, stubs."""

from __future__ import annotations

import re

from extract.edges import is_link_line
from extract.exceptions import NotAnArticle

MIN_WORDS = 50  # shorter pages are notes, corrections and stubs, not articles (and too short to compare)
NOT_FOUND_MAX_WORDS = 150
_NOT_FOUND = re.compile(r"\b(?:404|(?:page|file)\s+not\s+found|not\s+found|can(?:no|')?t\s+be\s+found"
                        r"|could(?:n'?t| not)\s+(?:be\s+)?find|no\s+longer\s+(?:available|exists)"
                        r"|does(?:n'?t| not)\s+exist|nothing\s+(?:here|to\s+see|found))\b", re.I)
LINKED_SHARE = 0.4  # an index page: this share of its paragraphs are link titles...
LINKED_MIN = 3  # ...and at least this many


def check_article(page, paragraphs: list[str]) -> None:
    """Raise NotAnArticle (``not_found_page``, ``index_page``, ``too_short``) for pages without an article."""
    count = sum(len(p.split()) for p in paragraphs)
    names = [page.title_element or "", *page.headings[:1]]
    if count < NOT_FOUND_MAX_WORDS and any(_NOT_FOUND.search(t) for t in names):
        raise NotAnArticle("not_found_page", names[0][:80])
    linked = linked_paragraphs(page, paragraphs)
    if linked >= LINKED_MIN and linked >= LINKED_SHARE * len(paragraphs):
        raise NotAnArticle("index_page", f"{linked} of {len(paragraphs)} paragraphs are links")
    if count < MIN_WORDS:
        raise NotAnArticle("too_short", f"{count} words")


def linked_paragraphs(page, paragraphs: list[str]) -> int:
    """How many paragraphs are mostly the text of one link (teasers, listing rows)."""
    return sum(is_link_line(p, page.link_texts) for p in paragraphs)


