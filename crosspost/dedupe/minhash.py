"""Find cross-posts: exact copies by text hash, near copies by MinHash-LSH, every candidate verified.

Exact copies share the hash of their normalised words. Near copies are found with
MinHash-LSH over word 3-shingles, and every LSH candidate is *verified* on the real
shingle sets: republished news adds boilerplate, intros and truncations, so a pair is
accepted on Jaccard or on containment (share of the smaller shingle set found in the
larger). Texts under ``MIN_NEAR_WORDS`` words are only ever matched exactly.

Everything is vectorised with numpy, for speed at 10^5 documents a night:

- words are found and hashed for a whole batch of texts at once: the texts, normalised
  as ``crosspost.common.text.words`` does (NFKC, casefold), are laid end to end as code points;
  a table of the characters regex ``\\w`` matches gives the words (a test checks they
  are exactly ``words()``), and prefix sums give each word a polynomial hash;
- a 3-shingle's 32-bit hash mixes its three word hashes; the sorted distinct shingle
  hashes of a text are its *verification sketch*: two 800-word texts share a spurious
  32-bit hash with probability ~1e-4, so Jaccard and containment computed on sketches
  are exact for our purposes;
- MinHash uses datasketch's own ``affine32`` scheme and permutations (seed 1) on a
  whole batch at once: ``minhashes`` gives the values datasketch's
  ``MinHash(hashfunc=identity).update_batch(sketch)`` would (a test checks it);
- LSH banding sorts band keys instead of filling Python dicts, and matches a night's
  documents against earlier nights' documents with ``searchsorted``.

The exact-copy key is the SHA-1 of a text's word-hash sequence: equal for texts with the
same words, whatever their spacing, case or punctuation.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from crosspost.common.text import UNSPACED_CHAR, exact_hash

if TYPE_CHECKING:  # the history imports this module
    from crosspost.dedupe.signature_index import History

# Bump when anything that shapes a signature changes (tokens, hashing, shingles, permutations):
# stored signature segments of another version cannot be matched against.
# 2: each character of a script written without spaces is a token (1: a run of them was one).
# Version 1 segments are still read: a text without such characters signs the same in both,
# and an old CJK text simply does not match a new one (as before), it never matches wrongly.
SIGNATURE_VERSION = "2"
READABLE_VERSIONS = ("1", "2")
SHINGLE = 3
NUM_PERM = 128
SEED = 1
# 42 bands of 3 rows: a pair becomes a candidate with probability 0.68 at Jaccard 0.3,
# 0.94 at 0.4, 0.98 at 0.45 and > 0.999 at 0.55 (a 60% truncation). Two rows per band
# would catch lower Jaccard but flood a large history with chance collisions.
BANDS, ROWS = 42, 3
MIN_NEAR_WORDS = 50  # shorter texts are only ever matched exactly
# An LSH candidate is verified only if its MinHash estimate is within MARGIN of the lowest
# Jaccard that could pass verification given the two set sizes (a 128-value estimate has a
# standard deviation <= 0.044, so 0.2 is 4.5 of them), and never below MIN_ESTIMATE.
# Same-topic news shares stock phrases: this keeps most such pairs from costing a check,
# and old sketches from being read.
MARGIN, MIN_ESTIMATE = 0.20, 0.10
ACCEPT_JACCARD = 0.45  # cross-posted news: far below web-dedup's 0.7-0.8
ACCEPT_CONTAINMENT = 0.80  # a truncated copy: low Jaccard, containment near 1
BATCH, BATCH_CHARS = 256, 4_000_000  # texts per vectorised batch, and characters at most

_U32, _U64 = np.uint32, np.uint64
# Salts per shingle position / band row: multiples of the golden ratio, mod 2^64.
_SALT = [_U64((0x9E3779B97F4A7C15 * k) % 2**64) for k in range(8)]


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


_POLY = 0x100000001B3  # the word hash: sum of code point * POLY^place, mod 2^64, then fmix64
_POLY_INV = pow(_POLY, -1, 2**64)  # POLY is odd, so invertible mod 2^64
_CACHE: dict[str, Any] = {}


_WORD, _ALONE = 1, 3  # character classes: part of a word; a word on its own (unspaced script)


def _char_classes(cp: np.ndarray) -> np.ndarray:
    """Each code point's class: 0, or ``_WORD`` where regex ``\\w`` matches it (``str.isalnum()``
    or "_"), ``_ALONE`` where it is also of a script written without spaces: a table for the
    Basic Multilingual Plane, built once, and a direct check for the rare others."""
    if "classes" not in _CACHE:
        _CACHE["classes"] = np.array([(_ALONE if UNSPACED_CHAR.match(c) else _WORD) if c.isalnum() or c == "_" else 0
                                      for c in map(chr, range(0x10000))], dtype=np.uint8)
    table = _CACHE["classes"]
    if cp.dtype == np.uint8 or not len(cp) or cp.max() < 0x10000:
        return table[cp]
    out = np.zeros(len(cp), dtype=np.uint8)
    low = cp < 0x10000
    out[low] = table[cp[low]]
    high = np.unique(cp[~low])
    flags = np.array([_WORD if chr(c).isalnum() else 0 for c in high.tolist()], dtype=np.uint8)
    out[~low] = flags[np.searchsorted(high, cp[~low])]
    return out


def _token_bounds(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the word tokens (``crosspost.common.text.WORD_TOKEN``) in ``cp``:
    runs of word characters, each word character of an unspaced script a token of its own."""
    classes = np.zeros(len(cp) + 2, dtype=np.uint8)
    classes[1:-1] = _char_classes(cp)
    is_word = classes > 0
    alone = classes == _ALONE
    if not alone.any():  # runs only
        flips = np.flatnonzero(is_word[1:] != is_word[:-1])  # word starts and ends, alternating
        return flips[::2], flips[1::2]
    here = is_word[1:-1]
    starts = np.flatnonzero(here & (~is_word[:-2] | alone[1:-1] | alone[:-2]))
    ends = np.flatnonzero(here & (~is_word[2:] | alone[1:-1] | alone[2:])) + 1
    return starts, ends


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """POLY^i and POLY^-i mod 2^64 for i < n (n: a batch's characters, at most BATCH_CHARS
    unless one text is longer; grown by doubling and kept for the process)."""
    have = _CACHE.get("powers")
    if have is None or len(have[0]) < n:
        size = max(n, 2 * len(have[0]) if have else 1 << 20)
        _CACHE["powers"] = tuple(np.concatenate(([_U64(1)], np.cumprod(np.full(size - 1, x, dtype=_U64))))
                                 for x in (_POLY, _POLY_INV))
    pw, ipw = _CACHE["powers"]
    return pw[:n], ipw[:n]


def word_hashes(texts: list[str], spans: bool = False) -> tuple[Any, ...]:
    """64-bit hashes of the words (as ``crosspost.common.text.words`` finds them) of every text, back
    to back, and each text's word count; with ``spans``, also each word's start and end offset
    in its normalised text and the normalised texts (``crosspost.dedupe.align`` uses them)."""
    normed = [unicodedata.normalize("NFKC", t).casefold() for t in texts]
    cp = _code_points(" ".join(normed))
    starts, ends = _token_bounds(cp)
    pw, ipw = _powers(len(cp) + 1)
    prefix = np.zeros(len(cp) + 1, dtype=_U64)
    np.cumsum(cp * pw[: len(cp)], out=prefix[1:])  # wraps mod 2^64, as intended
    hashes = fmix64((prefix[ends] - prefix[starts]) * ipw[starts])  # sum of cp_i * POLY^(i - start)
    lens, starts, ends = _per_text(normed, starts, ends)
    if spans:
        return hashes, lens, starts, ends, normed
    return hashes, lens


def token_spans(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The word tokens of texts *as they are* (not normalised): each text's token count, and each
    token's start and end offset in its text, back to back: the spans of ``WORD_TOKEN.finditer``
    on each text (a test checks it), found for all the texts at once."""
    starts, ends = _token_bounds(_code_points(" ".join(texts)))
    return _per_text(texts, starts, ends)


def joined_words(texts: Iterable[str]) -> Iterator[str]:
    """Each text's words (``crosspost.common.text.words``) joined by one space, found for a batch of
    texts at once (``_batches``): what ``common.text.text_hash`` hashes, without a regex per text."""
    for batch in _batches(texts):
        normed = [unicodedata.normalize("NFKC", t).casefold() for t in batch]
        cp = _code_points(" ".join(normed) + " ")  # a character after every token, to become its space
        starts, ends = _token_bounds(cp[:-1])
        sizes = ends - starts + 1  # each token and the character after it
        firsts = np.cumsum(sizes) - sizes
        out = cp[np.repeat(starts - firsts, sizes) + np.arange(int(sizes.sum()))]
        out[firsts + sizes - 1] = ord(" ")
        tokens = np.concatenate(([0], np.cumsum(_per_text(normed, starts, ends)[0])))  # each text's first token
        at = np.concatenate(([0], np.cumsum(sizes)))[tokens]  # and its first character in ``out``
        codec = "ascii" if out.dtype == np.uint8 else "utf-32-le"
        for a, b in zip(at[:-1].tolist(), at[1:].tolist()):
            yield out[a:max(a, b - 1)].tobytes().decode(codec, "surrogatepass")  # without the last space


def text_hashes(texts: Iterable[str]) -> Iterator[str]:
    """``common.text.text_hash`` of each text (the articles table's ``text_hash``), the words found
    for many texts at once (``joined_words``; ``exact_hash`` joins one token to itself)."""
    return (exact_hash([joined]) for joined in joined_words(texts))


def _code_points(joined: str) -> np.ndarray:
    if joined.isascii():  # a flag on the string: one byte per code point, a plain copy
        return np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _per_text(texts: list[str], starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of texts joined by one space: the token count of each text, and the tokens'
    offsets made relative to their own text."""
    sizes = np.array([len(t) + 1 for t in texts], dtype=np.int64)
    offsets = np.cumsum(sizes) - sizes
    doc = np.searchsorted(offsets, starts, "right") - 1
    return np.bincount(doc, minlength=len(texts)), starts - offsets[doc], ends - offsets[doc]


def shingle_hashes(text: str) -> np.ndarray:
    """Sorted distinct 32-bit hashes of a text's word 3-shingles (of its words, if fewer)."""
    values, bounds = shingle_block(*word_hashes([text]))
    return values[bounds[0] : bounds[1]]


def shingle_block(t: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sketches of many texts from their word hashes ``t`` (``lens`` words each) in one pass:
    all back to back in one array, and the bounds of each (``values[bounds[i]:bounds[i + 1]]``)."""
    doc = np.repeat(np.arange(len(lens), dtype=_U64), lens)
    n = max(len(t) - SHINGLE + 1, 0)
    h = t[:n].copy()
    for pos in range(1, SHINGLE):
        # Position-dependent mixing makes "a b c" and "c b a" different shingles.
        h = fmix64(h ^ (t[pos : pos + n] + _SALT[pos]))
    inside = doc[:n] == doc[SHINGLE - 1 : SHINGLE - 1 + n]  # the window does not cross into the next text
    short = np.repeat(lens < SHINGLE, lens)  # texts under 3 words: their words stand in for shingles
    keys = np.concatenate([(doc[:n][inside] << _U64(32)) | (h[inside] >> _U64(32)),
                           (doc[short] << _U64(32)) | (t[short] >> _U64(32))])
    keys.sort()
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys
    bounds = np.searchsorted(keys >> _U64(32), np.arange(len(lens) + 1, dtype=_U64))
    return (keys & _U64(0xFFFFFFFF)).astype(_U32), bounds


def minhashes(sketches: list[np.ndarray]) -> np.ndarray:
    """MinHash signatures ``(len(sketches), NUM_PERM)`` uint32, datasketch's affine32 scheme."""
    blocks = [np.empty((0, NUM_PERM), _U32)]
    for start in range(0, len(sketches), BATCH):
        batch = sketches[start : start + BATCH]
        flat = np.concatenate(batch) if batch else np.empty(0, _U32)
        blocks.append(minhash_block(flat, np.array([len(x) for x in batch], dtype=np.int64)))
    return np.concatenate(blocks)


def minhash_block(flat: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """MinHash signatures of sketches stored back to back in ``flat`` (``lens`` each)."""
    out = np.full((len(lens), NUM_PERM), np.iinfo(_U32).max, dtype=_U32)
    rows = np.flatnonzero(lens)  # an empty sketch keeps the empty signature
    if not len(rows):
        return out
    offsets = (np.cumsum(lens) - lens)[rows]
    h = fmix32(flat.astype(_U32))
    tmp = np.empty_like(h)
    mins = np.empty((NUM_PERM, len(rows)), dtype=_U32)
    a, b = _permutations()
    for j in range(NUM_PERM):
        np.multiply(h, a[j], out=tmp)  # uint32 arithmetic wraps: the affine map mod 2^32
        np.add(tmp, b[j], out=tmp)
        mins[j] = np.minimum.reduceat(tmp, offsets)
    out[rows] = mins.T
    return out


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters for NUM_PERM and SEED, drawn exactly as
    ``MinHash._init_permutations`` draws them (a test checks it), without importing datasketch
    (which imports scipy: seconds per process)."""
    if "perms" not in _CACHE:
        gen = np.random.RandomState(SEED)
        a = gen.randint(0, 1 << 31, NUM_PERM, dtype=_U32) * _U32(2) + _U32(1)  # odd: a bijection
        b = gen.randint(0, 1 << 32, NUM_PERM, dtype=_U32)
        _CACHE["perms"] = (a, b)
    return _CACHE["perms"]


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
    width = int(pairs.max()) + 1  # one int64 per pair: a 1-D unique is much faster than axis=0
    codes = np.unique(pairs[:, 0] * width + pairs[:, 1])
    return np.stack([codes // width, codes % width], axis=1)


def overlap(a: np.ndarray, b: np.ndarray) -> int:
    """Shared shingle hashes of two sketches (sorted, distinct)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    at = np.searchsorted(b, a)  # binary search of the smaller in the larger: no merge sort
    return int(np.count_nonzero(b[np.minimum(at, len(b) - 1)] == a))


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


SignedBatch = tuple[list["Signature"], np.ndarray]
BatchSigner = Callable[[list[list[str]]], list[SignedBatch]]  # sign_batch over a list of batches, in order


def sign(texts: Iterable[str], signed_batches: BatchSigner | None = None) -> tuple[list[Signature], np.ndarray]:
    """Signatures and MinHash matrix of texts (an iterable: texts need not all be in memory).

    ``signed_batches``: maps sign_batch over a list of batches (e.g. with a second process,
    crosspost.dedupe.align_helper.shared); then the texts are all read first."""
    sigs: list[Signature] = []
    blocks = [np.empty((0, NUM_PERM), _U32)]
    batches = _batches(texts)
    for batch_sigs, block in (signed_batches(list(batches)) if signed_batches else map(sign_batch, batches)):
        sigs += batch_sigs
        blocks.append(block)
    return sigs, np.concatenate(blocks)


def sign_batch(batch: list[str]) -> SignedBatch:
    """Signatures and MinHash rows of one batch of texts."""
    hashes, lens = word_hashes(batch)
    values, bounds = shingle_block(hashes, lens)
    ends = np.cumsum(lens)
    sigs = [Signature(hashlib.sha1(hashes[end - n : end].tobytes()).hexdigest(), int(n),
                      values[bounds[i] : bounds[i + 1]]) for i, (n, end) in enumerate(zip(lens, ends))]
    return sigs, minhash_block(values, np.diff(bounds))


def _batches(texts: Iterable[str]) -> Iterator[list[str]]:
    """Lists of up to BATCH texts and BATCH_CHARS characters (a giant page makes a batch of its own)."""
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (len(batch) == BATCH or size + len(text) > BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield batch


@dataclass(frozen=True)
class Edge:
    """A verified match: new doc ``a`` with new doc ``b``, or with history row ``b`` if ``earlier``."""

    a: int
    b: int
    earlier: bool
    kind: str  # same_url / exact / credited / near
    jaccard: float
    containment: float

    def rank(self, keys: list[str], old_keys: list[str]) -> tuple[Any, ...]:
        """Strongest first, then a fixed order: merges happen in this order."""
        other = old_keys[self.b] if self.earlier else keys[self.b]
        return (_KIND_RANK[self.kind], -self.jaccard, -self.containment, keys[self.a], other, self.earlier)


_KIND_RANK = {"same_url": 0, "exact": 1, "credited": 2, "near": 3}  # credited: crosspost.dedupe.credits


@dataclass
class Side:
    """One side of candidate pairs: tonight's docs or the history, as columns."""

    minhash: np.ndarray
    n_words: np.ndarray
    n_shingles: np.ndarray
    sketch: Callable[[int], np.ndarray]  # row -> sorted shingle hashes

    @classmethod
    def of(cls, sigs: list[Signature], mh: np.ndarray) -> Side:
        """Tonight's docs."""
        return cls(mh, np.array([s.n_words for s in sigs], dtype=np.int64),
                   np.array([len(s.sketch) for s in sigs], dtype=np.int64), lambda i: sigs[i].sketch)


def verified_edges(keys: list[str], sigs: list[Signature], mh: np.ndarray,
                   history: History | None = None) -> list[Edge]:
    """Every verified match of a night's docs among themselves and with earlier nights'.

    Copies with equal text are linked by their hash and only the first enters LSH; the
    same goes for the history (see ``signature_index.History``).
    """
    tonight = Side.of(sigs, mh)
    reps, edges = _exact_within(sigs)
    near = np.array([i for i in reps if sigs[i].n_words >= MIN_NEAR_WORDS], dtype=np.int64)
    new_keys = band_keys(mh[near])
    edges += _verify(near[pairs_within(new_keys)], tonight, tonight, False)
    if history is not None and len(history):
        edges += _history_edges(keys, sigs, near, new_keys, tonight, history)
    return edges


def _exact_within(sigs: list[Signature]) -> tuple[list[int], list[Edge]]:
    first: dict[str, int] = {}
    edges = []
    for i, sig in enumerate(sigs):
        if not sig.n_words:  # no words (only punctuation): nothing to match on
            continue
        if sig.exact in first:
            edges.append(Edge(first[sig.exact], i, False, "exact", 1.0, 1.0))
        else:
            first[sig.exact] = i
    return sorted(first.values()), edges


def _history_edges(keys: list[str], sigs: list[Signature], near: np.ndarray, new_keys: np.ndarray, tonight: Side,
                   history: History) -> list[Edge]:
    edges = []
    for i, key in enumerate(keys):
        edges += [Edge(i, r, True, "same_url", 1.0, 1.0) for r in history.rows_by_key.get(key, ())]
        if sigs[i].n_words:
            edges += [Edge(i, r, True, "exact", 1.0, 1.0) for r in history.rows_by_exact.get(sigs[i].exact, ())]
    if len(near) and len(history.near_rows):
        pairs = pairs_across(new_keys, history.near_bands)
        pairs = np.stack([near[pairs[:, 0]], history.near_rows[pairs[:, 1]]], axis=1)
        old = Side(history.minhash, history.n_words, history.n_shingles, history.sketch)
        pairs = _worth_verifying(pairs, tonight, old)
        history.preload(pairs[:, 1])  # one read per earlier date that has candidates
        edges += _verify(pairs, tonight, old, True)
    return edges


def _worth_verifying(pairs: np.ndarray, a: Side, b: Side) -> np.ndarray:
    """The candidate pairs whose MinHash estimate leaves room to pass verification."""
    if not len(pairs):
        return pairs
    est = estimate(a.minhash[pairs[:, 0]], b.minhash[pairs[:, 1]])
    size_a, size_b = a.n_shingles[pairs[:, 0]], b.n_shingles[pairs[:, 1]]
    small, big = np.minimum(size_a, size_b), np.maximum(size_a, size_b)
    c = ACCEPT_CONTAINMENT
    # containment >= c needs Jaccard >= c*small / (big + (1-c)*small)
    lowest = np.minimum(ACCEPT_JACCARD, c * small / np.maximum(big + (1 - c) * small, 1))
    return pairs[est >= np.maximum(MIN_ESTIMATE, lowest - MARGIN)]


def _verify(pairs: np.ndarray, a: Side, b: Side, earlier: bool) -> list[Edge]:
    """Keep the candidate pairs that pass the MinHash pre-filter and then verification."""
    edges = []
    for i, j in _worth_verifying(pairs, a, b).tolist():
        jac, cont = similarity(a.sketch(i), b.sketch(j))
        if accept(int(a.n_words[i]), int(b.n_words[j]), jac, cont):
            edges.append(Edge(i, j, earlier, "near", jac, cont))
    return edges
