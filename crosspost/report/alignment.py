"""What a copy kept, cut and added, as runs of text to highlight.

With the ``spans`` column of ``crossposts`` (character offsets of the aligned passages in the
original's and the copy's text) the runs come straight from it; without it (partitions written
before the alignment existed) a word diff of the two texts stands in.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

KEPT, CUT, ADDED, ELIDED = "kept", "cut", "added", "elided"
SHINGLE_WORDS = 5
CONTEXT_CHARS = 220  # of a long kept passage, this much is shown at each end
_WORD = re.compile(r"\S+\s*|\s+")


@dataclass
class Alignment:
    """The original's text as kept/cut runs and the copy's as kept/added runs."""

    original: list[tuple[str, str]]
    copy: list[tuple[str, str]]
    source: str  # "spans" or "word diff"

    @property
    def changed(self) -> bool:
        """Whether anything was cut or added."""
        return any(kind != KEPT for kind, _ in self.original + self.copy)

    def kept_share(self) -> float:
        """Share of the original's characters found in the copy."""
        return _share(self.original, KEPT)

    def added_share(self) -> float:
        """Share of the copy's characters that are not in the original."""
        return _share(self.copy, ADDED)


def align(original: str, copy: str, spans: list[dict] | None = None) -> Alignment:
    """Runs of the two texts, from ``spans`` when given, else from a word diff."""
    if spans:
        return Alignment(_runs(original, [(s["original_start"], s["original_end"]) for s in spans], CUT),
                         _runs(copy, [(s["copy_start"], s["copy_end"]) for s in spans], ADDED), "spans")
    return word_diff(original, copy)


def shingle_shares(original: str, copy: str, n: int = SHINGLE_WORDS) -> tuple[float, float]:
    """Kept and added shares estimated from ``n``-word sequences: linear in the texts' length,
    for tables over thousands of copies (a word diff is quadratic on repetitive text)."""
    mine, theirs = _shingles(copy, n), _shingles(original, n)
    if not mine or not theirs:
        return (1.0, 0.0) if original.split() == copy.split() else (0.0, 1.0)
    shared = len(mine & theirs)
    return shared / len(theirs), 1 - shared / len(mine)


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))} if words else set()


def _runs(text: str, kept: list[tuple[int, int]], other: str) -> list[tuple[str, str]]:
    runs, pos = [], 0
    for start, end in sorted(kept):
        start, end = max(start, pos), min(end, len(text))
        if start > pos:
            runs.append((other, text[pos:start]))
        if end > start:
            runs.append((KEPT, text[start:end]))
            pos = end
    if pos < len(text):
        runs.append((other, text[pos:]))
    return _merge(runs)


def word_diff(original: str, copy: str) -> Alignment:
    """Kept/cut/added runs from difflib's matching blocks over words (whitespace kept)."""
    a, b = _WORD.findall(original), _WORD.findall(copy)
    matcher = difflib.SequenceMatcher(None, [w.strip() for w in a], [w.strip() for w in b], autojunk=False)
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append((KEPT, "".join(a[i1:i2])))
            right.append((KEPT, "".join(b[j1:j2])))
            continue
        left.append((CUT, "".join(a[i1:i2])))
        right.append((ADDED, "".join(b[j1:j2])))
    return Alignment(_merge(left), _merge(right), "word diff")


def _merge(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Adjacent runs of one kind as one; whitespace-only changes count as kept."""
    merged: list[tuple[str, str]] = []
    for kind, text in runs:
        if not text:
            continue
        kind = KEPT if not text.strip() else kind
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged


def _share(runs: list[tuple[str, str]], kind: str) -> float:
    # Characters without whitespace: re-wrapped lines are not a change.
    total = sum(len("".join(text.split())) for _, text in runs)
    return sum(len("".join(text.split())) for k, text in runs if k == kind) / total if total else 0.0


def elide(runs: list[tuple[str, str]], context: int = CONTEXT_CHARS) -> list[tuple[str, str]]:
    """Long kept passages shortened to their two ends, so the changes stand out (and the page stays small)."""
    out = []
    for kind, text in runs:
        if kind != KEPT or len(text) <= 3 * context:
            out.append((kind, text))
            continue
        head, tail = text.rfind(" ", 0, context) + 1 or context, text.find(" ", len(text) - context) + 1 or -context
        out += [(KEPT, text[:head]), (ELIDED, f"[… {tail - head:,} characters kept …] "), (KEPT, text[tail:])]
    return out
