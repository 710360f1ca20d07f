"""The provenance graph of a story: origins to copies, laid out in layers.

Written by hand rather than with a layout library: a story's graph is small
(tens of nodes), the page must stay one self-contained file with no script
from outside, and what a reader needs — columns by reuse depth, each
edge label stacked beside the copy it points at so that no two labels
overlap — is a few dozen lines of longest-path layering and barycentre
ordering.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from newstrace.model import Document, ReuseLink
from newstrace.report._common import anchor, shorten


@dataclass
class GraphNode:
    id: str
    label: str
    sublabel: str
    x: float
    y: float
    virtual: bool = False
    href: str = ""


@dataclass
class GraphEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    dashed: bool
    href: str
    lx: float = 0.0
    ly: float = 0.0
    path: str = ""  # SVG path of the drawn edge; a label alone has none


@dataclass
class Graph:
    width: float
    height: float
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)  # articles no reuse link touches


NODE_W, NODE_H, COL_W, ROW_GAP, LABEL_H, PAD = 220.0, 44.0, 430.0, 20.0, 15.0, 20.0


def graph(
    docs: list[Document], links: list[ReuseLink], labels: dict[str, str], story_id: str
) -> Graph:
    """Origins on the left, copies to the right; shared sources as a dashed unseen node.

    A layered layout: every article sits one column right of what it copies
    (longest path), articles in a column are ordered by the mean position of
    their neighbours (a few sweeps of the barycentre heuristic, which removes
    most crossings), and edges are curves from the right side of the origin to
    the left side of the copy. Each edge's label stands just left of the copy it
    points at, stacked with the copy's other incoming labels inside the copy's
    own band, so labels never overlap each other or a node however dense the
    story.
    """
    known = {d.id for d in docs}
    links = [link for link in links if link.origin in known and link.derived in known]
    linked = {link.origin for link in links} | {link.derived for link in links}
    ids = [d.id for d in docs if d.id in linked]
    shared_groups = _shared_source_groups([link for link in links if link.kind == "shared_source"])
    layer = _layers(
        ids,
        [link for link in links if link.directed and link.kind != "shared_source"],
        shared_groups,
    )
    hub_of = {m: hub for hub, members in shared_groups.items() for m in members}
    # what each drawn edge joins: (from, to, link or None for a hub edge)
    drawn: list[tuple[str, str, ReuseLink | None]] = []
    hub_edges: set[tuple[str, str]] = set()
    for link in links:
        if link.kind == "shared_source":
            hub = hub_of[link.derived]
            for end in (link.origin, link.derived):
                if (hub, end) not in hub_edges:
                    hub_edges.add((hub, end))
                    drawn.append((hub, end, None))
        else:
            a, b = link.origin, link.derived
            if layer[a] > layer[b] or (layer[a] == layer[b] and not link.directed and a > b):
                a, b = b, a
            drawn.append((a, b, link))
    columns = _ordered_columns(layer, drawn)
    # each label stands where its edge arrives: at the copy, at the right-hand end of a
    # link of unknown direction, at the derived member of a shared source
    incoming: dict[str, list[tuple[ReuseLink, str]]] = defaultdict(list)
    for a, b, joined in drawn:
        if joined is not None:
            incoming[b].append((joined, a))
    for link in links:
        if link.kind == "shared_source":
            incoming[link.derived].append((link, link.origin))
    band = {
        n: max(NODE_H + ROW_GAP, LABEL_H * len(incoming.get(n, ())) + ROW_GAP + 8) for n in layer
    }
    heights = {col: sum(band[n] for n in members) for col, members in columns.items()}
    tallest = max(heights.values(), default=NODE_H)
    left = PAD + (LABEL_W if any(incoming.get(n) for n in columns.get(0, ())) else 0.0)
    positions: dict[str, tuple[float, float]] = {}
    for col, members in columns.items():
        y = PAD + (tallest - heights[col]) / 2
        for node_id in members:
            positions[node_id] = (left + col * COL_W, y + (band[node_id] - NODE_H) / 2)
            y += band[node_id]
    by_id = {d.id: d for d in docs}
    graph = Graph(
        width=left + PAD + max(columns, default=0) * COL_W + NODE_W,
        height=2 * PAD + tallest,
        unlinked=[labels[d.id] for d in docs if d.id not in linked],
    )
    for node_id, (x, y) in positions.items():
        if node_id in by_id:
            graph.nodes.append(
                GraphNode(
                    node_id,
                    shorten(labels[node_id], 25),
                    shorten(by_id[node_id].title or "", 36),
                    x,
                    y,
                    href="#" + anchor("doc", story_id, node_id),
                )
            )
        else:
            graph.nodes.append(
                GraphNode(node_id, "unseen original", "shared source", x, y, virtual=True)
            )
    for a, b, joined in drawn:
        edge = _curve(positions[a], positions[b], joined is None or not joined.directed)
        if joined is not None:
            edge.href = "#" + anchor("cmp", story_id, joined.origin, joined.derived)
        graph.edges.append(edge)
    for node_id, found in incoming.items():
        x, y = positions[node_id]
        top = y + NODE_H / 2 - LABEL_H * len(found) / 2
        for k, (link, other) in enumerate(sorted(found, key=lambda item: -item[0].score)):
            label = f"{link.kind.replace('_', ' ')} {link.score:.2f}"
            arrow = "↔" if not link.directed or link.kind == "shared_source" else "←"
            label += f" {arrow} {shorten(other, 8)}"
            graph.edges.append(
                GraphEdge(
                    0,
                    0,
                    0,
                    0,
                    label,
                    not link.directed,
                    "#" + anchor("cmp", story_id, link.origin, link.derived),
                    x - 8,
                    top + LABEL_H * (k + 1) - 3,
                )
            )
    return graph


LABEL_W = 190.0  # room left of the first column for the labels of its incoming edges


def _curve(a: tuple[float, float], b: tuple[float, float], dashed: bool) -> GraphEdge:
    """A curve from the right side of ``a`` to the left side of ``b`` (same column: a loop
    on the right)."""
    if abs(a[0] - b[0]) < 1:
        x = a[0] + NODE_W
        y1, y2 = a[1] + NODE_H / 2, b[1] + NODE_H / 2
        bulge = x + min(120.0, 30 + abs(y2 - y1) / 4)
        path = f"M{x:.1f},{y1:.1f} C{bulge:.1f},{y1:.1f} {bulge:.1f},{y2:.1f} {x:.1f},{y2:.1f}"
        return GraphEdge(x, y1, x, y2, "", dashed, "", path=path)
    x1, y1 = a[0] + NODE_W, a[1] + NODE_H / 2
    x2, y2 = b[0], b[1] + NODE_H / 2
    mid = (x2 - x1) / 2
    path = f"M{x1:.1f},{y1:.1f} C{x1 + mid:.1f},{y1:.1f} {x2 - mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    return GraphEdge(x1, y1, x2, y2, "", dashed, "", path=path)


def _ordered_columns(
    layer: dict[str, int], edges: list[tuple[str, str, ReuseLink | None]]
) -> dict[int, list[str]]:
    """Nodes per column, ordered to cross few edges (barycentre sweeps, left then right)."""
    columns: dict[int, list[str]] = defaultdict(list)
    for node_id in sorted(layer, key=lambda n: (layer[n], n)):
        columns[layer[node_id]].append(node_id)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b, _ in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    order = sorted(columns)
    for sweep in range(4):
        rank = {n: i for col in columns.values() for i, n in enumerate(col)}
        for col in order if sweep % 2 == 0 else reversed(order):
            side = col - 1 if sweep % 2 == 0 else col + 1

            def centre(node: str, side: int = side, rank: dict[str, int] = rank) -> float:
                near = [rank[m] for m in neighbours[node] if layer[m] == side]
                return sum(near) / len(near) if near else rank[node]

            columns[col].sort(key=centre)
            rank.update({n: i for i, n in enumerate(columns[col])})
    return columns


def _shared_source_groups(links: list[ReuseLink]) -> dict[str, set[str]]:
    """One unseen-original node per connected group of shared-source links."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for link in links:
        parent[find(link.derived)] = find(link.origin)
    groups: dict[str, set[str]] = defaultdict(set)
    for node in parent:
        groups[find(node)].add(node)
    return {f"shared:{root}": members for root, members in sorted(groups.items())}


def _layers(
    ids: list[str], directed: list[ReuseLink], shared: dict[str, set[str]]
) -> dict[str, int]:
    """Longest path from an origin, so every copy sits right of what it copies."""
    parents: dict[str, set[str]] = defaultdict(set)
    for link in directed:
        parents[link.derived].add(link.origin)
    for hub, members in shared.items():
        for member in members:
            parents[member].add(hub)
    layer: dict[str, int] = {}

    def depth(node: str, seen: frozenset[str]) -> int:
        if node in layer:
            return layer[node]
        ups = [p for p in parents.get(node, ()) if p not in seen]  # a cycle is cut, not followed
        layer[node] = 1 + max((depth(p, seen | {node}) for p in ups), default=-1)
        return layer[node]

    for node in [*ids, *shared]:
        depth(node, frozenset())
    return layer
