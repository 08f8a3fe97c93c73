"""Pages that carry no article: not-found pages served with 200, indexes and tag pages, stubs."""

from __future__ import annotations

import re

from crosspost.common.text import count_words, normal_key
from extract.edges import is_link_line
from extract.exceptions import NotAnArticle

MIN_WORDS = 50  # shorter pages are mostly notes, corrections and stubs (and too short to compare)...
MIN_WORDS_HEADLINED = 30  # ...but one presenting itself as an article (a news brief) is kept from this length
NOT_FOUND_MAX_WORDS = 150
_NOT_FOUND = re.compile(r"\b(?:404|(?:page|file)\s+not\s+found|not\s+found|can(?:no|')?t\s+be\s+found"
                        r"|could(?:n'?t| not)\s+(?:be\s+)?find|no\s+longer\s+(?:available|exists)"
                        r"|does(?:n'?t| not)\s+exist|nothing\s+(?:here|to\s+see|found))\b", re.I)
LINKED_SHARE = 0.4  # an index page: this share of its paragraphs are link titles...
LINKED_MIN = 3  # ...and at least this many
PROSE_WORDS = 40  # a teaser under a listing's headline is shorter; an article has a paragraph this long
LISTING_ENTRIES = 5  # headline links or <time> elements that make a page without a headline a listing
_ENTRY_LINKS = "//h1//a[@href] | //h2//a[@href] | //h3//a[@href] | //h4//a[@href]"


def check_article(page, paragraphs: list[str], title: str | None, teaser: bool = False,
                  count: int | None = None) -> str | None:
    """Raise NotAnArticle (``not_found_page``, ``index_page``, ``too_short``) for pages without an article.

    A page that looks like a listing but carries prose, or a short page presenting itself as an
    article, is kept: rejecting it would lose a whole article, keeping it costs one doubtful row.
    The doubt is returned (``low_confidence:index_page``, ``low_confidence:too_short``), None
    when there is none. ``teaser``: the page credits another page by URL, so a short text is an
    excerpt of it, not a stub (kept for dedupe whatever its length). ``count``: the words of
    ``paragraphs`` when the caller has counted them.
    """
    count = sum(map(count_words, paragraphs)) if count is None else count
    names = [page.title_element or "", *page.headings[:1]]
    if count < NOT_FOUND_MAX_WORDS and any(_NOT_FOUND.search(t) for t in names):
        raise NotAnArticle("not_found_page", names[0][:80])
    listing = _listing_reason(page, paragraphs, title)
    if listing and not has_prose(paragraphs, page.link_texts):
        raise NotAnArticle("index_page", listing)
    short = length_doubt(count, has_headline(page, title), teaser=teaser)
    return "low_confidence:index_page" if listing else short


def length_doubt(count: int, headlined: bool, teaser: bool = False) -> str | None:
    """Raise NotAnArticle(``too_short``) for a body of ``count`` words too short to be an article;
    ``low_confidence:too_short`` for a short one kept because the page presents it as an article.
    A ``teaser`` (crediting another page by URL) with any text is an excerpt: never too short."""
    if teaser and count:
        return None
    if count < MIN_WORDS_HEADLINED or (count < MIN_WORDS and not headlined):
        raise NotAnArticle("too_short", f"{count} words")
    return "low_confidence:too_short" if count < MIN_WORDS else None


def _listing_reason(page, paragraphs: list[str], title: str | None) -> str | None:
    """Why the page looks like a listing (None when it does not)."""
    linked = sum(is_link_line(p, page.link_texts) for p in paragraphs)
    if linked >= LINKED_MIN and linked >= LINKED_SHARE * len(paragraphs):
        return f"{linked} of {len(paragraphs)} paragraphs are links"
    if not has_headline(page, title) and _listing_entries(page) >= LISTING_ENTRIES:
        return "no headline, many linked entries"
    return None


def has_prose(paragraphs: list[str], link_texts: frozenset[str]) -> bool:
    """Whether the text has a paragraph of running prose (longer than a teaser), not a link title."""
    return any(count_words(p) >= PROSE_WORDS and not is_link_line(p, link_texts) for p in paragraphs)


def has_headline(page, title: str | None) -> bool:
    """Whether the page presents one article: article metadata, or its title shown as a heading."""
    if page.ld or _presents_a_piece(page.first_meta("og:type")) or page.first_meta("article:published_time"):
        return True
    return bool(title) and normal_key(title) in {normal_key(h) for h in page.headings}


def _presents_a_piece(og_type: str | None) -> bool:
    """Open Graph type of one piece of content: an article, or a video (a programme's page, whose
    text is its summary); not ``website`` or ``profile``."""
    return (og_type or "").strip().lower().split(".")[0] in ("article", "video")


def _listing_entries(page) -> int:
    """Linked headings or dates, whichever is more (teasers of a listing page)."""
    return max(len(page.tree.xpath(_ENTRY_LINKS)), len(page.tree.xpath("//time")))
