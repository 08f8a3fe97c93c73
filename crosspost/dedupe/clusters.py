"""Clusters of one night (joined to earlier nights' clusters), each cluster's original, and how
every copy relates to it.

- ``cluster_id`` is derived from the URL of the cluster's first-seen member, so a copy
  that arrives nights later joins the old cluster and keeps its id.
- The original is the member whose URL another member credits as its source, else the
  member whose outlet a name-only credit names, else the earliest published (a date without
  a time of day counts as the end of that day), else the earliest fetched; ties by URL
  (``crosspost.credits``). Members from earlier nights take part, so an old original stays
  the original unless a newcomer is credited by the others or was published earlier.
- A page that credits a crawled page by URL and is mostly contained in it joins it, however
  short or padded (``credits.credit_edges``): a teaser is an ``excerpt``.
- Every cluster touched tonight gets a state row (``Night.clusters``): its current original,
  the evidence for it, its size and its upstream origin, crawled or not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from crosspost.common.dates import parse_iso
from crosspost.common.records import PROVENANCE_FIELDS, Record
from crosspost.common.unionfind import UnionFind
from crosspost.dedupe import credits as credit
from crosspost.dedupe.align_helper import AlignHelper, shared
from crosspost.dedupe.credits import normalize
from crosspost.dedupe.minhash import BatchSigner, Signature, overlap, sign, sign_batch, verified_edges

if TYPE_CHECKING:  # the history imports this module
    from crosspost.dedupe.signature_index import History

_FAR_FUTURE = "9999-12-31T23:59:59Z"
# relation(): "exact" if one text holds the other whole (WHOLE) and is at most EXTRA longer
# (a credit line: max of 20 shingles and 3%); "truncated" if the copy is clearly shorter and
# almost all of it is in the original; "extended" if it is more than EXTRA longer and holds
# almost all of the original; else "near" (edited words).
WHOLE, EXTRA_SHINGLES, EXTRA_SHARE = 0.995, 20, 0.03
SHORTER, INSIDE = 0.90, 0.90

# "excerpt": a teaser, at most half the original, most of it found there (a promo or a
# "Read the full article at" line around it).
EXCERPT, EXCERPT_INSIDE = 0.5, credit.CREDIT_CONTAINMENT


# What provenance needs of a record (and what the signature index keeps of every article).
META = PROVENANCE_FIELDS


@dataclass
class Member:
    """What provenance needs of one article, from tonight's records or from the history."""

    key: str
    url: str
    exact: str
    n_words: int
    meta: Record
    pos: int | None = None  # position among tonight's docs
    row: int | None = None  # row of the history
    _age: tuple[Any, ...] | None = field(default=None, repr=False, compare=False)

    def age(self) -> tuple[Any, ...]:
        """Sort key: earliest published, then earliest fetched, then URL; history first."""
        if self._age is None:
            self._age = (published_order(self.meta.get("published_at")), _utc_text(self.meta.get("fetched_at")),
                         self.key, self.pos is not None)
        return self._age


@dataclass
class Night:
    """A night's dedupe result: its docs (one per normalised URL), signatures and assignments."""

    docs: list[Member]
    sigs: list[Signature]
    minhash: np.ndarray
    assignments: list[Record] = field(default_factory=list)
    # one state row per cluster touched tonight (the ``clusters`` table without the dates)
    clusters: list[Record] = field(default_factory=list)


def cluster_id_for(url: str) -> str:
    """A stable id derived from the URL of the cluster's first-seen member."""
    return _cluster_id(normalize(url))


def _cluster_id(key: str) -> str:
    return "c" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def make_docs(records: list[Record], signed_batches: BatchSigner | None = None
              ) -> tuple[list[Member], list[Signature], np.ndarray, dict[str, int]]:
    """One doc per normalised URL among records with text (the first record wins), their
    signatures, MinHash matrix, and every raw URL's doc position (``signed_batches``: see minhash.sign)."""
    chosen: dict[str, Record] = {}
    aliases: dict[str, str] = {}
    for rec in records:
        if rec.get("status") == "ok" and rec.get("text"):
            key = normalize(rec["url"])
            chosen.setdefault(key, rec)
            aliases.setdefault(rec["url"], key)
    keys = list(chosen)
    sigs, mh = sign((chosen[k]["text"] for k in keys), signed_batches)
    docs = [Member(k, chosen[k]["url"], s.exact, s.n_words, {m: chosen[k].get(m) for m in META}, pos=i)
            for i, (k, s) in enumerate(zip(keys, sigs))]
    position = {k: i for i, k in enumerate(keys)}
    return docs, sigs, mh, {url: position[key] for url, key in aliases.items()}


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    # A night creates ~10^5 small acyclic objects (docs, assignments): the cyclic collector
    # would rescan the growing heap over and over for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def dedupe_records(records: list[Record], history: History | None = None, helper: AlignHelper | None = None
                   ) -> Night:
    """Cluster a night's records (against ``history``, a ``signature_index.History``, if given);
    ``helper``, a crosspost.dedupe.align_helper.AlignHelper, signs batches of texts too."""
    with _no_cyclic_gc():
        return _dedupe_records(records, history, helper)


def _dedupe_records(records: list[Record], history: History | None, helper: AlignHelper | None) -> Night:
    docs, sigs, mh, aliases = make_docs(records, _signed_with(helper) if helper else None)
    night = Night(docs, sigs, mh)
    by_pos: dict[int, Record] = {}
    for members, anchor in cluster(night, history):
        for a in _group_assignments(night, members, anchor, history):
            if "_cluster" in a:
                night.clusters.append(a.pop("_cluster"))
            by_pos[a.pop("_pos")] = a
    night.clusters.sort(key=lambda c: c["cluster_id"])
    night.assignments = sorted(({**by_pos[pos], "url": url} for url, pos in aliases.items()),
                               key=lambda a: (a["cluster_id"], a["url"]))
    return night


def _signed_with(helper: AlignHelper) -> BatchSigner:
    """Batches of texts signed here and by ``helper`` (from either end of the list), in order."""
    return lambda batches: shared(sign_batch, [(batch,) for batch in batches], helper)


def assign_clusters(records: list[Record], history: History | None = None) -> list[Record]:
    """One assignment per record with text: cluster, original and relation to it."""
    return dedupe_records(records, history).assignments


def cluster(night: Night, history: History | None = None) -> list[tuple[list[int], str | None]]:
    """Groups of tonight's doc positions, each with the earlier cluster it joins (or None).

    Verified edges are merged strongest first (same URL, exact, then by Jaccard); an edge
    that would merge two earlier clusters is skipped, so a new doc joins the earlier
    cluster it matches best and published cluster ids never change."""
    keys = [d.key for d in night.docs]
    edges = verified_edges(keys, night.sigs, night.minhash, history)
    edges += credit.credit_edges(night.docs, lambda i: night.sigs[i].sketch, history)
    old_keys = history.keys if history is not None else []
    old_clusters = history.cluster_id if history is not None else []  # edges to history need one
    n = len(keys)
    nodes: dict[str, int] = {}
    for e in edges:
        if e.earlier:
            nodes.setdefault(old_clusters[e.b], n + len(nodes))
    uf = UnionFind(n + len(nodes), {node: cid for cid, node in nodes.items()})
    for e in sorted(edges, key=lambda e: e.rank(keys, old_keys)):
        uf.union(e.a, nodes[old_clusters[e.b]] if e.earlier else e.b)
    groups = [([m for m in members if m < n], uf.anchor.get(root)) for root, members in uf.groups().items()]
    return [g for g in groups if g[0]]


def _group_assignments(night: Night, members: list[int], anchor: str | None,
                       history: History | None) -> list[Record]:
    new = [night.docs[m] for m in members]
    old = [history.member(r) for r in history.members(anchor)] if anchor and history is not None else []
    if len(new) == 1 and not old:  # a cluster of one, the common case: it is its own original
        original, evidence, cid, size = new[0], credit.choose_original(new)[1], _cluster_id(new[0].key), 1
    else:
        cid = anchor or _cluster_id(min(new, key=Member.age).key)
        original, evidence = credit.choose_original(old + new)
        size = len({m.key for m in old + new})
    rows = [{**assignment(m, original, cid, size, night, history), "original_evidence": evidence} for m in new]
    first_seen = min((history.row_dates[m.row] for m in old if m.row is not None), default=None) if history else None
    rows[0]["_cluster"] = {"cluster_id": cid, "original_url": original.url, "original_evidence": evidence,
                           "size": size, "first_seen": first_seen, **credit.origin(old + new, original, evidence)}
    return rows


def pick_original(members: list[Member]) -> Member:
    """The credited member (by URL, else by outlet name), else the earliest published, else the
    earliest fetched; ties by URL (``credits.choose_original`` also says which evidence chose it)."""
    return credit.choose_original(members)[0]


def assignment(m: Member, original: Member, cid: str, size: int, night: Night,
               history: History | None) -> Record:
    """The assignment row of tonight's doc ``m``."""
    meta, orig = m.meta, original.meta
    row = {"_pos": m.pos, "url": m.url, "site": meta.get("site"), "cluster_id": cid, "cluster_size": size,
           "original_url": orig["url"], "is_original": m.key == original.key}
    if row["is_original"]:  # itself, or its own earlier sighting
        return {**row, "relation": "original", "similarity": 1.0, "jaccard": 1.0, "containment": 1.0,
                "lag_hours": lag_hours(orig.get("published_at"), meta.get("published_at")),
                "credits_original": None, "title_changed": _title(meta) != _title(orig)}
    jac, cont, rel = _relation_to(m, original, night, history)
    return {**row, "relation": rel, "similarity": round(jac, 4), "jaccard": round(jac, 4),
            "containment": round(cont, 4), "lag_hours": lag_hours(orig.get("published_at"), meta.get("published_at")),
            "credits_original": credits(meta, orig), "title_changed": _title(meta) != _title(orig)}


def _title(meta: Record) -> str:
    return (meta.get("title") or "").strip()


def _relation_to(m: Member, original: Member, night: Night,
                 history: History | None) -> tuple[float, float, str]:
    if m.exact == original.exact:
        return 1.0, 1.0, "exact"
    assert m.pos is not None  # m is one of tonight's docs
    mine = night.sigs[m.pos].sketch
    if original.pos is not None:
        theirs = night.sigs[original.pos].sketch
    else:  # an earlier night's member: its sketch is in the history
        assert history is not None and original.row is not None
        theirs = history.sketch(original.row)
    inter = overlap(mine, theirs)
    union = len(mine) + len(theirs) - inter
    jac = inter / union if union else 0.0
    cont = inter / min(len(mine), len(theirs)) if len(mine) and len(theirs) else 0.0
    return jac, cont, relation(len(mine), len(theirs), inter)


def relation(copy_size: int, original_size: int, shared: int) -> str:
    """exact / truncated / extended / near, from the shingle-set sizes and their overlap.

    "exact" also covers the same text give or take a short line (a byline or credit line
    the extraction kept): one text holds the other whole and adds at most ``EXTRA``."""
    small, big = sorted((copy_size, original_size))
    extra = max(EXTRA_SHINGLES, EXTRA_SHARE * small)
    if shared >= WHOLE * small and big - small <= extra:
        return "exact"
    if copy_size <= EXCERPT * original_size and shared >= EXCERPT_INSIDE * copy_size:
        return "excerpt"
    if copy_size < SHORTER * original_size and shared >= INSIDE * copy_size:
        return "truncated"
    if copy_size > original_size + extra and shared >= INSIDE * original_size:
        return "extended"
    return "near"


def published_order(value: str | None) -> tuple[Any, ...]:
    """Sort key of a publication time. A date without a time of day (midnight, as htmldate
    gives) counts as the end of its day: on the same day a page with a precise time
    comes first, because reprints more often lack the time than originals do."""
    ts = parse_iso(value)  # a bad date must not stop the night: it counts as unknown
    if ts is None:
        return (_FAR_FUTURE, True, "")
    return (ts.date().isoformat(), ts.time() == dt.time(0), ts.isoformat())


def _utc_text(value: str | None) -> str:
    ts = parse_iso(value)
    return ts.isoformat() if ts else _FAR_FUTURE


def lag_hours(original_at: str | None, copy_at: str | None) -> float | None:
    """Hours from the original's publication to the copy's (None if a date is missing)."""
    a, b = parse_iso(original_at), parse_iso(copy_at)
    if a is None or b is None:
        return None
    return round((b - a).total_seconds() / 3600, 2)


def credits(copy: Record, original: Record) -> bool:
    """Whether the copy names the original as its source (by URL, else by site name)."""
    url = copy.get("credited_source_url")
    if url and normalize(url) in {normalize(original["url"]),
                                  normalize(original.get("canonical_url") or original["url"])}:
        return True
    name = (copy.get("credited_source_name") or "").casefold()
    return bool(name) and name in ((original.get("site_name") or "") + " " + (original.get("site") or "")).casefold()
