"""Batch story grouping.

Placeholder until event grouping lands: every document is its own story.
"""

from __future__ import annotations

from newstrace.model import Document, Story


def group_stories(documents: list[Document]) -> list[Story]:
    """One story per document; sets ``document.story``."""
    stories = []
    for n, doc in enumerate(documents, 1):
        story = Story(id=f"s{n}", title=doc.title or doc.text[:80], documents=[doc.id],
                      first_published=doc.published, last_published=doc.published)
        doc.story = story.id
        stories.append(story)
    return stories
