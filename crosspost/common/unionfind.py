"""Disjoint sets (union-find), for clusters of copies and groups of boilerplate keys."""

from __future__ import annotations


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
        anchor = ca or cb
        if anchor:
            self.anchor[root] = anchor
        return True

    def groups(self) -> dict[int, list[int]]:
        """Root -> members (ascending)."""
        out: dict[int, list[int]] = {}
        for x in range(len(self.parent)):
            out.setdefault(self.find(x), []).append(x)
        return out
