"""crosspost.common.unionfind: the one union-find (dedupe clusters, boilerplate key groups)."""

from __future__ import annotations

from crosspost.common.unionfind import UnionFind


def test_union_never_merges_two_earlier_clusters():
    uf = UnionFind(4, {2: "c-old-a", 3: "c-old-b"})
    assert uf.union(0, 2) and uf.union(1, 0)
    assert not uf.union(1, 3)
    groups = uf.groups()
    assert sorted(groups.values()) == [[0, 1, 2], [3]]
    assert uf.anchor[uf.find(1)] == "c-old-a"


def test_without_anchors_every_union_joins():
    uf = UnionFind(5)
    assert uf.union(3, 4) and uf.union(0, 4) and uf.union(1, 2)
    assert sorted(uf.groups().values()) == [[0, 3, 4], [1, 2]]
