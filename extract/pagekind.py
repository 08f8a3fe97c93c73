"""Pages that carry no article: not-found pages served with 200, indexes and tag pages, stubs."""

from __future__ import annotations

import re

from crosspost.common.text import normal_key
from extract.edges import is_link_line
from extract.exceptions import NotAnArticle

MIN_WORDS = 50  # shorter pages are notes, corrections and stubs, not articles (and too short to compare)
NOT_FOUND_MAX_WORDS = 150
_NOT_FOUND = re.compile(r"\b(?:404|(?:page|file)\s+not\s+found|not\s+found|can(?:no|')?t\s+be\s+found"
                        r"|could(?:n'?t| not)\s+(?:be\s+)?find|no\s+longer\s+(?:available|exists)"
                        r"|does(?:n'?t| not)\s+exist|nothing\s+(?:here|to\s+see|found))\b", re.I)
LINKED_SHARE = 0.4  # an index page: this share of its paragraphs are link titles...
LINKED_MIN = 3  # ...and at least this many
LISTING_ENTRIES = 5  # headline links or <time> elements that make a page without a headline a listing
_ENTRY_LINKS = "//h1//a[@href] | //h2//a[@href] | //h3//a[@href] | //h4//a[@href]"


def check_article(page, paragraphs: list[str], title: str | None, teaser: bool = False) -> None:
    """Raise NotAnArticle (``not_found_page``, ``index_page``, ``too_short``) for pages without an article.

    ``teaser``: the page credits another page by URL, so a short text is an excerpt of it, not a stub."""
    count = sum(len(p.split()) for p in paragraphs)
    names = [page.title_element or "", *page.headings[:1]]
    if count < NOT_FOUND_MAX_WORDS and any(_NOT_FOUND.search(t) for t in names):
        raise NotAnArticle("not_found_page", names[0][:80])
    linked = sum(is_link_line(p, page.link_texts) for p in paragraphs)
    if linked >= LINKED_MIN and linked >= LINKED_SHARE * len(paragraphs):
        raise NotAnArticle("index_page", f"{linked} of {len(paragraphs)} paragraphs are links")
    if not has_headline(page, title) and _listing_entries(page) >= LISTING_ENTRIES:
        raise NotAnArticle("index_page", "no headline, many linked entries")
    if count < MIN_WORDS and not (teaser and count):
        raise NotAnArticle("too_short", f"{count} words")


def has_headline(page, title: str | None) -> bool:
    """Whether the page presents one article: article metadata, or its title shown as a heading."""
    if page.ld or page.first_meta("og:type") == "article" or page.first_meta("article:published_time"):
        return True
    return bool(title) and normal_key(title) in {normal_key(h) for h in page.headings}


def _listing_entries(page) -> int:
    """Linked headings or dates, whichever is more (teasers of a listing page)."""
    return max(len(page.tree.xpath(_ENTRY_LINKS)), len(page.tree.xpath("//time")))
