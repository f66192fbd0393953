"""Connected components, for households (guardians at one address) and families (siblings)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class UnionFind(Generic[K]):
    def __init__(self) -> None:
        self._parent: dict[K, K] = {}

    def find(self, item: K) -> K:
        parent = self._parent.setdefault(item, item)
        if parent != item:
            parent = self._parent[item] = self.find(parent)
        return parent

    def union(self, a: K, b: K) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self._parent[root_b] = root_a


def family_keys(guardians_of: dict[int, Iterable[int]]) -> dict[int, int | None]:
    """pupil id -> family key: the smallest guardian id among all pupils linked through shared guardians.

    Siblings share a guardian (directly or through a chain of them); a pupil without guardians has none.
    """
    uf: UnionFind[int] = UnionFind()
    for guardian_ids in guardians_of.values():
        ids = list(guardian_ids)
        for other in ids[1:]:
            uf.union(ids[0], other)
    smallest: dict[int, int] = {}
    for guardian_ids in guardians_of.values():
        for gid in guardian_ids:
            root = uf.find(gid)
            smallest[root] = min(smallest.get(root, gid), gid)
    keys: dict[int, int | None] = {}
    for pupil_id, guardian_ids in guardians_of.items():
        ids = list(guardian_ids)
        keys[pupil_id] = smallest[uf.find(ids[0])] if ids else None
    return keys
