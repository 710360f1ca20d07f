"""The corpus-wide view of reuse: origins with their copies, outlets with their reuse.

This is what ``newstrace reuse`` prints: for every origin, the documents that
copy it (kind, score, direction); for every outlet, how much of its text comes
from others, who reuses its own copy — the question a news agency asks — and
with whom it shares text when the direction is unknown (a shared source).
An outlet is the document's ``source``, else its URL's host, else the input
file name.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from rich.console import Console
from rich.table import Table

from newstrace.model import Document, Report, ReuseLink


def outlet(doc: Document) -> str:
    """Who published ``doc``: source, else URL host, else file name."""
    if doc.source:
        return doc.source
    if doc.url:
        host = urlparse(doc.url).hostname
        if host:
            return host.removeprefix("www.")
    return Path(doc.origin).name or doc.origin


def reuse_view(report: Report) -> dict[str, Any]:
    """The corpus-wide reuse summary as plain data (the ``--json`` output)."""
    docs = {d.id: d for d in report.documents}
    links = [link for story in report.stories for link in story.reuse]
    return {
        "schema": "newstrace.reuse/1",
        "documents": len(docs),
        "links": len(links),
        "origins": _origins(docs, links),
        "undirected": [_pair(docs, link) for link in links if not link.directed],
        "outlets": _outlets(docs, links),
    }


def _origins(docs: dict[str, Document], links: list[ReuseLink]) -> list[dict[str, Any]]:
    copies: dict[str, list[ReuseLink]] = defaultdict(list)
    for link in links:
        if link.directed:
            copies[link.origin].append(link)
    rows = []
    for origin_id, found in copies.items():
        origin = docs[origin_id]
        rows.append(
            {
                "origin": origin_id,
                "outlet": outlet(origin),
                "title": origin.title,
                "published": origin.published,
                "copies": [
                    {
                        "derived": link.derived,
                        "outlet": outlet(docs[link.derived]),
                        "kind": link.kind,
                        "score": round(link.score, 4),
                        "published": docs[link.derived].published,
                    }
                    for link in sorted(found, key=lambda link: -link.score)
                ],
            }
        )
    return sorted(rows, key=lambda row: (-len(row["copies"]), row["origin"]))


def _pair(docs: dict[str, Document], link: ReuseLink) -> dict[str, Any]:
    return {
        "a": link.derived,
        "b": link.origin,
        "outlets": [outlet(docs[link.derived]), outlet(docs[link.origin])],
        "kind": link.kind,
        "score": round(link.score, 4),
        "why": link.why,
    }


def _outlets(docs: dict[str, Document], links: list[ReuseLink]) -> list[dict[str, Any]]:
    reused_share: dict[str, float] = defaultdict(float)
    taken_from: dict[str, set[str]] = defaultdict(set)
    reused_by: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    shares_with: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if not link.directed:
            a, b = outlet(docs[link.derived]), outlet(docs[link.origin])
            shares_with[a].add(b)
            shares_with[b].add(a)
            continue
        reused_share[link.derived] = max(reused_share[link.derived], link.score)
        source, copier = outlet(docs[link.origin]), outlet(docs[link.derived])
        taken_from[copier].add(source)
        reused_by[source][copier].append(link.score)
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for doc in docs.values():
        row = totals[outlet(doc)]
        row[0] += 1
        row[1] += len(doc.text)
        row[2] += len(doc.text) * reused_share.get(doc.id, 0.0)
    rows = []
    for name, (count, chars, reused) in totals.items():
        rows.append(
            {
                "outlet": name,
                "documents": int(count),
                "characters": int(chars),
                "reused_share": round(reused / chars, 4) if chars else 0.0,
                "reuses_from": sorted(taken_from.get(name, ())),
                "shares_text_with": sorted(shares_with.get(name, set()) - {name}),
                "reused_by": [
                    {
                        "outlet": copier,
                        "copies": len(scores),
                        "mean_score": round(sum(scores) / len(scores), 4),
                    }
                    for copier, scores in sorted(reused_by.get(name, {}).items())
                ],
            }
        )
    return sorted(rows, key=lambda row: (-row["reused_share"], row["outlet"]))


def print_reuse(view: dict[str, Any], console: Console) -> None:
    """Rich tables: copies per origin, then reuse per outlet."""
    console.print(f"[bold]{view['documents']}[/] documents, [bold]{view['links']}[/] reuse links")
    origins = Table(title="Origins and their copies", show_lines=False)
    for column in ("origin", "outlet", "copy", "copy outlet", "kind", "score"):
        origins.add_column(column, overflow="fold")
    for row in view["origins"]:
        for n, copy in enumerate(row["copies"]):
            origins.add_row(
                row["origin"] if n == 0 else "",
                row["outlet"] if n == 0 else "",
                copy["derived"],
                copy["outlet"],
                copy["kind"],
                f"{copy['score']:.2f}",
            )
    for pair in view["undirected"]:
        origins.add_row(
            pair["b"],
            pair["outlets"][1],
            pair["a"],
            pair["outlets"][0],
            f"{pair['kind']} (undirected)",
            f"{pair['score']:.2f}",
        )
    console.print(origins)
    outlets = Table(title="Outlets: how much of their text is reused from others")
    for column in (
        "outlet",
        "documents",
        "reused share",
        "reuses from",
        "reused by",
        "shares text with (direction unknown)",
    ):
        outlets.add_column(column, overflow="fold")
    for row in view["outlets"]:
        reused_by = ", ".join(
            f"{r['outlet']} ×{r['copies']} ({r['mean_score']:.2f})" for r in row["reused_by"]
        )
        outlets.add_row(
            row["outlet"],
            str(row["documents"]),
            f"{row['reused_share']:.0%}",
            ", ".join(row["reuses_from"]),
            reused_by,
            ", ".join(row["shares_text_with"]),
        )
    console.print(outlets)
