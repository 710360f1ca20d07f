"""What a story dossier shows, computed once for the static page and the web app.

The templates only lay out what this module computes: the timeline and the
provenance-graph geometry (drawn as SVG by the template, so every label goes
through Jinja's autoescaping), the facts grouped by verdict, and article text
cut into :class:`Segment` pieces that carry the marks a reader needs (a fact
statement, a word that differs from the other article).

Written by hand because no library does the part that matters here: word
differences are ``difflib`` on word tokens inside the aligned passages the
reuse stage found; the value a flagged fact is about is found in each
statement as the article wrote it and marked on its own; and the graph layout
is a layered (Sugiyama-style) drawing small enough to keep here: longest-path
layers, barycentre ordering, and edge labels stacked beside the node they
point at, so they cannot overlap (a story has a handful to a few dozen
articles; a graph-drawing library would be a heavy dependency for this).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from newstrace.ingest.dates import published_at
from newstrace.model import Document, Fact, Passage, Report, ReuseLink, Story
from newstrace.report._common import (
    FLAGGED,
    VERDICT_ORDER,
    anchor,
    host,
    known_outlet,
    shorten,
    verdict_label,
)
from newstrace.report.graph import Graph, graph

_TOKEN = re.compile(r"\w+(?:[’'.,-]\w+)*|[^\w\s]")
# A sentence ends at . ! or ? (and a closing quote) before a space, but not after a
# one-letter abbreviation such as the "S." of "U.S."; a line break always ends one.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)[”\"’']?(?=\s)|\n")
_TYPOGRAPHIC = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


# The fourth field of a Mark: what the marked range is.
ROLE_STATEMENT, ROLE_CONTEXT, ROLE_VALUE, ROLE_CHANGED = 0, 1, 2, 3


@dataclass
class Segment:
    """A run of text with the same marks: CSS classes and the facts it states."""

    text: str
    classes: str = ""
    facts: str = ""  # ids of the facts whose statement this is
    context: str = ""  # ids of the facts stated in the sentence this belongs to


@dataclass
class ArticleView:
    doc: Document
    label: str
    segments: list[Segment]
    safe_url: str | None


@dataclass
class PassageRow:
    origin: list[Segment]
    derived: list[Segment]
    similarity: float
    changed: bool


@dataclass
class ComparisonView:
    """Two articles side by side: ``origin`` on the left, ``derived`` on the right."""

    id: str
    origin: Document
    derived: Document
    origin_label: str
    derived_label: str
    link: ReuseLink | None
    rows: list[PassageRow]
    computed: bool  # passages aligned for this view, not found by the reuse stage


@dataclass
class FactView:
    fact: Fact
    flagged: bool
    doc_labels: dict[str, str]
    statement_text: list[list[Segment]] = field(
        default_factory=list
    )  # per statement: the value marked (and, in a flagged quote, the words that differ)
    speakers: list[str] = field(default_factory=list)  # per statement of a quote: who says it
    speakers_differ: bool = False  # two statements name different speakers
    target: str = ""  # id of the comparison where the value differs, if the page has one
    differs: list[bool] = field(default_factory=list)  # per statement: its value differs
    values: list[str] = field(default_factory=list)  # per statement: the value as written

    def __post_init__(self) -> None:
        differs = differing_statements(self.fact) if self.flagged else []
        self.differs = differs
        self.values = [value_text(self.fact.kind, st.value) for st in self.fact.statements]
        if not self.statement_text:
            words = (
                _statement_differences(self.fact)
                if self.flagged and self.fact.kind == "quote"
                else None
            )
            self.statement_text = []
            for n, st in enumerate(self.fact.statements):
                span = value_span(self.fact.kind, st.text, st.value)
                marks: list[Mark] = []
                if span:
                    role = ROLE_CHANGED if differs and differs[n] else ROLE_VALUE
                    marks.append((span[0], span[1], "", role, False))
                changed = _changed_ranges(words[n]) if words else []
                self.statement_text.append(_segments(st.text, 0, len(st.text), marks, changed))
        if self.fact.kind == "quote":
            self.speakers = [
                _speaker_name(st.value.get("speaker")) if isinstance(st.value, dict) else ""
                for st in self.fact.statements
            ]
            # "Gage" and "Undersheriff James Gage" are one speaker: compare the last names
            self.speakers_differ = len({s.lower().split()[-1] for s in self.speakers if s}) > 1


@dataclass
class TimelinePoint:
    x: float
    y: float
    label: str
    when: str
    href: str
    flip: bool = False


@dataclass
class Timeline:
    width: float
    height: float
    points: list[TimelinePoint]
    ticks: list[tuple[float, str]]
    undated: list[str]
    axis_end: float = 720.0


@dataclass
class StoryView:
    story: Story
    documents: list[Document]
    labels: dict[str, str]
    outlets: list[str]
    date_range: str
    timeline: Timeline
    graph: Graph
    fact_groups: list[tuple[str, str, list[FactView]]]
    flagged_count: int
    comparisons: list[ComparisonView]
    articles: list[ArticleView]


# ---------------------------------------------------------------- story view


def document_index(report: Report) -> dict[str, Document]:
    """Documents by id; build it once per report and pass it to the views."""
    return {d.id: d for d in report.documents}


def story_view(report: Report, story: Story, index: dict[str, Document] | None = None) -> StoryView:
    index = index if index is not None else document_index(report)
    docs = _story_documents(index, story)
    labels = {d.id: doc_label(d) for d in docs}
    spans = fact_marks(story.facts, index)
    comparisons = [
        comparison_view(index[link.origin], index[link.derived], link, spans, story.id)
        for link in sorted(story.reuse, key=lambda link: -link.score)
        if link.origin in index and link.derived in index
    ]
    groups = _fact_groups(story.facts, labels)
    compared = {frozenset((c.origin.id, c.derived.id)): c.id for c in comparisons}
    for _, _, views in groups:
        for fv in views:
            if fv.flagged:
                fv.target = next(
                    (
                        compared[frozenset(pair)]
                        for pair in differing_pairs(fv.fact)
                        if frozenset(pair) in compared
                    ),
                    "",
                )
    return StoryView(
        story=story,
        documents=docs,
        labels=labels,
        outlets=sorted({name for d in docs if (name := known_outlet(d))}),
        date_range=_date_range(story, docs),
        timeline=_timeline(docs, story.id),
        graph=graph(docs, story.reuse, labels, story.id),
        fact_groups=groups,
        flagged_count=sum(len(views) for verdict, _, views in groups if verdict in FLAGGED),
        comparisons=comparisons,
        articles=[
            ArticleView(
                d,
                labels[d.id],
                _segments(d.text, 0, len(d.text), spans.get(d.id, [])),
                safe_url(d.url),
            )
            for d in docs
        ],
    )


def story_summary(
    report: Report, story: Story, index: dict[str, Document] | None = None
) -> dict[str, object]:
    """The one line a story gets in a list of stories."""
    docs = _story_documents(index if index is not None else document_index(report), story)
    first = _parse_date(story.first_published) or next(
        (d for d in (_parse_date(x.published) for x in docs) if d), None
    )
    return {
        "story": story,
        "outlets": sorted({name for d in docs if (name := known_outlet(d))}),
        "date_range": _date_range(story, docs),
        "first": first.isoformat() if first else "",
        "flagged": sum(1 for f in story.facts if f.verdict in FLAGGED),
        "articles": len(docs),
    }


def story_order(summaries: list[dict]) -> list[dict]:
    """Most flagged facts first, then the largest stories, then by id."""
    return sorted(
        summaries,
        key=lambda s: (-s["flagged"], -s["articles"], -len(s["story"].reuse), s["story"].id),
    )


def format_date(value: str | None) -> str:
    """A publication date the one way the report writes dates: "11 Mar 2025" (and "14:05")."""
    when = _parse_date(value)
    if when is None:
        return value or ""
    return f"{when:%d %b %Y %H:%M}" if (when.hour, when.minute) != (0, 0) else f"{when:%d %b %Y}"


_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def origin_namer(origins: list[str]) -> Callable[[str], str]:
    """Names for ``origins`` that keep the input folder or file down and drop the folders
    above it (``/home/me/news/ecb/12.txt`` -> ``ecb/12.txt``, ``feed.xml#3``), so a shared
    report does not show the user's disk. URLs and record ids are kept as they are."""

    def split(origin: str) -> tuple[list[str], str] | None:
        if "://" in origin.split("#", 1)[0] or origin.startswith("<"):
            return None
        path, hash_, rest = origin.partition("#")
        parts = [p for p in path.replace("\\", "/").split("/") if p and p != "."]
        if not parts or ("/" not in path and "\\" not in path and not _DRIVE.match(path)):
            return None
        return parts, hash_ + rest

    paths = [parts for parts, _ in filter(None, map(split, origins))]
    folders = [tuple(p[:-1]) for p in paths]
    common: tuple[str, ...] = ()
    if folders:
        common = folders[0]
        for folder in folders[1:]:
            n = 0
            while n < min(len(common), len(folder)) and common[n] == folder[n]:
                n += 1
            common = common[:n]
    # one file: its name; files of one folder: the folder's name too; files of several
    # folders: from the first folder where they part
    one_folder = len({tuple(p) for p in paths}) > 1 and all(f == common for f in folders)
    keep_from = max(len(common) - 1, 0) if one_folder else len(common)

    def name(origin: str) -> str:
        found = split(origin)
        if found is None:
            return origin
        parts, tail = found
        if not paths or parts[: len(common)] != list(common):  # not one of ``origins``
            start = len(parts) - 2  # its folder and name
        else:
            start = keep_from
        return "/".join(parts[max(0, min(start, len(parts) - 1)) :]) + tail

    return name


def doc_label(doc: Document) -> str:
    """The id and what a reader knows the article by: outlet, site, else the file it came from."""
    name = (
        doc.source
        or _host(doc.url)
        or shorten(PurePath(doc.origin).name or doc.origin or doc.title or "", 32)
    )
    return f"{doc.id} · {name}"


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a ``javascript:`` URL is never a link."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def _story_documents(index: dict[str, Document], story: Story) -> list[Document]:
    docs = [index[i] for i in story.documents if i in index]
    return sorted(docs, key=lambda d: (_parse_date(d.published) or datetime.max, d.id))


def _host(url: str | None) -> str | None:
    return host(url.strip()) if url and safe_url(url) else None


# ---------------------------------------------------------------- dates


def _parse_date(value: str | None) -> datetime | None:
    """The instant as naive UTC (so dates of different offsets compare), or None."""
    found = published_at(value)
    return found.moment.replace(tzinfo=None) if found else None


def _date_range(story: Story, docs: list[Document]) -> str:
    dates = sorted(d for d in (_parse_date(x.published) for x in docs) if d)
    first = _parse_date(story.first_published) or (dates[0] if dates else None)
    last = _parse_date(story.last_published) or (dates[-1] if dates else None)
    if not first:
        return "undated"
    if not last or last.date() == first.date():
        return f"{first:%d %b %Y}"
    return f"{first:%d %b %Y} – {last:%d %b %Y}"


def _timeline(docs: list[Document], story_id: str) -> Timeline:
    moments = [(d, _parse_date(d.published)) for d in docs]
    undated = [doc_label(d) for d, when in moments if when is None]
    dated = [(d, when) for d, when in moments if when is not None]
    width, left, right, lane = 760.0, 40.0, 40.0, 22.0
    if not dated:
        return Timeline(width, 0, [], [], undated)
    start, end = dated[0][1], dated[-1][1]
    span = max((end - start).total_seconds(), 1.0)
    points: list[TimelinePoint] = []
    lanes_end: list[float] = []  # rightmost label end per lane, so labels never overlap
    for doc, when in dated:
        x = left + (width - left - right) * (
            (when - start).total_seconds() / span if end > start else 0.5
        )
        label = shorten(doc_label(doc), 40)
        label_w = 6.8 * len(label) + 12
        flip = (
            x + label_w > width and x - label_w > 0
        )  # near the right edge the label goes left of its dot
        x_from = x - label_w if flip else x
        lane_no = next((i for i, used in enumerate(lanes_end) if used < x_from - 4), len(lanes_end))
        if lane_no == len(lanes_end):
            lanes_end.append(-1.0)
        lanes_end[lane_no] = x + 12 if flip else x + label_w
        shown = (
            f"{when:%d %b %Y %H:%M}" if (when.hour, when.minute) != (0, 0) else f"{when:%d %b %Y}"
        )
        points.append(
            TimelinePoint(
                x, 46 + lane * lane_no, label, shown, "#" + anchor("doc", story_id, doc.id), flip
            )
        )
    ticks = _ticks(start, end, left, width - right)
    drawn_width = max([width, *(end_x + 8 for end_x in lanes_end)])
    return Timeline(
        drawn_width, 46 + lane * len(lanes_end) + 8, points, ticks, undated, axis_end=width - right
    )


def _ticks(start: datetime, end: datetime, x0: float, x1: float) -> list[tuple[float, str]]:
    if end <= start:
        return [((x0 + x1) / 2, f"{start:%d %b %Y}")]
    days = (end.date() - start.date()).days
    fmt = "%d %b %H:%M" if days < 2 else "%d %b %Y"
    count = 5 if days >= 4 or days < 2 else days + 1
    ticks = []
    for i in range(count):
        frac = i / (count - 1)
        ticks.append((x0 + (x1 - x0) * frac, (start + (end - start) * frac).strftime(fmt)))
    return ticks


# ---------------------------------------------------------------- facts


def _fact_groups(
    facts: list[Fact], labels: dict[str, str]
) -> list[tuple[str, str, list[FactView]]]:
    by_verdict: dict[str, list[FactView]] = defaultdict(list)
    for fact in facts:
        by_verdict[fact.verdict].append(FactView(fact, fact.verdict in FLAGGED, labels))
    order = [*VERDICT_ORDER, *sorted(set(by_verdict) - set(VERDICT_ORDER))]
    return [(v, verdict_label(v), by_verdict[v]) for v in order if by_verdict[v]]


def _statement_differences(fact: Fact) -> list[list[Segment]]:
    """Each statement's words that differ from the first statement (the first: from any other)."""
    texts = [st.text for st in fact.statements]
    if len(texts) < 2:
        return [[Segment(t)] for t in texts]
    first_changed: list[tuple[int, int]] = []
    others = []
    for text in texts[1:]:
        if (
            _word_similarity(texts[0], text) < 0.5
        ):  # different sentences: marking every word says nothing
            others.append([Segment(text)])
            continue
        in_first, in_other = word_differences(texts[0], (0, len(texts[0])), text, (0, len(text)))
        first_changed += in_first
        others.append(_segments(text, 0, len(text), [], in_other))
    return [_segments(texts[0], 0, len(texts[0]), [], first_changed), *others]


# start, end, fact anchor, role (ROLE_STATEMENT, ROLE_CONTEXT: the enclosing sentence,
# ROLE_VALUE, ROLE_CHANGED: a value that differs), whether the fact is flagged
Mark = tuple[int, int, str, int, bool]


def fact_marks(facts: list[Fact], index: dict[str, Document]) -> dict[str, list[Mark]]:
    """Per document: each statement's span, its value, and the sentences around it when it is shorter."""
    marks: dict[str, list[Mark]] = defaultdict(list)
    sentences: dict[str, list[tuple[int, int]]] = {}
    for fact in facts:
        fid = anchor("fact", fact.id)
        flagged = fact.verdict in FLAGGED
        differs = differing_statements(fact) if flagged else [False] * len(fact.statements)
        for st, changed in zip(fact.statements, differs):
            start, end = int(st.span[0]), int(st.span[1])
            marks[st.doc].append((start, end, fid, ROLE_STATEMENT, flagged))
            doc = index.get(st.doc)
            if doc is None:
                continue
            span = value_span(fact.kind, doc.text[start:end], st.value)
            if span and flagged:
                role = ROLE_CHANGED if changed else ROLE_VALUE
                marks[st.doc].append((start + span[0], start + span[1], fid, role, flagged))
            if st.doc not in sentences:
                sentences[st.doc] = sentence_spans(doc.text)
            around = [(s, e) for s, e in sentences[st.doc] if s < max(end, start + 1) and e > start]
            if around and (around[0][0], around[-1][1]) != (start, end):
                marks[st.doc].append((around[0][0], around[-1][1], fid, ROLE_CONTEXT, flagged))
    return marks


# ---------------------------------------------------------------- text marks


def _segments(
    text: str,
    start: int,
    end: int,
    marks: list[Mark],
    changed: list[tuple[int, int]] | None = None,
) -> list[Segment]:
    """``text[start:end]`` cut wherever a mark begins or ends, so marks may overlap."""
    marks = [m for m in marks if m[0] < end and m[1] > start]
    changed = [c for c in changed or [] if c[0] < end and c[1] > start]
    bounds = [(m[0], m[1]) for m in marks] + changed
    cuts = {start, end}
    for s, e in bounds:
        cuts.update(c for c in (s, e) if start < c < end)
    edges = sorted(cuts)
    segments: list[Segment] = []
    for s, e in itertools.pairwise(edges):
        here = [m for m in marks if m[0] < e and m[1] > s]
        stated = sorted({fid for _, _, fid, role, _ in here if role == ROLE_STATEMENT and fid})
        context = sorted({fid for _, _, fid, role, _ in here if role == ROLE_CONTEXT})
        flagged = any(flag and role == ROLE_STATEMENT for *_, role, flag in here)
        roles = {role for *_, role, _ in here}
        is_diff = any(cs < e and ce > s for cs, ce in changed)
        classes = [
            c
            for c, on in (
                ("stmt", bool(stated)),
                ("flag", flagged),
                ("ctx", bool(context)),
                ("diff", is_diff),
                ("val", bool(roles & {ROLE_VALUE, ROLE_CHANGED})),
                ("changed", ROLE_CHANGED in roles),
            )
            if on
        ]
        segments.append(Segment(text[s:e], " ".join(classes), " ".join(stated), " ".join(context)))
    return segments


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [
        (m.group().translate(_TYPOGRAPHIC).lower(), start + m.start(), start + m.end())
        for m in _TOKEN.finditer(text[start:end])
    ]


def _word_similarity(a: str, b: str) -> float:
    words_a = [t[0] for t in _tokens(a, 0, len(a))]
    words_b = [t[0] for t in _tokens(b, 0, len(b))]
    return difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()


def word_differences(
    origin_text: str, origin_span: tuple[int, int], derived_text: str, derived_span: tuple[int, int]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character ranges of the words that differ, in the origin and in the derived passage.

    Case and typographic quotes and dashes are not differences.
    """
    a = _tokens(origin_text, *origin_span)
    b = _tokens(derived_text, *derived_span)
    matcher = difflib.SequenceMatcher(None, [t[0] for t in a], [t[0] for t in b], autojunk=False)
    in_origin: list[tuple[int, int]] = []
    in_derived: list[tuple[int, int]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            in_origin.append((a[i1][1], a[i2 - 1][2]))
        if j2 > j1:
            in_derived.append((b[j1][1], b[j2 - 1][2]))
    return in_origin, in_derived


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans, enough to align two articles and to show a statement's sentence.

    A regular expression rather than the spaCy sentencer: rendering a page or
    serving a request should not load a language model.
    """
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s > 1:
            trimmed.append((s, e))
    return trimmed


def align_passages(origin_text: str, derived_text: str, threshold: float = 0.6) -> list[Passage]:
    """Pair each sentence of the derived text with its most similar origin sentence.

    Used to compare two articles the reuse stage did not link; linked articles
    use the passages the reuse stage found. The threshold (character-level
    similarity 0.6) keeps the sentences of two rewrites of one original and
    drops the merely topical likeness of independent articles (on the seeds:
    ten pairs between the rewrites 001/002, none between 000 and 003).
    """
    origin_sents = [(s, e, origin_text[s:e].lower()) for s, e in sentence_spans(origin_text)]
    passages = []
    for ds, de in sentence_spans(derived_text):
        sentence = derived_text[ds:de].lower()
        scored = [(fuzz.ratio(sentence, text) / 100, (s, e)) for s, e, text in origin_sents]
        score, best = max(scored, default=(0.0, None))
        if best and score >= threshold:
            passages.append(Passage(derived=(ds, de), origin=best, similarity=round(score, 4)))
    return passages


def comparison_view(
    origin: Document,
    derived: Document,
    link: ReuseLink | None,
    fact_marks: dict[str, list[Mark]] | None = None,
    story_id: str = "",
) -> ComparisonView:
    fact_marks = fact_marks or {}
    computed = link is None or not link.passages
    passages = (
        link.passages
        if link is not None and link.passages
        else align_passages(origin.text, derived.text)
    )
    rows = []
    for passage in sorted(passages, key=lambda p: (p.derived[0], p.origin[0])):
        o_span, d_span = _clip(passage.origin, origin.text), _clip(passage.derived, derived.text)
        o_diff, d_diff = word_differences(origin.text, o_span, derived.text, d_span)
        rows.append(
            PassageRow(
                origin=_segments(origin.text, *o_span, fact_marks.get(origin.id, []), o_diff),
                derived=_segments(derived.text, *d_span, fact_marks.get(derived.id, []), d_diff),
                similarity=passage.similarity,
                changed=bool(o_diff or d_diff),
            )
        )
    return ComparisonView(
        id=anchor("cmp", story_id, origin.id, derived.id),
        origin=origin,
        derived=derived,
        origin_label=doc_label(origin),
        derived_label=doc_label(derived),
        link=link,
        rows=rows,
        computed=computed,
    )


def _clip(span: tuple[int, int], text: str) -> tuple[int, int]:
    start = max(0, min(int(span[0]), len(text)))
    return start, max(start, min(int(span[1]), len(text)))


# ---------------------------------------------------------------- the value of a fact


def value_text(kind: str, value: object) -> str:
    """The words of ``value`` as the article wrote them ("four", "Jordan", "on Tuesday")."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    for key in ("as_written", "place", "date", "words"):
        found = value.get(key)
        if found:
            return str(found)
    return ""


def value_span(kind: str, text: str, value: object) -> tuple[int, int] | None:
    """Where the value stands in a statement's ``text``; None for a quote (the value is
    the whole quotation) or a value the text does not spell out."""
    if kind == "quote":
        return None
    wanted = value_text(kind, value).strip()
    if not wanted:
        return None
    folded = text.lower().translate(_TYPOGRAPHIC)
    if len(folded) != len(text):  # a letter whose lower case is longer: offsets would shift
        folded = text
    # a whole word: the "11" of "11th" is not the value 11, but a unit may follow a
    # number unspaced ("24km", "200ft")
    after = r"(?![.,]?\d)(?!(?:st|nd|rd|th)\b)" if wanted[-1].isdigit() else r"(?!\w)"
    pattern = re.compile(r"(?<!\w)" + re.escape(wanted.lower().translate(_TYPOGRAPHIC)) + after)
    found = pattern.search(folded)
    return found.span() if found else None


def _value_key(value: object) -> object:
    if not isinstance(value, dict):
        return str(value).lower()
    if value.get("number") is not None:
        return (value.get("number"), value.get("qualifier"), value.get("unit"))
    if value.get("words"):
        words = re.findall(r"\w+", str(value["words"]).lower())
        return (tuple(words), str(value.get("speaker") or "").lower())
    for key in ("place", "date", "as_written"):
        if value.get(key):
            return str(value[key]).lower()
    return repr(sorted(value.items()))


def differing_statements(fact: Fact) -> list[bool]:
    """Per statement: does its value differ from the one most statements give?

    With no majority (two statements, two values) every statement differs.
    """
    keys = [_value_key(st.value) for st in fact.statements]
    counts: dict[object, int] = defaultdict(int)
    for key in keys:
        counts[key] += 1
    if len(counts) < 2:
        return [False] * len(keys)
    top = max(counts.values())
    majority = [k for k, c in counts.items() if c == top]
    common = majority[0] if len(majority) == 1 else None
    return [key != common for key in keys]


def differing_pairs(fact: Fact) -> list[tuple[str, str]]:
    """Pairs of documents whose statements of ``fact`` give different values."""
    keyed = [(st.doc, _value_key(st.value)) for st in fact.statements]
    return [(a, b) for (a, ka), (b, kb) in itertools.combinations(keyed, 2) if ka != kb and a != b]


def _speaker_name(value: object) -> str:
    """A speaker as a card shows it: a name of a few words, not a stray clause."""
    name = " ".join(str(value or "").split())
    return name if len(name.split()) <= 6 else ""


def _changed_ranges(segments: list[Segment]) -> list[tuple[int, int]]:
    ranges, at = [], 0
    for seg in segments:
        if "diff" in seg.classes.split():
            ranges.append((at, at + len(seg.text)))
        at += len(seg.text)
    return ranges
