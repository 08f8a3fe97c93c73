"""Find cross-posts: exact copies by text hash, near copies by MinHash-LSH, every candidate verified.

Exact copies share the hash of their normalised words. Near copies are found with
MinHash-LSH over word 3-shingles, and every LSH candidate is *verified* on the real
shingle sets: republished news adds boilerplate, intros and truncations, so a pair is
accepted on Jaccard or on containment (share of the smaller shingle set found in the
larger). Texts under ``MIN_NEAR_WORDS`` words are only ever matched exactly.

Everything is vectorised with numpy, for speed at 10^5 documents a night:

- a shingle is hashed once, to 32 bits, from per-word 64-bit hashes (one BLAKE2 call
  per distinct word, not per shingle); the sorted array of a text's shingle hashes is
  its *verification sketch*: with 32 bits, two 800-word texts share a spurious hash
  with probability ~1e-4, so Jaccard and containment computed on it are exact for
  our purposes;
- MinHash uses datasketch's own ``affine32`` scheme and permutations (seed 1), applied
  to a whole batch of documents at once: ``minhashes`` gives the values datasketch's
  ``MinHash(hashfunc=identity).update_batch(hashes)`` would (a test checks it);
- LSH banding sorts band keys instead of filling Python dicts, and matches a night's
  documents against earlier nights' documents with ``searchsorted``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from extract.text import words

SHINGLE = 3
NUM_PERM = 128
SEED = 1
# 42 bands of 3 rows: a pair becomes a candidate with probability 0.68 at Jaccard 0.3,
# 0.94 at 0.4, 0.98 at 0.45 and > 0.999 at 0.55 (a 60% truncation). Two rows per band
# would catch lower Jaccard but flood a large history with chance collisions.
BANDS, ROWS = 42, 3
MIN_NEAR_WORDS = 50  # shorter texts are only ever matched exactly
# A candidate whose MinHash estimate is below this is not worth loading a sketch for:
# even a teaser holding 15% of an article has Jaccard ~0.15.
MIN_ESTIMATE = 0.10
ACCEPT_JACCARD = 0.45  # cross-posted news: far below web-dedup's 0.7-0.8
ACCEPT_CONTAINMENT = 0.80  # a truncated copy: low Jaccard, containment near 1
BATCH = 512  # documents per vectorised MinHash batch

_U32, _U64 = np.uint32, np.uint64
# Salts per shingle position / band row: multiples of the golden ratio, mod 2^64.
_SALT = [_U64((0x9E3779B97F4A7C15 * k) % 2**64) for k in range(8)]


def text_hash(text: str) -> str:
    """Hash of the normalised words: equal for copies that differ only in spacing or case."""
    return exact_hash(words(text))


def exact_hash(tokens: list[str]) -> str:
    """SHA-1 of the space-joined tokens (the exact-copy key)."""
    return hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest()


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: an avalanching bijection (wraps on purpose)."""
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> _U64(33))


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser: datasketch's pre-mix of the affine32 scheme."""
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    return h ^ (h >> _U32(16))


class WordHashes(dict):
    """word -> stable 64-bit hash, computed once per distinct word (BLAKE2b, not ``hash()``,
    which is salted per process)."""

    def __missing__(self, word: str) -> int:
        value = self[word] = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        return value


def shingle_hashes(tokens: list[str], cache: WordHashes | None = None) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the word 3-shingles (of the words, if fewer)."""
    cache = WordHashes() if cache is None else cache
    t = np.fromiter(map(cache.__getitem__, tokens), dtype=_U64, count=len(tokens))
    if len(t) >= SHINGLE:
        # Position-dependent mixing makes "a b c" and "c b a" different shingles.
        n = len(t) - SHINGLE + 1
        h = t[:n].copy()
        for pos in range(1, SHINGLE):
            h = fmix64(h ^ (t[pos : pos + n] + _SALT[pos]))
        t = h
    return np.unique((t >> _U64(32)).astype(_U32))


def minhashes(sketches: list[np.ndarray]) -> np.ndarray:
    """MinHash signatures ``(len(sketches), NUM_PERM)`` uint32, datasketch's affine32 scheme."""
    out = np.full((len(sketches), NUM_PERM), np.iinfo(_U32).max, dtype=_U32)
    a, b = _permutations()
    for start in range(0, len(sketches), BATCH):
        batch = sketches[start : start + BATCH]
        rows = [i for i, s in enumerate(batch) if len(s)]  # reduceat needs non-empty segments
        if not rows:
            continue
        lens = np.array([len(batch[i]) for i in rows])
        offsets = np.concatenate(([0], np.cumsum(lens)[:-1]))
        h = fmix32(np.concatenate([batch[i] for i in rows]))
        target = np.asarray(rows) + start
        for j in range(NUM_PERM):
            out[target, j] = np.minimum.reduceat(a[j] * h + b[j], offsets)
    return out


_PERMS: list = []


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # datasketch's own parameters, so our signatures equal its MinHash's.
    if not _PERMS:
        from datasketch import MinHash

        a, b = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations
        _PERMS.append((a.astype(_U32), b.astype(_U32)))
    return _PERMS[0]


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """One 64-bit key per LSH band ``(n, BANDS)``: equal keys = equal band of ROWS values."""
    sig = signatures[:, : BANDS * ROWS].astype(_U64).reshape(len(signatures), BANDS, ROWS)
    key = np.zeros((len(signatures), BANDS), dtype=_U64)
    for r in range(ROWS):
        key = fmix64(key ^ (sig[:, :, r] + _SALT[r + 1]))
    return key


def estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
    """MinHash Jaccard estimates of row pairs (share of equal values)."""
    return (sig_a == sig_b).mean(axis=1)


def pairs_within(keys: np.ndarray) -> np.ndarray:
    """``(k, 2)`` pairs ``i < j`` of rows that share a band key (in any band)."""
    found = []
    for band in range(keys.shape[1]):
        order = np.argsort(keys[:, band], kind="stable")
        k = keys[order, band]
        for d in range(1, len(k)):  # rows equal at distance d lie in one run of equal keys
            i = np.flatnonzero(k[d:] == k[:-d])
            if not len(i):
                break
            found.append(np.stack([order[i], order[i + d]], axis=1))
    return _distinct(found, sort_pairs=True)


def pairs_across(new_keys: np.ndarray, old_keys: np.ndarray) -> np.ndarray:
    """``(k, 2)`` pairs (new row, old row) that share a band key (in any band)."""
    found = []
    for band in range(new_keys.shape[1]):
        order = np.argsort(old_keys[:, band], kind="stable")
        sorted_old = old_keys[order, band]
        lo = np.searchsorted(sorted_old, new_keys[:, band], "left")
        counts = np.searchsorted(sorted_old, new_keys[:, band], "right") - lo
        if not counts.any():
            continue
        new = np.repeat(np.arange(len(new_keys)), counts)
        # position inside each run of matches, added to the run's start
        step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        found.append(np.stack([new, order[np.repeat(lo, counts) + step]], axis=1))
    return _distinct(found)


def _distinct(found: list[np.ndarray], sort_pairs: bool = False) -> np.ndarray:
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    if sort_pairs:
        pairs.sort(axis=1)
    return np.unique(pairs, axis=0)


def overlap(a: np.ndarray, b: np.ndarray) -> int:
    """Shared shingle hashes of two sketches (sorted, distinct)."""
    return int(np.intersect1d(a, b, assume_unique=True).size)


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two sketches."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    inter = overlap(a, b)
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def accept(n_words_a: int, n_words_b: int, jaccard: float, containment: float) -> bool:
    """The verification rule for a non-exact pair."""
    if min(n_words_a, n_words_b) < MIN_NEAR_WORDS:
        return False
    return jaccard >= ACCEPT_JACCARD or containment >= ACCEPT_CONTAINMENT


@dataclass
class Signature:
    """What matching needs of one text."""

    exact: str
    n_words: int
    sketch: np.ndarray  # sorted distinct uint32 shingle hashes


def sign(texts, cache: WordHashes | None = None) -> tuple[list[Signature], np.ndarray]:
    """Signatures and MinHash matrix of texts (an iterable: texts need not all be in memory)."""
    cache = WordHashes() if cache is None else cache
    sigs = []
    for text in texts:
        tokens = words(text)
        sigs.append(Signature(exact_hash(tokens), len(tokens), shingle_hashes(tokens, cache)))
    return sigs, minhashes([s.sketch for s in sigs])


class UnionFind:
    """Disjoint sets over 0..n-1 where a set may hold at most one *anchor* (an earlier
    night's cluster id): sets with different anchors are never merged, because an earlier
    night's clusters are already published."""

    def __init__(self, n: int, anchors: dict[int, str] | None = None):
        self.parent = list(range(n))
        self.anchor = dict(anchors or {})

    def find(self, x: int) -> int:
        """Root of x's set (with path halving)."""
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        """Merge the sets of a and b unless both are anchored differently; True if joined."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ca, cb = self.anchor.get(ra), self.anchor.get(rb)
        if ca is not None and cb is not None and ca != cb:
            return False
        root, child = min(ra, rb), max(ra, rb)
        self.parent[child] = root
        if ca or cb:
            self.anchor[root] = ca or cb
        return True

    def groups(self) -> dict[int, list[int]]:
        """Root -> members (ascending)."""
        out: dict[int, list[int]] = {}
        for x in range(len(self.parent)):
            out.setdefault(self.find(x), []).append(x)
        return out


@dataclass(frozen=True)
class Edge:
    """A verified match: new doc ``a`` with new doc ``b``, or with history row ``b`` if ``earlier``."""

    a: int
    b: int
    earlier: bool
    kind: str  # same_url / exact / near
    jaccard: float
    containment: float

    def rank(self, keys: list[str], old_keys: list[str]) -> tuple:
        """Strongest first, then a fixed order: merges happen in this order."""
        other = old_keys[self.b] if self.earlier else keys[self.b]
        return (_KIND_RANK[self.kind], -self.jaccard, -self.containment, keys[self.a], other, self.earlier)


_KIND_RANK = {"same_url": 0, "exact": 1, "near": 2}


def verified_edges(keys: list[str], sigs: list[Signature], mh: np.ndarray, history=None) -> list[Edge]:
    """Every verified match of a night's docs among themselves and with earlier nights'.

    Copies with equal text are linked by their hash and only the first enters LSH; the
    same goes for the history (see ``signatures.History``).
    """
    reps, edges = _exact_within(sigs)
    near = [i for i in reps if sigs[i].n_words >= MIN_NEAR_WORDS]
    new_keys = band_keys(mh[near]) if near else np.empty((0, BANDS), dtype=_U64)
    pairs = np.asarray(near, dtype=np.int64)[pairs_within(new_keys)] if near else np.empty((0, 2), np.int64)
    edges += _verify(pairs, sigs, mh, lambda j: sigs[j].sketch, lambda j: sigs[j].n_words, mh, False)
    if history is not None and len(history):
        edges += _history_edges(keys, sigs, mh, near, new_keys, history)
    return edges


def _exact_within(sigs: list[Signature]) -> tuple[list[int], list[Edge]]:
    first: dict[str, int] = {}
    edges = []
    for i, sig in enumerate(sigs):
        if sig.exact in first:
            edges.append(Edge(first[sig.exact], i, False, "exact", 1.0, 1.0))
        else:
            first[sig.exact] = i
    return sorted(first.values()), edges


def _history_edges(keys, sigs, mh, near, new_keys, history) -> list[Edge]:
    edges = []
    for i, key in enumerate(keys):
        edges += [Edge(i, r, True, "same_url", 1.0, 1.0) for r in history.rows_by_key.get(key, ())]
        edges += [Edge(i, r, True, "exact", 1.0, 1.0) for r in history.rows_by_exact.get(sigs[i].exact, ())]
    if near and len(history.near_rows):
        pairs = pairs_across(new_keys, history.near_bands)
        pairs = np.stack([np.asarray(near)[pairs[:, 0]], history.near_rows[pairs[:, 1]]], axis=1)
        pairs = pairs[estimate(mh[pairs[:, 0]], history.minhash[pairs[:, 1]]) >= MIN_ESTIMATE]
        history.preload(pairs[:, 1])  # one read per earlier date that has candidates
        edges += _verify(pairs, sigs, mh, history.sketch, lambda r: int(history.n_words[r]), history.minhash, True)
    return edges


def _verify(pairs, sigs, mh, sketch_b, n_words_b, mh_b, earlier: bool) -> list[Edge]:
    """Keep the candidate pairs that pass the MinHash pre-filter and then verification."""
    if not len(pairs):
        return []
    pairs = pairs[estimate(mh[pairs[:, 0]], mh_b[pairs[:, 1]]) >= MIN_ESTIMATE]
    edges = []
    for a, b in pairs.tolist():
        jac, cont = similarity(sigs[a].sketch, sketch_b(b))
        if accept(sigs[a].n_words, n_words_b(b), jac, cont):
            edges.append(Edge(a, b, earlier, "near", jac, cont))
    return edges
