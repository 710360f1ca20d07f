"""The root of an item in a union-find forest, shared by the two stages that merge groups.

Story grouping keeps its forest as a list (average linkage over article
indices) and reuse as a dict (stories a link joins); both follow parents the
same way, halving the path as they go so that later look-ups stay short.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

Item = TypeVar("Item")


class Forest(Protocol[Item]):
    """Each item's parent: a list of indices or a dict of ids."""

    def __getitem__(self, item: Item, /) -> Item: ...

    def __setitem__(self, item: Item, parent: Item, /) -> None: ...


def root_of(parent: Forest[Item], item: Item) -> Item:
    """The root of ``item`` in the forest ``parent`` (a root is its own parent)."""
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item
