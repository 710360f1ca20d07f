"""The terminal summary of a report, with rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from newstrace.model import Report


def print_summary(report: Report, console: Console) -> None:
    """Stories with their articles, reuse links and flagged facts; then skips."""
    docs = {d.id: d for d in report.documents}
    n_links = sum(len(s.reuse) for s in report.stories)
    flagged = [f for s in report.stories for f in s.facts if f.verdict in ("conflict", "altered")]
    console.print(
        f"[bold]{len(report.documents)}[/] articles in [bold]{len(report.stories)}[/] stories, "
        f"[bold]{n_links}[/] reuse links, [bold]{len(flagged)}[/] flagged facts"
        + (f", [yellow]{len(report.skipped)} inputs skipped[/]" if report.skipped else "")
    )
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("story")
    table.add_column("title", overflow="fold")
    table.add_column("articles", justify="right")
    table.add_column("links", justify="right")
    table.add_column("flags", justify="right")
    for story in report.stories:
        flags = sum(f.verdict in ("conflict", "altered") for f in story.facts)
        table.add_row(story.id, story.title, str(len(story.documents)), str(len(story.reuse)), str(flags))
    console.print(table)
    for story in report.stories:
        for link in story.reuse:
            arrow = "→" if link.directed else "↔"
            console.print(
                f"  {story.id}: {_name(docs, link.origin)} {arrow} {_name(docs, link.derived)} "
                f"[cyan]{link.kind}[/] {link.score:.2f}"
            )
    for fact in flagged:
        console.print(f"  [red]{fact.verdict}[/] {fact.kind}: {fact.explanation or fact.subject}")
    for skip in report.skipped:
        console.print(f"  [yellow]skipped[/] {skip.origin}: {skip.error}")


def _name(docs, doc_id: str) -> str:
    doc = docs.get(doc_id)
    return f"{doc_id} ({doc.source})" if doc is not None and doc.source else doc_id
