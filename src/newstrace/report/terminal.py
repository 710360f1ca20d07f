"""The terminal view of a report, with rich: a run summary and one story's dossier.

Everything printed here is built from :class:`rich.text.Text` and tables, never
from console markup strings, because titles, outlets and quotations are
untrusted article text (a title such as ``[bold]`` must print as written).
Output depends only on the report and the console width, so a render at a
fixed width is identical from run to run; long lists are capped with a
"… and N more" line to keep the summary readable on a big corpus.
"""

from __future__ import annotations

import json

from rich.cells import cell_len
from rich.console import Console, Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from newstrace.model import SCHEMA_ID, Document, Fact, Report, ReuseLink, Story
from newstrace.report._common import (
    FLAGGED,
    changed_tokens,
    count,
    find_story,
    group_by_verdict,
    known_outlets,
    one_line,
    outlet,
    quoted,
    stating_documents,
)

_VERDICT_STYLE = {
    "altered": "bold red",
    "conflict": "bold yellow",
    "compatible": "cyan",
    "agree": "green",
    "single_source": "dim",
}
STORY_FORMATS = ("text", "markdown", "json")
_MAX_STORIES = 20
_MAX_LINES = 25


def print_summary(report: Report, console: Console) -> None:
    """Counts; the stories; reuse links; flagged facts with their explanation; skipped inputs."""
    docs = {d.id: d for d in report.documents}
    console.print(_headline(report))
    if report.stories:
        console.print(_stories_table(report.stories, docs, console.width))
    links = [(story, link) for story in _by_size(report.stories) for link in story.reuse]
    if links:
        console.print(Text("Reuse links", style="bold"))
        rows = [
            [Text(story.id, style="dim"), _link_kind(link), _link_pair(link, docs)]
            for story, link in links
        ]
        _print_rows(console, rows, "links")
    flagged = [
        (story, fact)
        for story in _by_size(report.stories)
        for fact in _sorted_facts(story.facts)
        if fact.verdict in FLAGGED
    ]
    if flagged:
        console.print(Text("Flagged facts", style="bold"))
        rows = [
            [
                Text(story.id, style="dim"),
                Text(fact.verdict, style=_VERDICT_STYLE.get(fact.verdict, "")),
                Text(fact.kind),
                Text(one_line(fact.explanation or fact.subject)),
            ]
            for story, fact in flagged
        ]
        _print_rows(console, rows, "flagged facts")
    if report.skipped:
        console.print(Text(f"Skipped inputs ({len(report.skipped)})", style="bold yellow"))
        lines = [
            Text.assemble("  ", (skip.origin, "yellow"), ": ", skip.error)
            for skip in report.skipped
        ]
        _print_capped(console, lines, "skipped inputs")


def print_story(report: Report, story_id: str, console: Console) -> None:
    """One story's dossier: header, articles, reuse links, facts grouped by verdict.

    Flagged facts (altered, conflict) show every statement; the others take
    one line each, naming the documents that state them.
    """
    story = find_story(report, story_id)
    docs = {d.id: d for d in report.documents}
    members = [docs[d] for d in story.documents if d in docs]
    console.print(Rule(Text(f"Story {story.id}"), align="left"))
    console.print(Text(story.title, style="bold"))
    console.print(Text(_story_facts_line(story, members)))
    console.print(_articles_table(members, console.width))
    console.print(Text(f"Reuse links ({len(story.reuse)})", style="bold"))
    if not story.reuse:
        console.print(Text("  none found"))
    for link in story.reuse:
        console.print(_link_line(link, docs))
        if link.why:
            console.print(_hanging(6, [Text(one_line(link.why), style="dim")]))
    console.print(Text(f"Facts ({len(story.facts)})", style="bold"))
    if not story.facts:
        console.print(Text("  none extracted"))
    for verdict, facts in group_by_verdict(story.facts):
        console.print(
            Text(
                f"  {verdict.replace('_', ' ')} ({len(facts)})",
                style=_VERDICT_STYLE.get(verdict, ""),
            )
        )
        for fact in facts:
            console.print(_fact_block(fact, docs) if verdict in FLAGGED else _fact_summary(fact))


def show_story(report: Report, story_id: str, output_format: str, console: Console) -> None:
    """Print one story as ``text`` (rich), ``markdown`` or ``json`` on ``console``."""
    if output_format == "text":
        print_story(report, story_id, console)
    elif output_format == "markdown":
        from newstrace.report.markdown import story_markdown

        console.file.write(story_markdown(report, story_id))
    elif output_format == "json":
        console.file.write(
            json.dumps(story_dict(report, story_id), ensure_ascii=False, indent=2) + "\n"
        )
    else:
        raise ValueError(f"unknown story format {output_format!r}; expected one of {STORY_FORMATS}")


def story_dict(report: Report, story_id: str) -> dict:
    """One story and its documents, in the report contract's shapes."""
    story = find_story(report, story_id)
    members = set(story.documents)
    return {
        "schema": SCHEMA_ID,
        "story": story.to_dict(),
        "documents": [doc.to_dict() for doc in report.documents if doc.id in members],
    }


def _headline(report: Report) -> Text:
    outlets = known_outlets(report.documents)
    n_links = sum(len(s.reuse) for s in report.stories)
    n_flagged = sum(f.verdict in FLAGGED for s in report.stories for f in s.facts)
    parts = [
        count(len(report.documents), "article"),
        *([f"from {count(len(outlets), 'outlet')}"] if outlets else []),
        f"in {count(len(report.stories), 'story', 'stories')}",
    ]
    text = Text(" ".join(parts), style="bold")
    text.append(f" · {count(n_links, 'reuse link')} · {count(n_flagged, 'flagged fact')}")
    if report.skipped:
        text.append(f" · {count(len(report.skipped), 'input')} skipped", style="yellow")
    return text


def _stories_table(stories: list[Story], docs: dict[str, Document], width: int) -> Group | Table:
    ordered = _by_size(stories)
    rows = []
    for story in ordered[:_MAX_STORIES]:
        members = [docs[d] for d in story.documents if d in docs]
        flags = sum(f.verdict in FLAGGED for f in story.facts)
        rows.append(
            [
                story.id,
                str(len(story.documents)),
                str(len(known_outlets(members))) if known_outlets(members) else "·",
                str(len(story.reuse)),
                str(flags) if flags else "·",
                _date_range(story, members),
                one_line(story.title),
            ]
        )
    table = _table(
        ["story", "articles", "outlets", "links", "flags", "published", "title"],
        rows,
        flexible="title",
        width=width,
        right=("articles", "outlets", "links", "flags"),
    )
    if len(ordered) > _MAX_STORIES:
        more = Text(
            f"  … and {len(ordered) - _MAX_STORIES} more stories (see the JSON or HTML report)",
            style="dim",
        )
        return Group(table, more)
    return table


def _articles_table(members: list[Document], width: int) -> Table:
    rows = [
        [doc.id, outlet(doc)[:24], _day(doc.published) or "?", one_line(doc.title or "")]
        for doc in sorted(members, key=_publication_key)
    ]
    return _table(["article", "outlet", "published", "title"], rows, flexible="title", width=width)


def _table(
    headers: list[str],
    rows: list[list[str]],
    flexible: str,
    width: int,
    right: tuple[str, ...] = (),
) -> Table:
    """A borderless table at most ``width`` cells wide where only ``flexible`` is cut short, with "…".

    Every column gets an explicit width: rich's own fitting shrinks all
    no-wrap columns alike, which hides the short ones first.
    """
    widths = [
        max([cell_len(header)] + [cell_len(row[i]) for row in rows])
        for i, header in enumerate(headers)
    ]
    flex = headers.index(flexible)
    gaps = 2 * (len(headers) - 1)
    room = width - gaps - sum(w for i, w in enumerate(widths) if i != flex)
    widths[flex] = max(8, min(widths[flex], room))
    table = Table(show_header=True, header_style="bold", show_edge=False, pad_edge=False, box=None)
    for header, col_width in zip(headers, widths):
        table.add_column(
            header,
            no_wrap=True,
            overflow="ellipsis",
            width=col_width,
            justify="right" if header in right else "left",
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _link_line(link: ReuseLink, docs: dict[str, Document]) -> Text:
    return Text.assemble("  ", _link_pair(link, docs), "  ", _link_kind(link))


def _link_pair(link: ReuseLink, docs: dict[str, Document]) -> Text:
    arrow = " → " if link.directed else " ↔ "
    return Text(_doc_label(link.origin, docs) + arrow + _doc_label(link.derived, docs))


def _link_kind(link: ReuseLink) -> Text:
    return Text.assemble((link.kind.replace("_", " "), "cyan"), f" {link.score:.2f}")


def _fact_block(fact: Fact, docs: dict[str, Document]) -> Group:
    head = Text("    ")
    head.append(f"{fact.kind}", style="bold")
    head.append(f" · {one_line(fact.subject)}")
    parts: list = [head]
    if fact.explanation:
        parts.append(_hanging(6, [Text(one_line(fact.explanation), style="italic")]))
    texts = [quoted(st.text) for st in fact.statements]
    statements = [
        [Text(_doc_label(st.doc, docs) + ":", style="dim"), _marked_text(text, changed)]
        for st, text, changed in zip(fact.statements, texts, changed_tokens(texts))
    ]
    if statements:
        parts.append(_hanging(6, *statements))
    return Group(*parts)


def _fact_summary(fact: Fact) -> Table:
    """An unflagged fact on one line: what it is, who states it, and why it is not flagged."""
    text = Text(f"{fact.kind} · {one_line(fact.subject)}")
    text.append(f" ({', '.join(stating_documents(fact))})", style="dim")
    if fact.explanation:
        text.append(f" — {one_line(fact.explanation)}", style="italic")
    return _hanging(4, [text])


def _marked_text(text: str, changed: set[int]) -> Text:
    marked = Text()
    for j, token in enumerate(text.split()):
        if j:
            marked.append(" ")
        marked.append(token, style="bold underline" if j in changed else "")
    return marked


def _hanging(indent: int, *rows: list[Text]) -> Table:
    """Rows of cells after ``indent`` spaces; the last cell wraps under itself."""
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(width=indent - 1, no_wrap=True)
    for _ in rows[0][:-1]:
        grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for row in rows:
        grid.add_row(Text(""), *row)
    return grid


def _story_facts_line(story: Story, members: list[Document]) -> str:
    outlets = sorted(known_outlets(members))
    flags = sum(f.verdict in FLAGGED for f in story.facts)
    named = f"{count(len(outlets), 'outlet')}: {', '.join(outlets)} · " if outlets else ""
    return (
        f"{_date_range(story, members)} · {count(len(story.documents), 'article')} · "
        f"{named}{count(flags, 'flagged fact')}"
    )


def _print_capped(console: Console, lines: list[Text], what: str) -> None:
    for line in lines[:_MAX_LINES]:
        console.print(line)
    if len(lines) > _MAX_LINES:
        console.print(Text(f"  … and {len(lines) - _MAX_LINES} more {what}", style="dim"))


def _print_rows(console: Console, rows: list[list[Text]], what: str) -> None:
    """Aligned columns; only the last one wraps, under itself (a hanging indent)."""
    grid = Table.grid(padding=(0, 2), pad_edge=False)
    grid.add_column(no_wrap=True)  # indent
    for _ in rows[0][:-1]:
        grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for row in rows[:_MAX_LINES]:
        grid.add_row(Text(""), *row)
    console.print(grid)
    if len(rows) > _MAX_LINES:
        console.print(Text(f"  … and {len(rows) - _MAX_LINES} more {what}", style="dim"))


def _doc_label(doc_id: str, docs: dict[str, Document]) -> str:
    return f"{doc_id} ({outlet(docs.get(doc_id), doc_id)})" if doc_id in docs else doc_id


def _by_size(stories: list[Story]) -> list[Story]:
    return sorted(stories, key=lambda s: -len(s.documents))  # stable: report order breaks ties


def _sorted_facts(facts: list[Fact]) -> list[Fact]:
    return [fact for _, group in group_by_verdict(facts) for fact in group]


def _date_range(story: Story, members: list[Document]) -> str:
    dates = sorted(d for d in (_day(doc.published) for doc in members) if d)
    first = _day(story.first_published) or (dates[0] if dates else None)
    last = _day(story.last_published) or (dates[-1] if dates else None)
    if not first:
        return "undated"
    if first == last or not last:
        return first
    return f"{first} – {last[5:] if last[:4] == first[:4] else last}"


def _publication_key(doc: Document) -> tuple[int, str, str]:
    return (0 if doc.published else 1, doc.published or "", doc.id)


def _day(value: str | None) -> str | None:
    return value[:10] if value else None
