"""The report's numbers, computed from a ``ReportData``: who copies whom, how fast, what changes.

A copy is a ``crossposts`` row that is not its cluster's original. Its republisher is the row's
site; its origin is the outlet of the cluster's original (a crawled site), or, for a cluster's
original that itself credits an outlet nobody crawled, that outlet (from the ``clusters`` table's
``origin_*`` columns when the store has them, else from the article's credited source).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crosspost.report.alignment import Alignment, align, shingle_shares
from crosspost.report.data import ReportData

# The relations of ``crossposts`` in the words of the report.
RELATION_LABELS = {"exact": "exact", "excerpt": "excerpt", "truncated": "excerpt", "extended": "extended",
                   "near": "edited", "edited": "edited"}
RELATIONS = ("exact", "excerpt", "extended", "edited")


@dataclass
class Pair:
    """Copies one republisher took from one origin outlet."""

    republisher: str
    origin: str
    crawled: bool
    copies: int = 0
    credited: int = 0
    lags: list[float] = field(default_factory=list)
    url: str | None = None  # an uncrawled origin's URL, when known

    @property
    def median_lag(self) -> float | None:
        """Median hours from original to copy (None when no copy has a lag)."""
        return statistics.median(self.lags) if self.lags else None

    @property
    def credited_share(self) -> float:
        """Share of the copies that credit the original."""
        return self.credited / self.copies if self.copies else 0.0


def copies(data: ReportData) -> list[dict]:
    """The crossposts rows that are not their cluster's original (its current one, when the
    ``clusters`` table says a later night changed it)."""
    return [r for r in data.crossposts if not r.get("is_original") and r["url"] != original_url(data, r)]


def original_url(data: ReportData, row: dict) -> str | None:
    """The URL of a row's original: the cluster's current answer when the store has one."""
    cluster = data.clusters.get(row.get("cluster_id") or "") or {}
    return cluster.get("original_url") or row.get("original_url")


def relation(row: dict) -> str:
    """A row's relation in the report's words (exact / excerpt / extended / edited)."""
    return RELATION_LABELS.get(row.get("relation") or "", row.get("relation") or "unknown")


def host(url: str | None) -> str:
    """host[:port] of a URL ('' for none)."""
    return urlsplit(url).netloc.lower() if url else ""


def site_hosts(data: ReportData) -> dict[str, str]:
    """host -> crawled site, from the articles read."""
    return {host(url): a["site"] for url, a in data.articles.items() if a.get("site")}


def site_of(data: ReportData, url: str | None, hosts: dict[str, str]) -> str:
    """The crawled site a URL belongs to (its host when no article of the range says)."""
    article = data.articles.get(url or "")
    return (article or {}).get("site") or hosts.get(host(url)) or host(url) or "unknown"


def pairs(data: ReportData) -> list[Pair]:
    """Copies per (republisher, origin), most copied first."""
    hosts = site_hosts(data)
    found: dict[tuple[str, str], Pair] = {}
    for row in copies(data):
        pair = _pair(found, row["site"], site_of(data, original_url(data, row), hosts), True)
        pair.copies += 1
        pair.credited += bool(row.get("credits_original"))
        if row.get("lag_hours") is not None:
            pair.lags.append(row["lag_hours"])
    for article, origin, url in uncrawled_origins(data, hosts):
        pair = _pair(found, article["site"], origin, False)
        pair.url = pair.url or url
        pair.copies += 1
        pair.credited += 1
    return sorted(found.values(), key=lambda p: (-p.copies, p.republisher, p.origin))


def _pair(found: dict, republisher: str, origin: str, crawled: bool) -> Pair:
    return found.setdefault((republisher, origin), Pair(republisher, origin, crawled))


def uncrawled_origins(data: ReportData, hosts: dict[str, str]) -> list[tuple[dict, str, str | None]]:
    """(article, outlet, its URL) for every cluster original that credits an outlet no crawled site is."""
    names = {a.get("site_name") for a in data.articles.values()} | set(hosts.values())
    found = []
    for article in data.articles.values():
        if article.get("status", "ok") != "ok" or article.get("is_original") is False:
            continue
        origin = _uncrawled_origin(data.clusters.get(article.get("cluster_id") or ""), article, hosts, names)
        if origin:
            found.append((article, *origin))
    return found


def _uncrawled_origin(cluster: dict | None, article: dict, hosts: dict, names: set) -> tuple | None:
    if cluster and cluster.get("origin_evidence") not in (None, "crawled_original"):
        url, name = cluster.get("origin_url"), cluster.get("origin_name")
    else:
        url, name = article.get("credited_source_url"), article.get("credited_source_name")
    if not (url or name) or host(url) in hosts or (not url and name in names):
        return None
    return name or host(url), url


def matrix(pair_list: list[Pair]) -> tuple[list[str], list[str], dict[tuple[str, str], Pair]]:
    """Rows (republishers, most copies first), columns (origins, most copied first), cells;
    an outlet nobody crawled is labelled so."""
    pair_list = [p if p.crawled else Pair(p.republisher, f"{p.origin} (not crawled)", False, p.copies, p.credited)
                 for p in pair_list]
    by_row: Counter[str] = Counter()
    by_col: Counter[str] = Counter()
    for p in pair_list:
        by_row[p.republisher] += p.copies
        by_col[p.origin] += p.copies
    order = lambda counts: sorted(counts, key=lambda k: (-counts[k], k))  # noqa: E731
    return order(by_row), order(by_col), {(p.republisher, p.origin): p for p in pair_list}


def lags_by_site(data: ReportData) -> dict[str, list[float]]:
    """Hours from the original's publication to each copy, per republisher (known lags only)."""
    found: dict[str, list[float]] = defaultdict(list)
    for row in copies(data):
        if row.get("lag_hours") is not None:
            found[row["site"]].append(row["lag_hours"])
    return dict(sorted(found.items(), key=lambda kv: (statistics.median(kv[1]), kv[0])))


def summary(values: list[float]) -> dict:
    """n, min, quartiles, median and max of some numbers."""
    if not values:
        return {"n": 0}
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    return {"n": len(values), "min": min(values), "p25": q[0], "median": q[1], "p75": q[2], "max": max(values)}


def per_night(data: ReportData) -> list[dict]:
    """Copies per committed night, in total and by relation."""
    counts: dict = {night: Counter() for night in data.nights}
    for row in copies(data):
        counts[row["dt"]][relation(row)] += 1
    return [{"night": night, "copies": sum(c.values()), **{r: c.get(r, 0) for r in RELATIONS}}
            for night, c in counts.items()]


def relations_by_site(data: ReportData) -> dict[str, Counter]:
    """Copies per relation, per republisher (most copies first)."""
    found: dict[str, Counter] = defaultdict(Counter)
    for row in copies(data):
        found[row["site"]][relation(row)] += 1
    return dict(sorted(found.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))


def alignment_of(data: ReportData, row: dict) -> Alignment | None:
    """How a copy's text lines up with its original's (None when a text is not in the range)."""
    original = (data.articles.get(original_url(data, row) or "") or {}).get("text")
    text = (data.articles.get(row["url"]) or {}).get("text")
    if original is None or text is None:
        return None
    stored = row.get("spans") if original_url(data, row) == row.get("original_url") else None
    return align(original, text, stored)


def kept_added(data: ReportData, row: dict) -> tuple[float | None, float | None]:
    """A copy's kept and added shares: the stored columns, else estimated from the texts."""
    if row.get("kept_share") is not None and row.get("added_share") is not None:
        return row["kept_share"], row["added_share"]
    original = (data.articles.get(original_url(data, row) or "") or {}).get("text")
    text = (data.articles.get(row["url"]) or {}).get("text")
    return shingle_shares(original, text) if original is not None and text is not None else (None, None)


def changes_by_site(data: ReportData) -> list[dict]:
    """Per republisher: copies, median kept and added shares, title changes."""
    found: dict[str, dict] = {}
    for row in copies(data):
        entry = found.setdefault(row["site"], {"site": row["site"], "copies": 0, "kept": [], "added": [],
                                              "titles_changed": 0})
        entry["copies"] += 1
        entry["titles_changed"] += bool(row.get("title_changed"))
        kept, added = kept_added(data, row)
        if kept is not None:
            entry["kept"].append(kept)
            entry["added"].append(added)
    return [_change_row(e) for e in sorted(found.values(), key=lambda e: (-e["copies"], e["site"]))]


def _change_row(entry: dict) -> dict:
    median = lambda v: statistics.median(v) if v else None  # noqa: E731
    return {"site": entry["site"], "copies": entry["copies"], "measured": len(entry["kept"]),
            "kept_median": median(entry["kept"]), "added_median": median(entry["added"]),
            "titles_changed": entry["titles_changed"], "titles_share": entry["titles_changed"] / entry["copies"]}


def stored_alignment(data: ReportData) -> bool:
    """Whether the partitions carry the alignment columns (else the report measures a word diff)."""
    return any(r.get("spans") is not None or r.get("kept_share") is not None for r in copies(data))
