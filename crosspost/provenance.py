"""Which copy in a cluster is the original, and how every other copy relates to it."""

from __future__ import annotations

import datetime as dt
import hashlib

from crawler.urls import normalize
from crosspost.dedupe import Doc, cluster_docs, make_docs, similarity

_FAR_FUTURE = "9999-12-31T23:59:59Z"


def cluster_id_for(url: str) -> str:
    """A stable id derived from the URL of the cluster's first-seen member."""
    return "c" + hashlib.sha1(normalize(url).encode("utf-8")).hexdigest()[:16]


def pick_original(members: list[int], docs: list[Doc], records: list[dict]) -> int:
    """The credited member, else the earliest published, else the earliest fetched; ties by URL."""
    keys = {docs[m].key: m for m in members}
    credited = {normalize(records[docs[m].index]["credited_source_url"]) for m in members
                if records[docs[m].index].get("credited_source_url")}
    named = [keys[k] for k in sorted(credited) if k in keys]
    pool = named or members
    return min(pool, key=lambda m: _age_key(records[docs[m].index], docs[m].key))


def _age_key(record: dict, key: str) -> tuple:
    return (record.get("published_at") or _FAR_FUTURE, record.get("fetched_at") or _FAR_FUTURE, key)


def assign_clusters(records: list[dict]) -> list[dict]:
    """One assignment per record with text: cluster, original and relation to it."""
    docs = make_docs(records)
    clusters, scores = cluster_docs(docs)
    out = []
    for members in clusters:
        original = pick_original(members, docs, records)
        first = min(members, key=lambda m: _age_key(records[docs[m].index], docs[m].key))
        cid = cluster_id_for(docs[first].url)
        for m in sorted(members, key=lambda m: docs[m].key):
            out.append(_assignment(m, original, cid, len(members), docs, records, scores))
    return sorted(out, key=lambda a: (a["cluster_id"], a["url"]))


def _assignment(m, original, cid, size, docs, records, scores) -> dict:
    rec, orig = records[docs[m].index], records[docs[original].index]
    jac, cont = (1.0, 1.0) if m == original else scores.get((m, original)) or similarity(docs[m].shingles, docs[original].shingles)
    return {
        "url": rec["url"], "site": rec.get("site"), "cluster_id": cid, "cluster_size": size,
        "original_url": orig["url"], "is_original": m == original,
        "relation": "original" if m == original else relation(docs[m], docs[original], jac),
        "similarity": round(jac, 4), "jaccard": round(jac, 4), "containment": round(cont, 4),
        "lag_hours": lag_hours(orig.get("published_at"), rec.get("published_at")),
        "credits_original": _credits(rec, orig) if m != original else None,
        "title_changed": (rec.get("title") or "").strip() != (orig.get("title") or "").strip(),
    }


def relation(copy: Doc, original: Doc, jaccard: float) -> str:
    """exact / truncated (copy is a short part of the original) / extended / near."""
    if copy.exact == original.exact:
        return "exact"
    if copy.n_words < 0.85 * original.n_words and _contained(copy, original):
        return "truncated"
    if copy.n_words > 1.15 * original.n_words and _contained(original, copy):
        return "extended"
    return "near"


def _contained(small: Doc, big: Doc) -> bool:
    return bool(small.shingles) and len(small.shingles & big.shingles) / len(small.shingles) >= 0.8


def lag_hours(original_at: str | None, copy_at: str | None) -> float | None:
    """Hours from the original's publication to the copy's (None if a date is missing)."""
    if not original_at or not copy_at:
        return None
    a = dt.datetime.fromisoformat(original_at.replace("Z", "+00:00"))
    b = dt.datetime.fromisoformat(copy_at.replace("Z", "+00:00"))
    return round((b - a).total_seconds() / 3600, 2)


def _credits(copy: dict, original: dict) -> bool:
    """Whether the copy names the original as its source (by URL, else by site name)."""
    url = copy.get("credited_source_url")
    if url and normalize(url) in {normalize(original["url"]), normalize(original.get("canonical_url") or original["url"])}:
        return True
    name = (copy.get("credited_source_name") or "").casefold()
    return bool(name) and name in ((original.get("site_name") or "") + " " + (original.get("site") or "")).casefold()
