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
  boilerplate.  Pages with the same URL or the same title are one article (an article
  re-crawled on another day, retitled, or listed under two URLs counts once), so a
  paragraph of one article is never removed.
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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from crosspost.common.text import fingerprint, split_paragraphs
from crosspost.common.unionfind import UnionFind
from extract.exceptions import BoilerplateStateError

VERSION = 2
WINDOW_DAYS = 28  # dates before the run date that count
KEEP_DAYS = WINDOW_DAYS + 7  # dates kept in the stored model: reruns within a week stay identical
MIN_ARTICLES = 3
MIN_SHARE = 0.05

Entry = dict  # one page: {"keys": [URL and title keys], "paragraphs": [fingerprints]}


@lru_cache(maxsize=1 << 14)
def paragraph_fingerprint(paragraph: str) -> str:
    """``fingerprint(paragraph)``, remembered: a site's batch fingerprints each paragraph to learn
    it, then again to strip it (a batch of ~8,000 paragraphs fits; a bigger one is only slower)."""
    return fingerprint(paragraph)


def article_keys(record: dict) -> list[str]:
    """What identifies a page's article: its URL and its title (either one shared means the same article)."""
    keys = ["u:" + fingerprint(record.get("url"))]
    return keys + ["t:" + fingerprint(record["title"])] if record.get("title") else keys


def batch_articles(records: Iterable[dict]) -> list[Entry]:
    """One entry per record that carries an article, sorted (so the stored model is deterministic)."""
    entries = [{"keys": article_keys(r),
                "paragraphs": sorted(set(map(paragraph_fingerprint, split_paragraphs(r["text"]))))}
               for r in records if r.get("status") == "ok" and r.get("text")]
    return sorted(entries, key=lambda e: e["keys"])


def group_articles(entries: Iterable[Entry]) -> list[set[str]]:
    """Paragraph fingerprints per distinct article: entries sharing any key are merged (union-find)."""
    entries = list(entries)
    index: dict[str, int] = {}
    for entry in entries:
        for key in entry["keys"]:
            index.setdefault(key, len(index))
    sets = UnionFind(len(index))
    for entry in entries:
        for key in entry["keys"][1:]:
            sets.union(index[entry["keys"][0]], index[key])
    groups: dict[int, set[str]] = {}
    for entry in entries:
        groups.setdefault(sets.find(index[entry["keys"][0]]), set()).update(entry["paragraphs"])
    return list(groups.values())


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
        return self.counts.get(paragraph_fingerprint(paragraph), 0) >= self.threshold


class BoilerplateModel:
    """One site's pages (article keys and paragraph fingerprints) per crawl date: what is persisted."""

    def __init__(self, days: dict[str, list[Entry]] | None = None):
        self.days = dict(days or {})

    def detector(self, day: dt.date, batch: Iterable[Entry] = ()) -> BoilerplateDetector:
        """Counts over the articles of the window before ``day`` plus ``batch`` (the run's own pages)."""
        first, last = (day - dt.timedelta(days=WINDOW_DAYS)).isoformat(), day.isoformat()
        window = [e for d in sorted(self.days) if first <= d < last for e in self.days[d]]
        articles = group_articles(window + list(batch))
        return BoilerplateDetector(Counter(fp for fps in articles for fp in fps), len(articles))

    def update(self, day: dt.date, batch: Iterable[Entry]) -> None:
        """Record (or replace: reruns are idempotent) the pages of ``day``; forget dates long past."""
        self.days[day.isoformat()] = sorted(batch, key=lambda e: e["keys"])
        oldest = (max(dt.date.fromisoformat(d) for d in self.days) - dt.timedelta(days=KEEP_DAYS)).isoformat()
        self.days = {d: entries for d, entries in self.days.items() if d >= oldest}

    def segment(self, day: dt.date) -> bytes:
        """The bytes of a model of ``day``'s pages only: the per-date segment a run of ``day`` stores."""
        return BoilerplateModel({day.isoformat(): self.days.get(day.isoformat(), [])}).to_bytes()

    def merge(self, data: bytes) -> None:
        """Add the dates of a stored model or segment (raises BoilerplateStateError when unreadable)."""
        self.days.update(BoilerplateModel.from_bytes(data).days)

    def to_bytes(self) -> bytes:
        """Deterministic JSON."""
        return json.dumps({"version": VERSION, "days": self.days}, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes | None) -> BoilerplateModel:
        """Read what :meth:`to_bytes` wrote (nothing, or an older version, gives an empty model)."""
        if not data:
            return cls()
        try:
            state = json.loads(data)
            days = state["days"] if state.get("version") == VERSION else {}
            _check(days)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise BoilerplateStateError(f"unreadable boilerplate model: {exc}") from exc
        return cls(days)


def _check(days) -> None:
    """Raise TypeError unless ``days`` is ``{date: [{"keys": [str, ...], "paragraphs": [str, ...]}]}``."""
    for date, entries in days.items():
        dt.date.fromisoformat(date)
        for entry in entries:
            keys, paragraphs = entry["keys"], entry["paragraphs"]
            if not (keys and all(isinstance(k, str) for k in keys) and all(isinstance(p, str) for p in paragraphs)):
                raise TypeError(f"bad entry on {date}")
