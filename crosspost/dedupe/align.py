"""What a copy did to its original: the passages it kept, cut and added, as character spans.

Alignment is in two passes, both with rapidfuzz's Indel (longest common subsequence) opcodes,
which are bit-parallel and cost ~0.03 ms for a pair of 600-word texts (difflib is quadratic
on characters):

1. paragraphs: paragraphs equal in their words (case, punctuation and spacing aside) are
   matched whole, in order; they anchor the alignment, so a common word of an added intro
   is never matched against the article;
2. words: between two anchors, the unmatched paragraphs of both sides are aligned word by
   word (edited sentences, a paragraph cut short, a promo glued to a paragraph).

Runs of fewer than ``MIN_RUN`` equal words are dropped (an added sentence shares stray "the"
and "of" with the article, not a passage). Spans are half-open character offsets
``[start, end)`` into the two texts, from the first to the last character of a run of
matched words; adjacent runs separated only by spacing and punctuation are merged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

import numpy as np
from rapidfuzz.distance import Indel

from crosspost.common.records import Record
from crosspost.common.text import WORD_TOKEN as _WORD  # the tokens word_hashes finds
from crosspost.dedupe.align_helper import AlignHelper, shared

# the same words and word hashes as the shingles are made of
from crosspost.dedupe.minhash import token_spans, word_hashes

MIN_RUN = 3  # words: shorter common runs are chance, not a kept passage
_BREAK = re.compile(r"\n[ \t]*\n")  # paragraphs are separated by a blank line


@dataclass(frozen=True)
class Span:
    """An aligned passage: ``original[original_start:original_end]`` kept as ``copy[copy_start:copy_end]``."""

    original_start: int
    original_end: int
    copy_start: int
    copy_end: int


SPAN_FIELDS = tuple(f.name for f in fields(Span))


def span_rows(spans: Sequence[Sequence[int]]) -> list[dict[str, int]]:
    """The row form of ``[original_start, original_end, copy_start, copy_end]`` lists (a night
    has ~10^5 spans: no Span object made for each)."""
    return [dict(zip(SPAN_FIELDS, span)) for span in spans]


@dataclass
class _Side:
    """A text as word hashes (normalised as dedupe normalises) with their character offsets and
    paragraph bounds."""

    keys: np.ndarray  # 64-bit word hashes (``dedupe.word_hashes``)
    starts: np.ndarray
    ends: np.ndarray
    paragraphs: list[tuple[int, int]]  # word index ranges
    prefix: np.ndarray  # prefix[i]: characters of words 0..i-1

    def paragraph_keys(self) -> list[bytes]:
        return [self.keys[a:b].tobytes() for a, b in self.paragraphs]

    def chars(self, first: int, last: int) -> int:
        """Characters of words ``first..last-1`` (without the spaces between them)."""
        return int(self.prefix[last] - self.prefix[first])


def _sides(texts: list[str]) -> list[_Side]:
    """Many texts tokenised at once by ``dedupe.word_hashes`` (vectorised). Where normalising
    (NFKC, casefold) keeps every character in place (nearly always), a word's offsets in the
    normalised text are its offsets in the text; else (``ß`` -> ``ss``, ligatures, some scripts)
    the words are found again in the text itself, all such texts at once (``token_spans``)."""
    texts = [t or "" for t in texts]
    hashes, lens, starts, ends, normed = word_hashes(texts, spans=True)
    firsts = np.concatenate(([0], np.cumsum(lens))).tolist()
    prefix = np.concatenate(([0], np.cumsum(ends - starts)))  # characters of the words before each word
    moved = [i for i, text in enumerate(texts) if len(normed[i]) != len(text)]
    found = dict(zip(moved, _found_again([texts[i] for i in moved])))
    sides = []
    for i, text in enumerate(texts):
        a, b = firsts[i], firsts[i + 1]
        if i in found:
            keys, s, e = _rehashed(text, hashes[a:b], *found[i])
            sides.append(_side(text, keys, s, e, np.concatenate(([0], np.cumsum(e - s)))))
        else:
            sides.append(_side(text, hashes[a:b], starts[a:b], ends[a:b], prefix[a:b + 1] - prefix[a]))
    return sides


def _found_again(texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each text's word starts and ends in the text as it is."""
    lens, starts, ends = token_spans(texts)
    firsts = np.concatenate(([0], np.cumsum(lens))).tolist()
    return [(starts[a:b], ends[a:b]) for a, b in zip(firsts[:-1], firsts[1:])]


def _side(text: str, keys: np.ndarray, starts: np.ndarray, ends: np.ndarray, prefix: np.ndarray) -> _Side:
    if "\n" not in text or not len(starts):
        return _Side(keys, starts, ends, [(0, len(starts))] if len(starts) else [], prefix)
    par = np.searchsorted(np.array([m.start() for m in _BREAK.finditer(text)], dtype=np.int64), starts, "right")
    bounds = [0, *(np.flatnonzero(par[1:] != par[:-1]) + 1).tolist(), len(starts)]
    return _Side(keys, starts, ends, list(zip(bounds[:-1], bounds[1:])), prefix)


def _rehashed(text: str, keys: np.ndarray, starts: np.ndarray,
              ends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The normalised words' hashes at the words' offsets in ``text``; where a character
    normalises into a word break (the counts differ), the hashes of the words found in ``text``."""
    if len(starts) != len(keys):
        keys = _token_hashes([text[a:b] for a, b in zip(starts.tolist(), ends.tolist())])
    return keys, starts, ends


def _token_hashes(tokens: list[str]) -> np.ndarray:
    """Each token's key: its ``word_hashes`` hash when it normalises to one word, as in every
    other text (so the other words of the text still match its copies'); a token that normalises
    into several words or none (``½`` -> ``1⁄2``) gets a hash of its normalised form of its own."""
    hashes, lens = word_hashes(tokens)
    firsts = np.concatenate(([0], np.cumsum(lens)[:-1])).astype(np.int64)
    keys = hashes[np.minimum(firsts, max(len(hashes) - 1, 0))] if len(hashes) else np.zeros(len(tokens), np.uint64)
    for i in np.flatnonzero(lens != 1).tolist():
        digest = hashlib.blake2b(unicodedata.normalize("NFKC", tokens[i]).casefold().encode(), digest_size=8)
        keys[i] = np.uint64(int.from_bytes(digest.digest(), "little"))
    return keys.astype(np.uint64)


def align(original: str, copy: str) -> Record:
    """``kept_share``, ``added_share`` and ``spans`` (list of dicts) of ``copy`` against ``original``.

    ``kept_share``: share of the original's word characters found in the copy;
    ``added_share``: share of the copy's word characters not from the original.
    """
    return _aligned(original, copy, *_sides([original, copy]))


def _aligned(original: str, copy: str, a: _Side, b: _Side) -> Record:
    kept, added, spans = _alignment(original, copy, a, b)
    return {"kept_share": kept, "added_share": added, "spans": span_rows(spans)}


_Alignment = tuple[float, float, list[list[int]]]  # kept share, added share, spans (``Span`` fields)


def _alignment(original: str, copy: str, a: _Side, b: _Side) -> _Alignment:
    runs = np.array([r for r in _word_runs(a, b) if r[2] >= MIN_RUN], dtype=np.int64).reshape(-1, 3)
    first_a, first_b, n = runs.T
    kept = int((a.prefix[first_a + n] - a.prefix[first_a]).sum())  # characters of the runs' words
    copied = int((b.prefix[first_b + n] - b.prefix[first_b]).sum())
    total_a, total_b = a.chars(0, len(a.keys)), b.chars(0, len(b.keys))
    return (round(kept / total_a, 4) if total_a else 0.0, round(1 - copied / total_b, 4) if total_b else 0.0,
            _spans(original, copy, a, b, runs))


def _word_runs(a: _Side, b: _Side) -> list[tuple[int, int, int]]:
    """``(first word in a, first word in b, length)`` of every run of equal words, in order."""
    runs = []
    for tag, (a0, a1), (b0, b1) in _paragraph_blocks(a, b):
        if tag == "equal":
            runs += [(a.paragraphs[a0 + k][0], b.paragraphs[b0 + k][0],
                      a.paragraphs[a0 + k][1] - a.paragraphs[a0 + k][0]) for k in range(a1 - a0)]
            continue
        (w0, w1), (v0, v1) = _word_range(a, a0, a1), _word_range(b, b0, b1)
        if w1 > w0 and v1 > v0:
            runs += [(w0 + o.src_start, v0 + o.dest_start, o.src_end - o.src_start)
                     for o in Indel.opcodes(a.keys[w0:w1].tolist(), b.keys[v0:v1].tolist()) if o.tag == "equal"]
    return runs


_Block = tuple[str, tuple[int, int], tuple[int, int]]  # tag, paragraph range in a, in b


def _paragraph_blocks(a: _Side, b: _Side) -> list[_Block]:
    """Equal paragraph runs and the gaps between them (consecutive deletes and inserts as one)."""
    blocks: list[_Block] = []
    for op in Indel.opcodes(a.paragraph_keys(), b.paragraph_keys()):
        if op.tag != "equal" and blocks and blocks[-1][0] == "gap":
            blocks[-1] = ("gap", (blocks[-1][1][0], op.src_end), (blocks[-1][2][0], op.dest_end))
        else:
            blocks.append(("equal" if op.tag == "equal" else "gap", (op.src_start, op.src_end),
                           (op.dest_start, op.dest_end)))
    return blocks


def _word_range(side: _Side, first: int, last: int) -> tuple[int, int]:
    """Word indices covered by paragraphs ``first..last-1``."""
    if first >= last:
        return 0, 0
    return side.paragraphs[first][0], side.paragraphs[last - 1][1]


def _spans(original: str, copy: str, a: _Side, b: _Side, runs: np.ndarray) -> list[list[int]]:
    """Runs (``(k, 3)``: first word in a, in b, length) as character spans (``Span`` fields, in
    order), neighbours merged when only non-word characters lie between."""
    first_a, first_b, n = runs.T
    bounds = np.stack([a.starts[first_a], a.ends[first_a + n - 1], b.starts[first_b], b.ends[first_b + n - 1]], axis=1)
    spans: list[list[int]] = []
    for original_start, original_end, copy_start, copy_end in bounds.tolist():
        if spans and _adjacent(original, spans[-1][1], original_start) and _adjacent(copy, spans[-1][3], copy_start):
            spans[-1][1], spans[-1][3] = original_end, copy_end
        else:
            spans.append([original_start, original_end, copy_start, copy_end])
    return spans


def _adjacent(text: str, end: int, start: int) -> bool:
    return end <= start and not _WORD.search(text, end, start)


def align_assignments(assignments: list[Record], text_of: Callable[[str], str | None],
                      batch: int = 128, helper: AlignHelper | None = None) -> list[Record]:
    """Each copy's assignment with its alignment to its original (``text_of(url)`` gives a text,
    None when unknown); originals and copies whose original text is unknown get nulls. Texts are
    tokenised ``batch`` copies at a time, each text once per batch; with a ``helper`` process
    (``align_helper.AlignHelper``), it aligns batches too."""
    out = [{**a, "kept_share": None, "added_share": None, "spans": None} for a in assignments]
    todo = [a for a in out if not a.get("is_original")]
    chunks = [todo[start:start + batch] for start in range(0, len(todo), batch)]
    for chunk, found in zip(chunks, shared(_align_chunk, [_chunk_texts(c, text_of) for c in chunks], helper)):
        for a, alignment in zip(chunk, found):
            if alignment is not None:
                kept, added, spans = alignment
                a.update(kept_share=kept, added_share=added, spans=span_rows(spans))
    return out


_Pairs = list[tuple[str, str] | None]  # each copy's (original URL, copy URL); None: a text is unknown


def _chunk_texts(chunk: list[Record], text_of: Callable[[str], str | None]) -> tuple[dict[str, str], _Pairs]:
    """The known texts of a batch's copies and originals (by URL), and each copy's pair."""
    found = {u: text_of(u) for a in chunk for u in (a["original_url"], a["url"])}
    texts = {u: t for u, t in found.items() if t is not None}
    return texts, [(a["original_url"], a["url"]) if a["original_url"] in texts and a["url"] in texts else None
                   for a in chunk]


def _align_chunk(texts: dict[str, str], pairs: _Pairs) -> list[_Alignment | None]:
    """A batch's alignments (module level: the helper process runs it too)."""
    sides = dict(zip(texts, _sides(list(texts.values()))))
    return [_alignment(texts[p[0]], texts[p[1]], sides[p[0]], sides[p[1]]) if p else None for p in pairs]
