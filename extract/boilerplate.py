"""Per-site boilerplate learning: paragraphs that repeat across many of one site's articles.

A site's promo blocks, appeals, disclaimers and author bios come out of trafilatura as
ordinary paragraphs, but they repeat page after page; article text does not.  The model
keeps, per crawl date, which paragraph fingerprints each article of the site had.  For a
run of date ``D`` it counts, over the articles of the ``WINDOW_DAYS`` dates before ``D``
plus the run's own batch, in how many DISTINCT articles each paragraph appears.

A paragraph is boilerplate when it appears in at least ``MIN_ARTICLES`` (3) distinct
articles AND in at least ``MIN_SHARE`` (5%) of the articles counted:

- 3, not 2: an article and its follow-up, or two stories quoting the same statement, share
  paragraphs legitimately; three unrelated articles sharing a paragraph verbatim is
  boilerplate.  Articles are told apart by title (an article re-crawled on another day, or
  listed under two URLs, counts once), so a paragraph of one article is never removed.
- 5% on top: on a big site three articles are a tiny share, and a background paragraph of a
  running story may repeat that often; a site-wide block repeats on far more than 5% of
  pages (and section- or author-specific blocks usually on more than 5% too).

Learning is per site: a copy and its original on two sites never count together.  Only
dates before ``D`` and the batch itself are used, so rerunning a date gives the same text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from extract.exceptions import BoilerplateStateError
from extract.text import fingerprint, split_paragraphs

VERSION = 1
WINDOW_DAYS = 28  # dates before the run date that count
KEEP_DAYS = 2 * WINDOW_DAYS  # dates kept in the stored model: reruns of recent dates stay identical
MIN_ARTICLES = 3
MIN_SHARE = 0.05

Articles = Mapping[str, Iterable[str]]  # article key -> paragraph fingerprints


def article_key(record: dict) -> str:
    """What tells two articles apart: the title (else the URL)."""
    return fingerprint(record.get("title")) if record.get("title") else "url:" + fingerprint(record.get("url"))


def batch_articles(records: Iterable[dict]) -> dict[str, list[str]]:
    """``{article key: sorted paragraph fingerprints}`` of the records that carry an article."""
    out: dict[str, set[str]] = {}
    for record in records:
        if record.get("status") == "ok" and record.get("text"):
            out.setdefault(article_key(record), set()).update(map(fingerprint, split_paragraphs(record["text"])))
    return {key: sorted(fps) for key, fps in sorted(out.items())}


@dataclass(frozen=True)
class BoilerplateDetector:
    """Paragraph counts over distinct articles, frozen for one run."""

    counts: Counter
    articles: int

    @property
    def threshold(self) -> int:
        """Distinct articles a paragraph must appear in to be boilerplate."""
        return max(MIN_ARTICLES, math.ceil(MIN_SHARE * self.articles))

    def is_boilerplate(self, paragraph: str) -> bool:
        """Whether ``paragraph`` repeats across enough of the site's articles."""
        return self.counts.get(fingerprint(paragraph), 0) >= self.threshold


class BoilerplateModel:
    """One site's paragraph fingerprints per crawl date (what is persisted between runs)."""

    def __init__(self, days: dict[str, dict[str, list[str]]] | None = None):
        self.days = dict(days or {})

    def detector(self, day: dt.date, batch: Articles = ()) -> BoilerplateDetector:
        """Counts over the articles of the window before ``day`` plus ``batch`` (the run's own pages)."""
        first = (day - dt.timedelta(days=WINDOW_DAYS)).isoformat()
        merged: dict[str, set[str]] = {}
        for date in sorted(d for d in self.days if first <= d < day.isoformat()):
            for key, fps in self.days[date].items():
                merged.setdefault(key, set()).update(fps)
        for key, fps in dict(batch).items():
            merged.setdefault(key, set()).update(fps)
        return BoilerplateDetector(Counter(fp for fps in merged.values() for fp in fps), len(merged))

    def update(self, day: dt.date, batch: Articles) -> None:
        """Record (or replace: reruns are idempotent) the articles of ``day``; forget dates long past."""
        self.days[day.isoformat()] = {key: sorted(set(fps)) for key, fps in sorted(dict(batch).items())}
        newest = max(dt.date.fromisoformat(d) for d in self.days)
        oldest = (newest - dt.timedelta(days=KEEP_DAYS)).isoformat()
        self.days = {d: v for d, v in self.days.items() if d >= oldest}

    def to_bytes(self) -> bytes:
        """Deterministic JSON."""
        return json.dumps({"version": VERSION, "days": self.days}, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes | None) -> "BoilerplateModel":
        """Read what :meth:`to_bytes` wrote (nothing, or an older version, gives an empty model)."""
        if not data:
            return cls()
        try:
            state = json.loads(data)
            days = state["days"] if state.get("version") == VERSION else {}
            if not isinstance(days, dict):
                raise TypeError("days is not an object")
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise BoilerplateStateError(f"unreadable boilerplate model: {exc}") from exc
        return cls(days)
