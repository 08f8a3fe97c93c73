"""Dates and times as the pipeline reads them: partition days, timestamps, dates written in text
or in URLs. One implementation of each, shared by every stage."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from crosspost.exceptions import ConfigError

UTC = dt.UTC
Day = dt.date | str  # a partition date, as a date or as YYYY-MM-DD
# A dated URL path: /2026/11/18/, /2026-11-18-slug, /20261118/ (then a separator or the end).
_URL_DATE = re.compile(r"/((?:19|20)\d{2})(?:[/-](\d{1,2})[/-](\d{1,2})|(\d{2})(\d{2}))(?=[/_.-]|$)")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
TEXT_DATES = (
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})", re.I), (3, 1, 2)),
    (re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+((?:19|20)\d{2})", re.I), (3, 2, 1)),
    (re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})"), (1, 2, 3)),
)



def day(date: Day) -> str:
    """The partition value for a date: ``YYYY-MM-DD``, whatever form of a date came in.

    Every store key goes through here, so ``20261120`` and ``2026-11-20`` name one partition
    and a date that does not exist (``2026-13-01``) is a ConfigError before any work.
    """
    return parse_day(date).isoformat()


_DATE = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)")


def parse_day(value: Day) -> dt.date:
    """Parse ``YYYY-MM-DD`` (or its basic form ``YYYYMMDD``): the one date normaliser of every
    command, task and store key."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    try:
        return dt.date(*(int(g) for g in match.groups()))  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        raise ConfigError(f"not a date (want YYYY-MM-DD): {value!r}") from None


def parse_iso(value: object) -> dt.datetime | None:
    """An aware UTC datetime from ISO 8601 text (no zone means UTC); None if missing or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    return _utc(parsed)


def parse_timestamp(value: object) -> dt.datetime | None:
    """An aware UTC datetime from ISO 8601, RFC 2822, ``YYYYMMDD`` or a short written date."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    parsed = parse_iso(value) or _rfc2822(value) or _compact(value)
    return _utc(parsed) if parsed is not None else None


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _rfc2822(value: str) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _compact(value: str) -> dt.datetime | None:
    if re.fullmatch(r"(?:19|20)\d{6}", value):
        try:
            return dt.datetime.strptime(value, "%Y%m%d")
        except ValueError:
            return None
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


def url_date(url: str | None) -> dt.date | None:
    """The date in a dated URL path (``/2026/11/18/slug/``, ``/2026-11-18-slug``, ``/20261118/``)."""
    for match in _URL_DATE.finditer(url or ""):
        year, month, mday = match.group(1), match.group(2) or match.group(4), match.group(3) or match.group(5)
        try:
            return dt.date(int(year), int(month), int(mday))
        except ValueError:
            continue
    return None
