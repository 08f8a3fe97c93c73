"""Article URLs found during discovery, held until every sitemap and feed has been read.

Scrapy answers requests in whatever order the network gives, so a URL listed by a feed (its
``pubDate``) and by a sitemap (its ``lastmod``) would otherwise be judged by whichever answer
came first: inside the date window on one run, outside it on the next, with a different
``listed_date``. Collecting every listing of a URL first and deciding once makes the crawl of
a date the same on every run (and so its partition: the reruns and backfills are compared).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Which source a URL is reported as discovered by when several list it (fixed, not arrival order).
SOURCE_ORDER = ("sitemap", "feed", "home", "listing")


@dataclass
class Candidate:
    """Every listing of one normalised article URL: the raw spellings, dates and sources."""

    raw_urls: set[str] = field(default_factory=set)
    dates: set[dt.date] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    def source(self) -> str:
        """The source the URL counts as discovered by."""
        return min(self.sources, key=lambda s: SOURCE_ORDER.index(s) if s in SOURCE_ORDER else len(SOURCE_ORDER))

    def date_in(self, window: tuple[dt.date, dt.date], url_date: dt.date | None) -> tuple[bool, dt.date | None]:
        """(in the window?, the date to record): in the window when ANY listing dates it there
        (the earliest such date, the publication claim, is recorded); a URL no listing dates
        is judged by the date in its path, and is in the window when it has none."""
        dates = self.dates or ({url_date} if url_date else set())
        if not dates:
            return True, None
        inside = sorted(d for d in dates if window[0] <= d <= window[1])
        return (True, inside[0]) if inside else (False, min(dates))


class Candidates:
    """The article URLs waiting for a decision, by normalised URL."""

    def __init__(self) -> None:
        self.pending: dict[str, Candidate] = {}
        self.sources: set[str] = set()  # every source that listed an article so far

    def add(self, key: str, raw_url: str, when: dt.date | None, source: str) -> None:
        """Record one listing of ``key``."""
        candidate = self.pending.setdefault(key, Candidate())
        candidate.raw_urls.add(raw_url)
        candidate.sources.add(source)
        self.sources.add(source)
        if when is not None:
            candidate.dates.add(when)

    def take(self) -> list[tuple[str, Candidate]]:
        """Every pending candidate, in a fixed order (so a ``max_pages`` cap keeps the same pages:
        the newest listed first, then by URL), leaving none pending."""
        taken = sorted(self.pending.items(), key=lambda kv: (-max((d.toordinal() for d in kv[1].dates), default=0),
                                                           kv[0]))
        self.pending = {}
        return taken
