"""Publication and modification dates, each with the evidence that gave it.

Evidence is tried from the most to the least explicit: JSON-LD, meta tags, ``<time>``
elements, the URL, the sitemap/feed date the crawler saw, and htmldate's heuristics.
A date after the crawl day or before 1995 is rejected and the next evidence is tried.
"""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import contextmanager
from functools import lru_cache

from lxml.etree import XPath

from crosspost.common.dates import UTC, parse_timestamp, url_date

EARLIEST = dt.datetime(1995, 1, 1, tzinfo=UTC)
_MARKED = XPath("//*[@itemprop = $prop]")

PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                  "publish-date", "publication_date", "parsely-pub-date", "sailthru.date", "dc.date.issued",
                  "dcterms.created", "dc.date", "date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified",
                 "dcterms.modified", "last-modified")


def latest_allowed(crawl_date: dt.date | None) -> dt.datetime | None:
    """The end of the crawl day: anything later is in the page's future."""
    if crawl_date is None:
        return None
    return dt.datetime.combine(crawl_date + dt.timedelta(days=1), dt.time(), UTC)


def plausible(when: dt.datetime | None, crawl_date: dt.date | None) -> bool:
    """Not before 1995, not after the crawl day."""
    latest = latest_allowed(crawl_date)
    return when is not None and when >= EARLIEST and (latest is None or when < latest)


def pick_date(candidates, crawl_date: dt.date | None) -> tuple[str | None, str | None]:
    """``(ISO UTC timestamp, evidence)`` of the first plausible candidate.

    ``candidates`` yields ``(evidence, value)`` pairs; values may be callables, evaluated
    only when reached (htmldate is the expensive last resort).
    """
    for evidence, value in candidates:
        when = parse_timestamp(value() if callable(value) else value)
        if when is not None and plausible(when, crawl_date):
            return format_utc(when), evidence
    return None, None


def format_utc(when: dt.datetime) -> str:
    """``2026-11-18T09:30:00Z``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def time_element(tree, prop: str, day: str | None = None) -> str | None:
    """``datetime`` of the element marked ``prop``, else of the page's only ``<time>`` (or only article).

    The unmarked ``<time>`` of a page listing related articles is theirs: it is taken only when
    it is the page's one ``<time>`` or its one ``<article>``'s, and on ``day`` (the URL's date)
    when there is one. (One query for the marked elements; the ``<time>`` elements are few.)
    """
    values = [value for node in _MARKED(tree, prop=prop) for name, value in node.items()
              if name in ("datetime", "content")]
    if values or prop != "datePublished":
        return values[0] if values else None
    times = [node for node in tree.iter("time") if node.get("datetime") is not None]
    values = [node.get("datetime") for node in times if node.get("pubdate") is not None]
    if not values and len({article for node in times for article in node.iterancestors("article")}) == 1:
        values = [node.get("datetime") for node in times if next(node.iterancestors("article"), None) is not None]
    if not values:
        values = [times[0].get("datetime")] if len(times) == 1 else []  # several: a listing or sidebar
    if values and day and not values[0].strip().startswith(day):
        return None
    return values[0] if values else None


def htmldate(tree, url: str, crawl_date: dt.date | None, original: bool, language: str | None = None):
    """A thunk running htmldate's heuristics (only called when nothing better was found);
    ``language``: the page's, for the date strings htmldate hands to dateparser."""
    def run():
        """htmldate's answer as ``YYYY-MM-DD`` (None when it finds nothing plausible)."""
        from htmldate import find_date

        params = {"extensive_search": True, "original_date": original, "min_date": "1995-01-01",
                  "outputformat": "%Y-%m-%d", "url": url}
        if crawl_date is not None:
            params["max_date"] = crawl_date.isoformat()  # inclusive: day precision
        try:
            with date_languages(language):
                return find_date(tree, **params)
        except (ValueError, TypeError):
            return None
    return run


@contextmanager
def date_languages(language: str | None):
    """Within this block, htmldate's dateparser reads date strings in ``language`` and English
    only (every language when ``language`` is None or unknown to dateparser).

    htmldate's own parser tries all ~200 of dateparser's locales on a string none accepts,
    compiling each locale's patterns the first time: 2-3 s of CPU in every process that
    extracts (once per extraction child, once per Airflow task). With the page's language
    it compiles two. Its answers are cached by string alone, so the cache is emptied here:
    a string's date must not depend on the language of the page that showed it first.
    (htmldate's module is patched for the block, so the blocks of a process's threads take
    turns: a thread reading dates in every language never sees another's two.)
    """
    from htmldate import extractors

    parser = _date_parser(language)
    with _HTMLDATE_PATCH:
        if parser is None:
            yield
            return
        default, extractors.get_external_parser = extractors.get_external_parser, lambda: parser
        extractors.try_date_expr.cache_clear()
        try:
            yield
        finally:
            extractors.get_external_parser = default
            extractors.try_date_expr.cache_clear()


_HTMLDATE_PATCH = threading.RLock()  # held by date_languages' blocks


@lru_cache(maxsize=64)
def _date_parser(language: str | None):
    """htmldate's dateparser (its settings) for ``language`` and English; None: use htmldate's own."""
    from dateparser import DateDataParser
    from dateparser.languages.loader import default_loader
    from htmldate.extractors import get_external_parser

    if not language:
        return None
    languages = list(dict.fromkeys([language, "en"]))
    settings = getattr(get_external_parser(), "_settings", None)  # htmldate's: strict, past, no timezone
    try:
        default_loader.get_locale_map(languages=languages)  # dateparser checks them only when parsing
    except ValueError:  # a language dateparser does not know ("xx", "iw")
        return None
    return DateDataParser(languages=languages, settings=settings) if settings is not None else None


def published(page, crawl_date: dt.date | None, listed_date: str | None,
              language: str | None = None) -> tuple[str | None, str | None]:
    """``(published_at, evidence)``; ``language``: the page's (see date_languages)."""
    in_url = _iso_day(url_date(page.url))
    return pick_date([
        ("json-ld", page.ld.get("datePublished")),
        ("meta", page.first_meta(*PUBLISHED_META)),
        ("time", lambda: time_element(page.tree, "datePublished", in_url)),
        ("url", in_url),
        ("sitemap/feed", listed_date),
        ("htmldate", htmldate(page.tree, page.url, crawl_date, original=True, language=language)),
    ], crawl_date)


def modified(page, crawl_date: dt.date | None) -> tuple[str | None, str | None]:
    """``(modified_at, evidence)`` (no heuristics: an unknown update time stays unknown)."""
    return pick_date([
        ("json-ld", page.ld.get("dateModified")),
        ("meta", page.first_meta(*MODIFIED_META)),
        ("time", lambda: time_element(page.tree, "dateModified")),
    ], crawl_date)


def _iso_day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
