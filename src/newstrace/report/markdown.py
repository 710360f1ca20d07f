"""Markdown export of a story dossier or a whole report, for a newsroom ticket.

Article text is untrusted: a title or quotation may hold ``*``, ``_``,
``[link](javascript:…)``, ``<script>``, ``|`` or a leading ``#``. Everything
taken from an article goes through :func:`escape_markdown`, which
backslash-escapes what CommonMark and GitHub-flavoured Markdown would read as
syntax, so the text renders as written and never as a link, tag, table cell,
heading or emphasis. No library does this escaping (Markdown renderers parse,
they do not escape), hence the small hand-written function.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import TextIO

from newstrace.model import Document, Fact, Report, ReuseLink, Story
from newstrace.report._common import (
    FLAGGED,
    WORD_EDGE_PUNCTUATION,
    changed_tokens,
    find_story,
    group_by_verdict,
    known_outlets,
    outlet,
    quoted,
    stating_documents,
    verdict_label,
    when,
)
from newstrace.report._common import count as _count

# ASCII punctuation that starts or ends inline syntax anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!])")
# HTML entity or character reference (&amp; &#39; &#x27;): escape its '&'.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What makes a line a heading, quote, list item, rule, setext underline or code fence.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """``text`` on one line, escaped so Markdown shows it literally."""
    line = " ".join(text.split())
    line = _INLINE_SPECIAL.sub(r"\\\1", line)
    line = _ENTITY.sub(r"\\&", line)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_line_start(m.group(2)), line)


def story_markdown(report: Report, story_id: str, *, heading_level: int = 2) -> str:
    """One story's dossier in Markdown (StoryNotFoundError if the report has no such story).

    Flagged facts list every statement; the others take one line each.
    """
    story = find_story(report, story_id)
    docs = {d.id: d for d in report.documents}
    return "\n".join(_story_lines(story, docs, heading_level)).rstrip() + "\n"


def report_markdown(report: Report) -> str:
    """The whole report: counts, skipped inputs, then every story's dossier."""
    out = io.StringIO()
    write_markdown(report, out)
    return out.getvalue()


def write_markdown(report: Report, out: TextIO) -> None:
    """Write :func:`report_markdown`'s text to ``out`` story by story, never as one string.

    The text ends in one line break after its last visible character (as
    ``rstrip() + "\\n"`` of the joined lines): trailing blank space is held
    back until something visible follows it.
    """
    held = ""
    for n, line in enumerate(_report_lines(report)):
        piece = f"\n{line}" if n else line
        visible = piece.rstrip()
        if visible:
            out.write(held + visible)
            held = piece[len(visible) :]
        else:
            held += piece
    out.write("\n")


def _report_lines(report: Report) -> Iterator[str]:
    """The report's Markdown line by line: counts, skipped inputs, then each story."""
    docs = {d.id: d for d in report.documents}
    n_links = sum(len(s.reuse) for s in report.stories)
    n_flagged = sum(f.verdict in FLAGGED for s in report.stories for f in s.facts)
    lines = [
        "# newstrace report",
        "",
        f"{_count(len(report.documents), 'article')} in {_count(len(report.stories), 'story', 'stories')}, "
        f"{_count(n_links, 'reuse link')}, {_count(n_flagged, 'flagged fact')}.",
        "",
    ]
    if report.skipped:
        from newstrace.report.dossier import origin_namer

        name = origin_namer(
            [d.origin for d in report.documents] + [s.origin for s in report.skipped]
        )
        lines += ["## Skipped inputs", ""]
        lines += [
            f"- `{_code(name(skip.origin))}`: {escape_markdown(skip.error)}"
            for skip in report.skipped
        ]
        lines.append("")
    yield from lines
    for story in sorted(report.stories, key=lambda s: -len(s.documents)):
        yield from _story_lines(story, docs, heading_level=2)


def _story_lines(story: Story, docs: dict[str, Document], heading_level: int) -> list[str]:
    h = "#" * heading_level
    members = sorted(
        (docs[d] for d in story.documents if d in docs), key=lambda d: (d.published or "~", d.id)
    )
    outlets = sorted(known_outlets(members))
    named = (
        f" · {_count(len(outlets), 'outlet')}: {', '.join(escape_markdown(o) for o in outlets)}"
        if outlets
        else ""
    )
    lines = [
        f"{h} {escape_markdown(story.title)}",
        "",
        f"Story `{_code(story.id)}` · {_date_range(story, members)} · {_count(len(story.documents), 'article')}"
        f"{named}",
        "",
        "| Article | Outlet | Published | Title |",
        "|---|---|---|---|",
    ]
    for doc in members:
        lines.append(
            f"| `{_code(doc.id)}` | {escape_markdown(outlet(doc))} | {when(doc.published)} | "
            f"{_title_cell(doc)} |"
        )
    lines += ["", f"{h}# Who copied whom", ""]
    lines += [_link_item(link, docs) for link in story.reuse] or [
        "No reuse found between these articles."
    ]
    lines += ["", f"{h}# Facts", ""]
    if not story.facts:
        lines += ["No facts extracted.", ""]
    for verdict, facts in group_by_verdict(story.facts):
        lines += [f"{h}## {escape_markdown(verdict_label(verdict))} ({len(facts)})", ""]
        for fact in facts:
            lines += _fact_items(fact, docs) if verdict in FLAGGED else [_fact_summary(fact)]
        lines.append("")
    return lines + [""]


def _link_item(link: ReuseLink, docs: dict[str, Document]) -> str:
    kind = link.kind.replace("_", " ")
    if link.directed:
        text = f"- {_label(link.derived, docs)} is a **{kind}** of {_label(link.origin, docs)}"
    else:
        text = f"- {_label(link.derived, docs)} and {_label(link.origin, docs)}: **{kind}** (direction unknown)"
    text += f", score {link.score:.2f}, {_count(len(link.passages), 'aligned passage')}"
    return text + (f". {escape_markdown(link.why)}" if link.why else "")


def _fact_items(fact: Fact, docs: dict[str, Document]) -> list[str]:
    head = f"- **{escape_markdown(fact.kind)}**: {escape_markdown(fact.subject)}"
    if fact.explanation:
        head += f" — {escape_markdown(fact.explanation)}"
    items = [head]
    for st, shown in zip(fact.statements, _marked_statements(fact)):
        items.append(f"  - {_label(st.doc, docs)}: {shown}")
    return items


def _marked_statements(fact: Fact) -> list[str]:
    """Each statement escaped, with the words that differ from the most common wording in bold."""
    texts = [quoted(st.text) for st in fact.statements]
    return [
        _bold_tokens(text.split(), changed) for text, changed in zip(texts, changed_tokens(texts))
    ]


def _bold_tokens(tokens: list[str], changed: set[int]) -> str:
    pieces: list[str] = []
    run: list[str] = []
    for j, token in enumerate(tokens):
        if j in changed:
            run.append(token)
            continue
        if run:
            pieces.append(_bold(" ".join(run)))
            run = []
        pieces.append(escape_markdown(token))
    if run:
        pieces.append(_bold(" ".join(run)))
    return " ".join(pieces)


def _bold(words: str) -> str:
    """``words`` in bold, leading and trailing punctuation (quotation marks, commas) left outside."""
    core = words.strip(WORD_EDGE_PUNCTUATION)
    if not core:
        return escape_markdown(words)
    start = words.index(core)
    before, after = words[:start], words[start + len(core) :]
    return escape_markdown(before) + "**" + escape_markdown(core) + "**" + escape_markdown(after)


def _fact_summary(fact: Fact) -> str:
    stated = ", ".join(f"`{_code(doc_id)}`" for doc_id in stating_documents(fact))
    line = f"- **{escape_markdown(fact.kind)}**: {escape_markdown(fact.subject)} ({stated})"
    return line + (f" — {escape_markdown(fact.explanation)}" if fact.explanation else "")


def _label(doc_id: str, docs: dict[str, Document]) -> str:
    doc = docs.get(doc_id)
    return (
        f"`{_code(doc_id)}` ({escape_markdown(outlet(doc, doc_id))})"
        if doc
        else f"`{_code(doc_id)}`"
    )


def _title_cell(doc: Document) -> str:
    title = escape_markdown(doc.title or "(untitled)")
    if doc.url and re.match(r"https?://[^\s<>()]+$", doc.url):
        return f"[{title}](<{doc.url}>)"
    return title


def _date_range(story: Story, members: list[Document]) -> str:
    dates = sorted(d.published[:10] for d in members if d.published)
    first = (story.first_published or "")[:10] or (dates[0] if dates else None)
    last = (story.last_published or "")[:10] or (dates[-1] if dates else None)
    if not first:
        return "undated"
    return first if first == last or not last else f"{first} – {last}"


def _escape_line_start(token: str) -> str:
    return token + "\\" if token[0].isdigit() else "\\" + token


def _code(text: str) -> str:
    """Text for inside a single-backtick code span: no backticks, one line."""
    return " ".join(text.replace("`", "'").split())
