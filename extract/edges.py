"""Recognised boilerplate at the edges of an article body: attribution, promos, appeals, disclaimers.

Only the start and the end of the body are trimmed (plus a few unmistakable inline
promos such as ``Related: ...``), and only paragraphs that match a known pattern, so
article text in between is never touched.  Per-site learning (``boilerplate.py``)
catches the site-specific blocks these patterns do not know.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

from crosspost.common.dates import text_date
from crosspost.common.text import count_words, normal_key
from extract.source import ATTRIBUTION

SHORT_WORDS = 60  # an edge paragraph longer than this is article text, whatever it starts with
LONG_WORDS = 160  # disclaimers and appeals can run long, but not longer than this
LINK_WORDS = 25  # a line of a "related articles" list

_LEAD = r"^[\W_]{0,3}"  # list dashes, asterisks, brackets before the words
RELATED = re.compile(_LEAD + r"(?:related(?:\s+(?:articles?|stories|posts|coverage|content|reading|links?))?"
                     r"|(?:read|see)\s+(?:more|also)|also\s+(?:read|on\s+\S+)|more\s+(?:from|on|stories)\b"
                     r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested)|recommended(?:\s+for\s+you)?"
                     r"|don'?t\s+miss|trending(?:\s+now)?|most\s+(?:read|popular|viewed)|popular\s+(?:posts|stories)"
                     r"|leggi\s+anche|lesen\s+sie\s+auch|à\s+lire\s+aussi|lea\s+también|leia\s+também)\b", re.I)
_INLINE = re.compile(RELATED.pattern + r"\s*(?:[:|»›>]|\.\.\.|…)|" + _LEAD + r"advertisement\s*$"
                     r"|.{0,60}\bclick(?:ing)?\s+here\b", re.I)
_STARTS = re.compile(_LEAD + r"(?:copyright\s*(?:©|\(c\)|\d{4})|©|\(c\)\s*\d|all\s+rights\s+reserved|disclaimer\s*:"
                     r"|dear\s+readers?\b|please\s+(?:consider\s+)?(?:donat|support\s+us|subscrib|share\s+this)"
                     r"|(?:donate|subscribe|sign\s+up)\b|support\s+(?:us|our\s+(?:work|journalism|reporting)"
                     r"|independent\s+(?:media|journalism))\b|follow\s+(?:us|him|her|me)\s+on\b|share\s+(?:this|it)\b"
                     r"|click\s+the\s+share\s+button|like\s+this\s+(?:story|article)|tell\s+us\s+what\s+you\s+think"
                     r"|(?:have|got)\s+a\s+(?:news\s+)?tip|write\s+to\s+.{1,60}\s+at\s+\S+@"
                     r"|(?:e-?mail|contact)\s+the\s+(?:writer|author|reporter)"
                     r"|(?:leave\s+a\s+)?comments?(?:\s*\(\d+\))?\s*$|comments\s+are\s+closed|leave\s+a\s+(?:comment|reply)"
                     r"|this\s+copy\s+is\s+for\s+your\s+personal|the\s+(?:views|opinions)\s+expressed\s+(?:in|here)"
                     r"|print(?:\s+(?:article|this))?\s*$|order\s+reprints|tags?\s*(?::|$)|filed\s+under\b)", re.I)
_CONTAINS = re.compile(r"all\s+rights\s+reserved|follow\s+.{1,60}\s+on\s+(?:twitter|facebook|instagram|linkedin)"
                       r"|\bclick(?:ing)?\s+here\b|\breader[- ]funded\b"
                       r"|(?:funded|supported)\s+by\s+(?:its\s+|our\s+)?readers"
                       r"|consider\s+(?:making\s+)?a\s+(?:monthly\s+|small\s+)?(?:donation|contribution)|donate\s+now"
                       r"|in\s+your\s+inbox|unsubscribe\s+(?:at\s+)?any\s+time|constitutes\s+a\s+fair\s+use"
                       r"|contains\s+copyrighted\s+material|(?:sign\s+up|subscribe)\b.{0,60}\bnewsletters?\b"
                       r"|\bnewsletters?\b.{0,40}(?:sign\s+up|subscribe)", re.I)
_LONG_STARTS = re.compile(_LEAD + r"(?:disclaimer\b|dear\s+readers?\b|this\s+site\s+contains\s+copyrighted)", re.I)


def n_words(paragraph: str) -> int:
    """Words, as length thresholds count them (a character of Chinese, Japanese or Thai is one)."""
    return count_words(paragraph)


def is_edge_boilerplate(paragraph: str) -> bool:
    """Attribution, copyright, appeal, promo or sharing line (as found at the start or end of a body)."""
    size = n_words(paragraph)
    if size <= SHORT_WORDS:
        return bool(ATTRIBUTION.match(paragraph) or _STARTS.match(paragraph) or _CONTAINS.search(paragraph)
                    or RELATED.match(paragraph) and size <= 8)
    return size <= LONG_WORDS and bool(_LONG_STARTS.match(paragraph))


def is_inline_promo(paragraph: str) -> bool:
    """``Related: ...``, ``READ MORE: ...``, ``Advertisement``: promos that can sit mid-article."""
    return bool(_INLINE.match(paragraph)) and n_words(paragraph) <= LINK_WORDS


def strip_edges(paragraphs: list[str], titles=(), authors=(), link_texts=frozenset()) -> list[str]:
    """The body without its boilerplate head and tail, inline promos and "related" link blocks."""
    start = _head_end(paragraphs, {normal_key(t) for t in titles}, {normal_key(a) for a in authors})
    return _drop_promos(paragraphs[start:_tail_start(paragraphs, start)], link_texts)


def _drop_promos(paragraphs: list[str], link_texts: frozenset[str]) -> list[str]:
    """Drop inline promos, the link lines right below a promo or "related" header, and runs of
    link lines (a list of other articles' headlines, with or without a header)."""
    linked = [is_link_line(para, link_texts) for para in paragraphs]
    kept, in_block = [], False
    for i, para in enumerate(paragraphs):
        header = is_inline_promo(para) or (RELATED.match(para) is not None and n_words(para) <= 8)
        in_run = linked[i] and any(linked[j] for j in (i - 1, i + 1) if 0 <= j < len(linked))
        if header or in_run or (in_block and linked[i]):
            in_block = True
            continue
        in_block = False
        kept.append(para)
    return kept


@lru_cache(maxsize=256)  # one page's paragraphs: asked by the edge clean-up, then by the page-kind checks
def is_link_line(paragraph: str, link_texts: frozenset[str]) -> bool:
    """Whether ``paragraph`` starts with a link's text that makes up most of it (a teaser, a listing row)."""
    if not link_texts or len(paragraph) > 300:  # link titles are short: skip the work for body paragraphs
        return False
    key = normal_key(paragraph)
    ends = list(accumulate(len(token) + 1 for token in key.split()))  # past the end of each first-k-words prefix
    least = max(2, int(len(ends) * 0.6 + 0.999))
    return any(key[:end - 1] in link_texts for end in ends[least - 1:])


def _head_end(paragraphs: list[str], titles: set[str], authors: set[str]) -> int:
    """Index of the first paragraph that is not a repeated title, byline, dateline or attribution."""
    for i, para in enumerate(paragraphs[:8]):
        if not (normal_key(para) in titles or _is_byline(para, authors) or _is_dateline(para)
                or is_edge_boilerplate(para) or is_inline_promo(para)):
            return i
    return min(len(paragraphs), 8)


def _is_byline(para: str, authors: set[str]) -> bool:
    key = normal_key(re.sub(r"^\W*(?:posted\s+|written\s+)?by\s+", "", para, flags=re.I))
    return n_words(para) <= 12 and bool(key) and (key in authors or para.lower().startswith("by ")
                                                    and any(a and a in key for a in authors))


def _is_dateline(para: str) -> bool:
    """A line that is only a date (``November 18, 2026``, ``Updated 2026-11-18 09:30``)."""
    return n_words(para) <= 8 and text_date(para) is not None and not re.search(r"[.!?]$", para)


def _tail_start(paragraphs: list[str], start: int) -> int:
    """Index where the boilerplate tail begins (``len`` when there is none)."""
    end = len(paragraphs)
    while end > start:
        if is_edge_boilerplate(paragraphs[end - 1]) or is_inline_promo(paragraphs[end - 1]):
            end -= 1
            continue
        header = _related_header_above(paragraphs, start, end)
        if header is None:
            break
        end = header
    return end


def _related_header_above(paragraphs: list[str], start: int, end: int) -> int | None:
    """A "Related articles" header followed only by short lines (the list) up to ``end``."""
    for i in range(end - 1, max(start, end - 13) - 1, -1):
        para = paragraphs[i]
        if RELATED.match(para) and n_words(para) <= 8:
            return i
        if n_words(para) > LINK_WORDS:
            return None
    return None
