"""Substring search over the articles and stories of one report.

A report holds at most a few thousand articles, so a scan of lowercased
title and text per query is fast enough and needs no index; a store-backed
corpus will bring its own full-text search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.model import Document, Report, Story
from newstrace.report.dossier import Segment

_WORD = re.compile(r"\w+")


@dataclass
class ArticleHit:
    doc: Document
    score: int
    snippet: list[Segment]


@dataclass
class StoryHit:
    story: Story
    matching_articles: int


def query_terms(query: str) -> list[str]:
    return _WORD.findall(query.casefold())


def search_articles(report: Report, query: str, limit: int = 50) -> list[ArticleHit]:
    """Articles whose title, outlet or text hold every word of ``query``, most mentions first."""
    terms = query_terms(query)
    if not terms:
        return []
    hits = []
    for doc in report.documents:
        haystack = " ".join(filter(None, [doc.title, doc.source, doc.text])).casefold()
        if all(term in haystack for term in terms):
            score = sum(haystack.count(term) for term in terms)
            hits.append(ArticleHit(doc, score, _snippet(doc.text, terms)))
    hits.sort(key=lambda hit: (-hit.score, hit.doc.id))
    return hits[:limit]


def search_stories(report: Report, query: str, article_hits: list[ArticleHit]) -> list[StoryHit]:
    """Stories whose title holds every word of ``query`` or that contain a matching article."""
    terms = query_terms(query)
    if not terms:
        return []
    per_story: dict[str, int] = {}
    for hit in article_hits:
        if hit.doc.story:
            per_story[hit.doc.story] = per_story.get(hit.doc.story, 0) + 1
    found = []
    for story in report.stories:
        title = (story.title or "").casefold()
        if story.id in per_story or all(term in title for term in terms):
            found.append(StoryHit(story, per_story.get(story.id, 0)))
    found.sort(key=lambda hit: -hit.matching_articles)
    return found


def _snippet(text: str, terms: list[str], width: int = 110) -> list[Segment]:
    folded = text.casefold()
    first = next(
        (i for i in (folded.find(t) for t in terms) if i >= 0), 0
    )  # the query's first word leads
    start = max(0, first - width // 2)
    end = min(len(text), first + width)
    pieces = []
    if start > 0:
        pieces.append(Segment("…"))
    window = folded[start:end]
    marks = sorted(
        (start + m.start(), start + m.end())
        for t in terms
        for m in re.finditer(re.escape(t), window)
    )
    pos = start
    for s, e in marks:
        if s < pos:
            continue
        pieces.append(Segment(text[pos:s]))
        pieces.append(Segment(text[s:e], "hit"))
        pos = e
    pieces.append(Segment(text[pos:end]))
    if end < len(text):
        pieces.append(Segment("…"))
    return pieces
