"""Group a night's records into cross-post clusters and pick each cluster's original.

Exact copies share the hash of their normalised words. Near copies are found with
MinHash-LSH over word shingles, and every LSH candidate is *verified* on the real
shingle sets: republished news adds boilerplate, intros and truncations, so we accept a
pair on Jaccard or on containment (share of the shorter text found in the longer).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from crawler.urls import normalize
from extract.text import words

SHINGLE = 3
NUM_PERM = 128
LSH_THRESHOLD = 0.25  # low on purpose: a truncated copy has low Jaccard; verification decides
MIN_NEAR_WORDS = 50  # shorter texts are only ever matched exactly
ACCEPT_JACCARD = 0.45
ACCEPT_CONTAINMENT = 0.80


@dataclass
class Doc:
    """What dedupe needs of one record."""

    index: int
    url: str
    key: str
    exact: str
    shingles: frozenset
    n_words: int


def text_hash(text: str) -> str:
    """Hash of the normalised words: equal for copies that differ only in spacing or case."""
    return hashlib.sha1(" ".join(words(text)).encode("utf-8")).hexdigest()


def shingles(tokens: list[str], size: int = SHINGLE) -> frozenset:
    """Word n-grams of a token list (the whole list if it is shorter than n)."""
    if len(tokens) < size:
        return frozenset([" ".join(tokens)]) if tokens else frozenset()
    return frozenset(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def similarity(a: frozenset, b: frozenset) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger)."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def is_match(a: Doc, b: Doc) -> tuple[bool, float, float]:
    """Verify a candidate pair on the actual shingle sets."""
    if a.exact == b.exact:
        return True, 1.0, 1.0
    if min(a.n_words, b.n_words) < MIN_NEAR_WORDS:
        return False, 0.0, 0.0
    jac, cont = similarity(a.shingles, b.shingles)
    return (jac >= ACCEPT_JACCARD or cont >= ACCEPT_CONTAINMENT), jac, cont


def make_docs(records: list[dict]) -> list[Doc]:
    """Docs for the records that have text (status ``ok``)."""
    docs = []
    for i, rec in enumerate(records):
        if rec.get("status") != "ok" or not rec.get("text"):
            continue
        tokens = words(rec["text"])
        exact = hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest()
        docs.append(Doc(i, rec["url"], normalize(rec["url"]), exact, shingles(tokens), len(tokens)))
    return docs


def candidate_pairs(docs: list[Doc]) -> set[tuple[int, int]]:
    """Pairs of doc positions that share an exact hash or an LSH bucket."""
    from datasketch import MinHash, MinHashLSH

    pairs: set[tuple[int, int]] = set()
    by_hash: dict[str, int] = {}
    for pos, doc in enumerate(docs):
        if doc.exact in by_hash:
            pairs.add((by_hash[doc.exact], pos))
        by_hash.setdefault(doc.exact, pos)
    near = [pos for pos, doc in enumerate(docs) if doc.n_words >= MIN_NEAR_WORDS]
    hashes = MinHash.bulk([[s.encode("utf-8") for s in docs[p].shingles] for p in near], num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for pos, mh in zip(near, hashes):
        for other in lsh.query(mh):
            pairs.add((other, pos))
        lsh.insert(pos, mh)
    return pairs


class UnionFind:
    """Disjoint sets over 0..n-1."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def cluster_docs(docs: list[Doc]) -> tuple[list[list[int]], dict]:
    """Clusters (lists of doc positions) and the verified pair scores."""
    uf = UnionFind(len(docs))
    scores = {}
    for a, b in sorted(candidate_pairs(docs)):
        ok, jac, cont = is_match(docs[a], docs[b])
        if ok:
            uf.union(a, b)
            scores[(a, b)] = scores[(b, a)] = (jac, cont)
    groups: dict[int, list[int]] = {}
    for pos in range(len(docs)):
        groups.setdefault(uf.find(pos), []).append(pos)
    return list(groups.values()), scores
