"""Credits as evidence: which member is a cluster's original, where the article came from, and
the pages linked to the page they credit although too short or too padded for MinHash.

What a page credits comes from extraction (``credited_source_url`` / ``credited_source_name``:
an attribution line, JSON-LD, a cross-domain canonical). Here it is weighed:

- **original**: a member whose URL another member credits (``credited_url``); else a member
  whose outlet a credit names, when the names point at exactly one site's members
  (``credited_name``: "Originally published by The Example Daily", no link); else the
  earliest published (``earliest_published``), else the earliest fetched (``earliest_fetched``),
  among the members with at least half the words of the longest (a teaser is not the original
  of the text it was cut from).
  A credit chain (C credits B, B credits A) ends at the member that credits no other member.
- **origin**: where the article came from, crawled or not. The original's own credit of a
  page outside the cluster (Global Research's "The original source of this article is RT
  News" with RT's URL, RT not crawled) wins; else the crawled original when members credit
  it; else the credit most members share; else the original itself (``crawled_original``).
- **credit edges**: a page that credits a crawled page by URL and whose shingles are mostly
  found there (``CREDIT_CONTAINMENT``, even at low Jaccard) is a copy of it, whatever its
  length: a teaser ("the first 30-40%, then Read the full article at ...") with a promo and
  a disclaimer around it.
"""

from __future__ import annotations

import collections
import functools
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import numpy as np

from crosspost.common import urls
from crosspost.common.records import Record
from crosspost.common.text import normal_key
from crosspost.dedupe.minhash import ACCEPT_CONTAINMENT, Edge, overlap

if TYPE_CHECKING:  # clusters imports this module
    from crosspost.dedupe.clusters import Member
    from crosspost.dedupe.signature_index import History

# A crediting page at most half the size of the credited page (or of another page crediting
# the same URL) is an excerpt of it if this share of its shingles is found there, and at
# least CREDIT_MIN_SHARED of them: a teaser plus a promo paragraph and a disclaimer stays
# above 0.6; a follow-up that links its source and quotes two paragraphs stays below.
CREDIT_CONTAINMENT = 0.6
CREDIT_MIN_SHARED = 8
TEASER_SHARE = 0.5  # a member with less than this share of the longest member's words is a teaser
MAX_GROUP = 50  # pages crediting one URL compared pairwise: beyond this, it is a homepage or a section


@functools.lru_cache(maxsize=1 << 18)
def normalize(url: str) -> str:
    """``crawler.urls.normalize``, cached: the same URLs come back for every member."""
    return urls.normalize(url)


def host(url: str | None) -> str:
    """Host without ``www.`` (and without the port)."""
    name = (urlparse(url or "").hostname or "").lower()
    return name[4:] if name.startswith("www.") else name


def outlet_names(meta: Record) -> set[str]:
    """Normalised names a credit may give a member's outlet: its ``site_name``, the sites file's
    name, its host, and the host's first label (``exampledaily`` of ``exampledaily.com``)."""
    h = host(meta.get("url"))
    names = {normal_key(n) for n in (meta.get("site_name"), meta.get("site"), h, h.split(".")[0] if h else None) if n}
    return (names | {n.replace(" ", "") for n in names}) - {""}


def named(name: str | None, outlets: set[str]) -> bool:
    """Whether a credited name is one of ``outlets`` ("Live Science" is ``livescience.com``'s)."""
    key = normal_key(name)
    return bool(key) and (key in outlets or key.replace(" ", "") in outlets)


def credited_url(m: Member) -> str | None:
    """The normalised URL a member credits, unless it credits itself."""
    url = m.meta.get("credited_source_url")
    key = normalize(url) if url else None
    return key if key and key != m.key else None


def choose_original(members: list[Member]) -> tuple[Member, str]:
    """The original member of a cluster and the evidence that chose it."""
    keys = {m.key for m in members}
    named = {credited_url(m) for m in members} & keys
    if named:
        by_url = [m for m in members if m.key in named]
        roots = [m for m in by_url if credited_url(m) not in keys] or by_url
        return min(roots, key=lambda m: m.age()), "credited_url"
    by_name = _credited_by_name(members)
    if by_name:
        return min(by_name, key=lambda m: m.age()), "credited_name"
    # A teaser is never the original of the fuller text it was cut from, whatever its date.
    longest = max(m.n_words for m in members)
    first = min((m for m in members if m.n_words >= TEASER_SHARE * longest), key=lambda m: m.age())
    known = bool(first.age()[0][2])  # published_order's ISO time: "" when unknown or unreadable
    return first, "earliest_published" if known else "earliest_fetched"


def _credited_by_name(members: list[Member]) -> list[Member]:
    """Members of the one site whose outlet the members' name-only credits name (else none)."""
    found = []
    for m in members:
        name = m.meta.get("credited_source_name")
        if name and not credited_url(m):
            found += [x for x in members if x is not m and named(name, outlet_names(x.meta))]
    return found if len({x.meta.get("site") or host(x.url) for x in found}) == 1 else []


def origin(members: list[Member], original: Member, evidence: str) -> Record:
    """``origin_url``, ``origin_name``, ``origin_evidence`` of a cluster (see the module doc)."""
    keys = {m.key for m in members}
    outlets = set().union(*(outlet_names(m.meta) for m in members))
    own = _external(original, keys, outlets)
    if own:
        return own
    if evidence in ("credited_url", "credited_name") or len(members) == 1:
        return _crawled(original)
    found = [c for c in (_external(m, keys, outlets) for m in members) if c]
    with_url = [c for c in found if c["origin_url"]]
    if with_url or found:
        pool = with_url or found
        common = collections.Counter(c["origin_url"] or c["origin_name"] for c in pool).most_common(1)[0][0]
        return next(c for c in pool if (c["origin_url"] or c["origin_name"]) == common)
    return _crawled(original)


def _external(m: Member, keys: set[str], outlets: set[str]) -> Record | None:
    """A member's credit of a source outside the cluster, as origin fields (None if it has none)."""
    url, name = credited_url(m), m.meta.get("credited_source_name")
    if url and url not in keys:
        return {"origin_url": m.meta["credited_source_url"], "origin_name": name or host(url),
                "origin_evidence": "credited_url"}
    if not m.meta.get("credited_source_url") and name and not named(name, outlets):
        return {"origin_url": None, "origin_name": name, "origin_evidence": "credited_name"}
    return None


def _crawled(original: Member) -> Record:
    return {"origin_url": original.url, "origin_name": original.meta.get("site_name") or original.meta.get("site"),
            "origin_evidence": "crawled_original"}


def credit_edges(docs: list[Member], sketch: Callable[[int], np.ndarray],
                 history: History | None = None) -> list[Edge]:
    """Edges between a page and the crawled page it credits by URL, tonight's or an earlier
    night's; for an uncrawled credited URL, between the pages that credit it (two copies of one
    source); each when enough of the smaller text is found in the larger (``_checked``).
    ``sketch(i)``: tonight's doc i's shingle hashes."""
    tonight: dict[str, list[int]] = collections.defaultdict(list)  # URL -> docs that are it or credit it
    for i, d in enumerate(docs):
        tonight[d.key].append(i)
        if credits := credited_url(d):
            tonight[credits].append(i)
    earlier = _history_by_url(history)
    keys = {d.key for d in docs}
    edges: list[Edge] = []
    for url, group in tonight.items():
        rows = earlier.get(url, [])
        if len(group) + len(rows) > MAX_GROUP:  # a homepage credited by everyone: no evidence of copying
            continue
        crawled = url in keys or (history is not None and url in history.rows_by_key)
        pairs = [(a, b, False) for a, b in itertools.combinations(group, 2)]
        pairs += [(a, r, True) for a in group for r in rows]
        for a, b, old in pairs:
            # a copy of a crawled page is linked to the page itself, not to its other copies: a
            # follow-up quoting the part a teaser kept must not join through the teaser
            other = (history.keys[b], history.sketch(b)) if old and history is not None else (docs[b].key, None)
            if crawled and url not in (docs[a].key, other[0]):
                continue
            if edge := _checked(a, b, old, sketch(a), other[1] if other[1] is not None else sketch(b)):
                edges.append(edge)
    return edges


def _history_by_url(history: History | None) -> dict[str, list[int]]:
    """URL -> earlier rows that are it or credit it."""
    found: dict[str, list[int]] = collections.defaultdict(list)
    if history is None or not len(history):
        return found
    for row, (key, url) in enumerate(zip(history.keys, history.meta["credited_source_url"])):
        found[key].append(row)
        if url and normalize(url) != key:
            found[normalize(url)].append(row)
    return found


def _checked(a: int, b: int, earlier: bool, mine: np.ndarray, theirs: np.ndarray) -> Edge | None:
    """The edge if the smaller text is mostly in the larger: an excerpt (at most half its size)
    at ``CREDIT_CONTAINMENT``, anything else at the ordinary ``ACCEPT_CONTAINMENT`` (a page that
    quotes half of a short article it credits is a follow-up, not a copy)."""
    shared = overlap(mine, theirs)
    small, big = sorted((len(mine), len(theirs)))
    need = CREDIT_CONTAINMENT if small <= TEASER_SHARE * big else ACCEPT_CONTAINMENT
    if not small or shared < min(CREDIT_MIN_SHARED, small) or shared < need * small:
        return None
    return Edge(a, b, earlier, "credited", shared / (len(mine) + len(theirs) - shared), shared / small)
