"""Article URLs found during discovery, held until every sitemap and feed has been read.

Scrapy answers requests in whatever order the network gives, so a URL listed by a feed (its
``pubDate``) and by a sitemap (its ``lastmod``) would otherwise be judged by whichever answer
came first: inside the date window on one run, outside it on the next, with a different
``listed_date``. Collecting every listing of a URL first and deciding once makes the crawl of
a date the same on every run (and so its partition: the reruns and backfills are compared).
"""

from __future__ import annotations

import datetime as dt

# Which source a URL is reported as discovered by when several list it (fixed, not arrival order).
SOURCE_ORDER = ("sitemap", "feed", "home", "listing")


class Candidate:
    """What the listings of one normalised article URL said, kept small (a big site's sitemaps
    list hundreds of thousands of URLs): its spellings, its best source, its dates."""

    __slots__ = ("raw_urls", "rank", "earliest", "inside")

    def __init__(self) -> None:
        self.raw_urls: str | set[str] = ""  # one spelling as a str; a set once there are more
        self.rank = len(SOURCE_ORDER)
        self.earliest: dt.date | None = None  # of every listing date
        self.inside: dt.date | None = None  # the earliest listing date inside ``window``

    def add(self, raw_url: str, when: dt.date | None, source: str, window: tuple[dt.date, dt.date]) -> None:
        """Record one listing."""
        if not self.raw_urls:
            self.raw_urls = raw_url
        elif raw_url != self.raw_urls and not isinstance(self.raw_urls, set):
            self.raw_urls = {self.raw_urls, raw_url}
        elif isinstance(self.raw_urls, set):
            self.raw_urls.add(raw_url)
        self.rank = min(self.rank, SOURCE_ORDER.index(source) if source in SOURCE_ORDER else len(SOURCE_ORDER))
        if when is not None:
            self.earliest = min(self.earliest or when, when)
            if window[0] <= when <= window[1]:
                self.inside = min(self.inside or when, when)

    def spellings(self) -> set[str]:
        """The raw URLs that listed it."""
        return self.raw_urls if isinstance(self.raw_urls, set) else {self.raw_urls}

    def source(self) -> str:
        """The source the URL counts as discovered by."""
        return SOURCE_ORDER[self.rank] if self.rank < len(SOURCE_ORDER) else "other"

    def date_in(self, window: tuple[dt.date, dt.date], url_date: dt.date | None) -> tuple[bool, dt.date | None]:
        """(in the window?, the date to record): in the window when ANY listing dates it there
        (the earliest such date, the publication claim, is recorded); a URL no listing dates
        is judged by the date in its path, and is in the window when it has none."""
        if self.earliest is None:
            return url_date is None or window[0] <= url_date <= window[1], url_date
        return (True, self.inside) if self.inside else (False, self.earliest)


class Candidates:
    """The article URLs waiting for a decision, by normalised URL."""

    def __init__(self, window: tuple[dt.date, dt.date]) -> None:
        self.window = window
        self.pending: dict[str, Candidate] = {}
        self.sources: set[str] = set()  # every source that listed an article so far

    def add(self, key: str, raw_url: str, when: dt.date | None, source: str) -> None:
        """Record one listing of ``key``."""
        candidate = self.pending.get(key)
        if candidate is None:
            candidate = self.pending[key] = Candidate()
        candidate.add(raw_url, when, source, self.window)
        self.sources.add(source)

    def take(self) -> list[tuple[str, Candidate]]:
        """Every pending candidate, in a fixed order (so a ``max_pages`` cap keeps the same pages:
        the newest listed first, then by URL), leaving none pending."""
        taken = sorted(self.pending.items(), key=lambda kv: (-_newest(kv[1]), kv[0]))
        self.pending = {}
        return taken


def _newest(candidate: Candidate) -> int:
    """The ordinal of the date a candidate is fetched under (0: undated), for newest-first order."""
    when = candidate.inside or candidate.earliest
    return when.toordinal() if when else 0
