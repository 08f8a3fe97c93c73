"""Publication and modification dates, each with the evidence that gave it.

Evidence is tried from the most to the least explicit: JSON-LD, meta tags, ``<time>``
elements, the URL, the sitemap/feed date the crawler saw, and htmldate's heuristics.
A date after the crawl day or before 1995 is rejected and the next evidence is tried.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

EARLIEST = dt.datetime(1995, 1, 1, tzinfo=dt.timezone.utc)
UTC = dt.timezone.utc

PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                  "publish-date", "publication_date", "parsely-pub-date", "sailthru.date", "dc.date.issued",
                  "dcterms.created", "dc.date", "date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified",
                 "dcterms.modified", "last-modified")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
TEXT_DATES = (
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})", re.I), (3, 1, 2)),
    (re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+((?:19|20)\d{2})", re.I), (3, 2, 1)),
    (re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})"), (1, 2, 3)),
)


def parse_timestamp(value) -> dt.datetime | None:
    """An aware UTC datetime from ISO 8601 or RFC 2822 text (no zone means UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    parsed = _iso(value) or _rfc2822(value) or _compact(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _iso(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None


def _rfc2822(value: str) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _compact(value: str) -> dt.datetime | None:
    if re.fullmatch(r"(?:19|20)\d{6}", value):
        return dt.datetime.strptime(value, "%Y%m%d")
    return text_date(value) if len(value) < 40 else None


def text_date(text: str) -> dt.datetime | None:
    """The first written date in ``text`` (``September 20, 2025``, ``20 Sept 2025``, ``2025-09-20``)."""
    for pattern, (y, m, d) in TEXT_DATES:
        match = pattern.search(text)
        if match:
            month = match.group(m)
            month = _MONTHS[month[:3].lower()] if not month.isdigit() else int(month)
            try:
                return dt.datetime(int(match.group(y)), month, int(match.group(d)), tzinfo=UTC)
            except ValueError:
                continue
    return None


def url_date(url: str | None) -> str | None:
    """``YYYY-MM-DD`` from a dated URL path (``/2026/11/18/slug/``)."""
    match = _URL_DATE.search(url or "")
    return "-".join(match.groups()) if match else None


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
        if plausible(when, crawl_date):
            return format_utc(when), evidence
    return None, None


def format_utc(when: dt.datetime) -> str:
    """``2026-11-18T09:30:00Z``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def time_element(tree, prop: str) -> str | None:
    """``datetime`` of the ``<time>`` marked ``prop`` (or the first one inside an article)."""
    values = tree.xpath(f"//*[@itemprop='{prop}']/@datetime | //*[@itemprop='{prop}']/@content")
    if not values and prop == "datePublished":
        values = tree.xpath("//time[@pubdate]/@datetime | //article//time/@datetime")
    if not values and prop == "datePublished":
        values = tree.xpath("//time/@datetime")
        values = values if len(values) == 1 else []  # several: a listing or sidebar, not the byline
    return values[0] if values else None


def htmldate(tree, url: str, crawl_date: dt.date | None, original: bool):
    """A thunk running htmldate's heuristics (only called when nothing better was found)."""
    def run():
        """htmldate's answer as ``YYYY-MM-DD`` (None when it finds nothing plausible)."""
        from htmldate import find_date

        params = {"extensive_search": True, "original_date": original, "min_date": "1995-01-01",
                  "outputformat": "%Y-%m-%d", "url": url}
        if crawl_date is not None:
            params["max_date"] = crawl_date.isoformat()  # inclusive: day precision
        try:
            return find_date(tree, **params)
        except (ValueError, TypeError):
            return None
    return run


def published(page, crawl_date: dt.date | None, listed_date: str | None) -> tuple[str | None, str | None]:
    """``(published_at, evidence)``."""
    return pick_date([
        ("json-ld", page.ld.get("datePublished")),
        ("meta", page.first_meta(*PUBLISHED_META)),
        ("time", lambda: time_element(page.tree, "datePublished")),
        ("url", url_date(page.url)),
        ("sitemap/feed", listed_date),
        ("htmldate", htmldate(page.tree, page.url, crawl_date, original=True)),
    ], crawl_date)


def modified(page, crawl_date: dt.date | None) -> tuple[str | None, str | None]:
    """``(modified_at, evidence)`` (no heuristics: an unknown update time stays unknown)."""
    return pick_date([
        ("json-ld", page.ld.get("dateModified")),
        ("meta", page.first_meta(*MODIFIED_META)),
        ("time", lambda: time_element(page.tree, "dateModified")),
    ], crawl_date)
