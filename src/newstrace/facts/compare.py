"""Facts across the articles of each story: extract, line up, judge.

``compare_facts`` reads every document's parse (parsing it if it has none), lines claims
up story by story (see :mod:`newstrace.facts.lineup`), and fills
``story.facts`` with one :class:`~newstrace.model.Fact` per fact: its
statements in every article that makes it and a verdict — ``agree``,
``compatible``, ``conflict`` (articles with no reuse link disagree),
``altered`` (two linked articles disagree: a copy changed it) or
``single_source``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from newstrace.facts.claims import Claim
from newstrace.facts.extract import Extracted, extract
from newstrace.facts.lineup import Links, line_up
from newstrace.facts.verdict import Edge, explain, verdict_of
from newstrace.model import Document, Fact, Statement, Story, Verdict
from newstrace.progress import track

_KIND_ORDER = {"quote": 0, "quantity": 1, "place": 2, "date": 3}


def compare_facts(
    documents: list[Document], stories: list[Story], map_stories: MapStories | None = None
) -> None:
    """Fill ``story.facts`` for every story.

    Stories are independent (a document's claims come from its own parse), so
    each is one work item (:func:`story_work`, :func:`facts_of_story`) run by
    ``map_stories``: the builtin ``map`` by default, an engine's own map to
    run them as tasks (results in story order).
    """
    work = story_work(documents, stories)
    found = (map_stories or map)(facts_of_story, track(work, "stories"))
    for story, facts in zip(stories, found):
        story.facts = facts


StoryWork = tuple[Story, list[Document]]
MapStories = Callable[
    [Callable[[StoryWork], list[Fact]], Iterable[StoryWork]], Iterable[list[Fact]]
]


def story_work(documents: list[Document], stories: list[Story]) -> list[StoryWork]:
    """Each story with its documents, the reuse views left out (facts never read them; they
    are most of a document's weight when the work travels to another process)."""
    by_id = {doc.id: doc for doc in documents}
    return [
        (story, [_without_reuse_view(by_id[d]) for d in story.documents if d in by_id])
        for story in stories
    ]


def _without_reuse_view(doc: Document) -> Document:
    if doc.annotations.reuse is None:
        return doc
    return replace(doc, annotations=replace(doc.annotations, reuse=None))


def facts_of_story(work: StoryWork) -> list[Fact]:
    """The facts of one story, read from its documents' parses."""
    story, documents = work
    return story_facts(story, extract(documents))


def story_facts(story: Story, items: list[Extracted]) -> list[Fact]:
    """The facts of one story, flagged ones first."""
    links = Links(story.reuse)
    edges = line_up(items, links)
    groups = _groups(edges)
    names = {item.doc.id: item.doc.id for item in items}
    facts: list[Fact] = []
    grouped: set[int] = set()
    for claims, group_edges in groups:
        grouped.update(id(c) for c in claims)
        fact = _fact(claims, group_edges, links, names)
        if fact.verdict in ("agree", "compatible") and all(c.extra.get("weak") for c in claims):
            continue  # a bare number or place name both copies give alike: not worth a row
        facts.append(fact)
    for item in items:
        for claim in item.claims:
            if id(claim) not in grouped and not claim.extra.get("weak"):
                facts.append(_single(claim))
    facts.sort(
        key=lambda f: (
            -Verdict(f.verdict).severity,
            _KIND_ORDER.get(f.kind, 9),
            f.statements[0].doc,
            f.statements[0].span[0],
        )
    )
    for n, fact in enumerate(facts, 1):
        fact.id = f"{story.id}-f{n}"
    return facts


def _groups(edges: list[Edge]) -> list[tuple[list[Claim], list[Edge]]]:
    """Claims joined by line-up edges, as connected components, each with its edges."""
    if not edges:
        return []
    claims: dict[int, Claim] = {}
    for edge in edges:
        claims.setdefault(id(edge.a), edge.a)
        claims.setdefault(id(edge.b), edge.b)
    index = {key: n for n, key in enumerate(claims)}
    ends = np.array([(index[id(e.a)], index[id(e.b)]) for e in edges])
    graph = sp.coo_matrix(
        (np.ones(len(edges)), (ends[:, 0], ends[:, 1])), shape=(len(index), len(index))
    )
    _, component = connected_components(graph, directed=False)
    members: dict[int, list[Claim]] = {}
    for key, n in index.items():
        members.setdefault(component[n], []).append(claims[key])
    group_edges: dict[int, list[Edge]] = {}
    for edge, (a, _) in zip(edges, ends):
        group_edges.setdefault(component[a], []).append(edge)
    return [(sorted(members[g], key=lambda c: (c.doc, c.mention)), group_edges[g]) for g in members]


def _statement(claim: Claim) -> Statement:
    return Statement(doc=claim.doc, span=claim.span, text=claim.text, value=claim.report_value)


def _fact(claims: list[Claim], edges: list[Edge], links: Links, names: dict[str, str]) -> Fact:
    verdict, deciding = verdict_of(edges)
    subject = _subject(claims, deciding)
    explanation = ""
    if deciding is not None and verdict != "agree":
        link = links.between(deciding.a.doc, deciding.b.doc)
        derived = link.derived if link is not None and link.directed else None
        explanation = explain(deciding, names, derived, subject)
        if link is not None and not link.directed and verdict == "altered":
            explanation += f"; {deciding.a.doc} and {deciding.b.doc} copy one source ({link.kind}), so one of them changed it"
    return Fact(
        id="",
        kind=claims[0].kind,
        subject=subject,
        verdict=verdict,
        statements=[_statement(c) for c in claims],
        explanation=explanation,
    )


def _subject(claims: list[Claim], deciding: Edge | None) -> str:
    if claims[0].kind == "quote":  # every speaker the articles give, in order
        named = list(dict.fromkeys(c.value.speaker.name for c in claims if c.value.speaker.name))
        return f"quote of {' / '.join(named)}" if named else "quote (speaker unknown)"
    return max((c.subject for c in claims), key=len) or claims[0].kind


def _single(claim: Claim) -> Fact:
    return Fact(
        id="",
        kind=claim.kind,
        subject=claim.subject or claim.kind,
        verdict=Verdict.SINGLE_SOURCE,
        statements=[_statement(claim)],
    )
